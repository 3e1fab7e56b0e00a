/**
 * The merge, split and resolve routes of a running Switchboard, over clusters that real
 * tickets from the web chat formed: validation, how a refusal reaches the client, and the
 * "fix is out" notices that follow a resolve, seen in the reporters' own web chats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

const SETTINGS_CRASH = [
  'The app crashes every time I open settings on my iPhone 14 with iOS 17, version 3.2.1',
  'Settings screen closes the app on my Pixel 7, Android 14, app version 3.2.1',
];
const PAYMENT_CRASH =
  'Checkout crashes at the payment step and I lose my cart, Chrome 120 on Windows 11, version 3.2.1';

describe('merge, split and resolve through the admin API', () => {
  const data = tempDataDir();
  let sb: Switchboard;
  const chats: Array<{ conversationId: string; ref: string; ticketId: number }> = [];

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${sb.url}/api${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const clusterOf = (ref: string) => sb.store.tickets.byRef(ref)?.clusterId as number;
  const fixNotices = async (conversationId: string) =>
    (await webClient(sb.url).messages(conversationId)).messages
      .filter((m) => m.role === 'system')
      .map((m) => m.text);

  beforeAll(async () => {
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    const client = webClient(sb.url);
    for (const text of [...SETTINGS_CRASH, PAYMENT_CRASH]) {
      const { body } = await client.send(text);
      await sb.engine.idle();
      const ticket = sb.store.tickets.forConversation(body.conversationId)[0];
      if (!ticket) throw new Error(`no ticket for "${text}"`);
      chats.push({ conversationId: body.conversationId, ref: ticket.ref, ticketId: ticket.id });
    }
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
  });

  it('merges, splits and resolves, telling every reporter in their own chat', async () => {
    const [iphone, pixel, payment] = chats as [
      (typeof chats)[0],
      (typeof chats)[0],
      (typeof chats)[0],
    ];
    const crash = clusterOf(iphone.ref);
    expect(clusterOf(pixel.ref)).toBe(crash);
    const checkout = clusterOf(payment.ref);
    expect(checkout).not.toBe(crash);

    const merged = await post(`/clusters/${crash}/merge`, { sourceIds: [checkout], actor: 'dev' });
    expect(merged).toMatchObject({
      status: 200,
      body: { merged: [checkout], cluster: { id: crash, reports: 3 } },
    });
    expect(clusterOf(payment.ref)).toBe(crash);

    const split = await post(`/clusters/${crash}/split`, { ticketIds: [payment.ticketId] });
    expect(split).toMatchObject({ status: 201, body: { cluster: { id: crash, reports: 2 } } });
    const splitOff = (split.body.newCluster as { id: number }).id;
    expect(clusterOf(payment.ref)).toBe(splitOff);

    const resolved = await post(`/clusters/${crash}/resolve`, { resolution: 'Fixed in 3.2.2' });
    expect(resolved).toMatchObject({
      status: 200,
      body: { cluster: { id: crash, status: 'resolved' }, reporters: 2, notified: 2 },
    });
    expect(sb.store.clusterViews.audit(crash).map((a) => [a.action, a.actor])).toEqual(
      expect.arrayContaining([
        ['merged', 'dev'],
        ['split', 'admin'],
        ['resolved', 'admin'],
      ]),
    );
    expect(
      sb.store.events.list({ type: 'cluster.resolved' }).map((e) => e.data.cluster),
    ).toMatchObject([{ id: crash, resolution: 'Fixed in 3.2.2' }]);
    for (const chat of [iphone, pixel]) {
      expect(await fixNotices(chat.conversationId)).toEqual([
        `The fix for the problem you reported (${chat.ref}) is out. Fixed in 3.2.2. Thanks for reporting it; if it still happens, just reply here.`,
      ]);
    }
    // The reporter whose ticket was split off is not told about a fix that is not theirs.
    expect(await fixNotices(payment.conversationId)).toEqual([]);
  });

  it('resolves quietly with notify false', async () => {
    const payment = chats[2] as (typeof chats)[0];
    const res = await post(`/clusters/${clusterOf(payment.ref)}/resolve`, { notify: false });
    expect(res).toMatchObject({
      status: 200,
      body: { cluster: { status: 'resolved' }, reporters: 0, notified: 0 },
    });
    expect(await fixNotices(payment.conversationId)).toEqual([]);
  });

  it('passes refusals on as 404, 409 and 400, and validates bodies', async () => {
    const { body } = await webClient(sb.url).send(PAYMENT_CRASH);
    await sb.engine.idle();
    const open = sb.store.tickets.forConversation(body.conversationId)[0]?.clusterId as number;
    const done = clusterOf((chats[0] as (typeof chats)[0]).ref);
    expect(sb.store.clusterViews.get(open)?.status).toBe('open');
    expect((await post('/clusters/99999/resolve', {})).status).toBe(404);
    const again = await post(`/clusters/${done}/resolve`, {});
    expect(again).toMatchObject({ status: 409, body: { error: 'conflict' } });
    expect((await post(`/clusters/${open}/split`, { ticketIds: [123456] })).status).toBe(400);
    const cases: Array<[string, unknown, RegExp]> = [
      [`/clusters/${open}/merge`, { sourceIds: [open] }, /cannot merge into itself/],
      [`/clusters/${open}/merge`, { sourceIds: [] }, /at least one cluster/],
      [`/clusters/${open}/merge`, {}, /sourceIds/],
      [`/clusters/${open}/merge`, { sourceIds: [done, done] }, /must not repeat/],
      [`/clusters/${open}/split`, { ticketIds: 'all' }, /ticketIds/],
      [`/clusters/${open}/resolve`, { notify: 'yes' }, /notify/],
      [`/clusters/${open}/resolve`, { resolution: 'x'.repeat(501) }, /resolution/],
      [`/clusters/${open}/resolve`, { notfy: false }, /Unrecognized key: "notfy"/],
      [`/clusters/${open}/resolve`, '{"notify": tru', /not valid JSON/],
      ['/clusters/abc/resolve', {}, /cluster id must be a number/],
    ];
    for (const [path, body, reason] of cases) {
      const res = await post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.message).toMatch(reason);
    }
    expect(sb.store.clusterViews.get(open)?.status).toBe('open');
  });

  it('renames a cluster for good, and charts its reports per day', async () => {
    const { body } = await webClient(sb.url).send(
      'The invoice PDF downloads as a blank page, Chrome 126 on macOS, app 3.2.1',
    );
    await sb.engine.idle();
    const ticket = sb.store.tickets.forConversation(body.conversationId)[0];
    const clusterId = ticket?.clusterId as number;

    const renamed = await post(`/clusters/${clusterId}/rename`, {
      title: '  Invoice PDF is blank  ',
      actor: 'dana',
    });
    expect(renamed).toMatchObject({
      status: 200,
      body: { cluster: { title: 'Invoice PDF is blank' } },
    });
    // A second report of the problem grows the cluster; the person's title stays.
    await webClient(sb.url).send(
      'Invoice pdf is an empty white page when I download it, Firefox 127',
    );
    await sb.engine.idle();
    const get = async (path: string) =>
      (await fetch(`${sb.url}/api${path}`, {
        headers: { authorization: `Bearer ${sb.adminToken}` },
      }).then((r) => r.json())) as Record<string, unknown>;
    const detail = (await get(`/clusters/${clusterId}`)) as {
      cluster: { title: string; reports: number };
      audit: Array<{ action: string; actor: string; detail: { from: string; to: string } }>;
    };
    expect(detail.cluster.title).toBe('Invoice PDF is blank');
    expect(detail.audit).toContainEqual(
      expect.objectContaining({
        action: 'renamed',
        actor: 'dana',
        detail: expect.objectContaining({ to: 'Invoice PDF is blank' }),
      }),
    );

    const { days } = (await get(`/clusters/${clusterId}/timeline?days=14`)) as {
      days: Array<{ date: string; reports: number }>;
    };
    expect(days).toHaveLength(14);
    expect(days.at(-1)).toEqual({
      date: new Date().toISOString().slice(0, 10),
      reports: detail.cluster.reports,
    });
    expect(days.slice(0, -1).every((d) => d.reports === 0)).toBe(true);

    expect((await post(`/clusters/${clusterId}/rename`, { title: ' ' })).status).toBe(400);
    expect((await post('/clusters/99999/rename', { title: 'x' })).status).toBe(404);
    const bad = await fetch(`${sb.url}/api/clusters/${clusterId}/timeline?days=365`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
    });
    expect(bad.status).toBe(400);
  });
});
