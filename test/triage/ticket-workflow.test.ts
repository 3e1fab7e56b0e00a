/**
 * The ticket workflow of a running Switchboard, over tickets raised in the web chat: status
 * moves with notes, priority and tag edits, text and date search, the ticket's page
 * (redacted transcript, cluster, webhook deliveries), and the `ticket.updated` webhooks a
 * Standard Webhooks receiver verifies.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';
import { eventually } from '../webhooks/setup.ts';
import { HOUR, seedCluster, seedTicket } from './seed.ts';

const REPORTS = {
  iphone:
    'The app crashes every time I open settings on my iPhone 14 with iOS 17, version 3.2.1. Write to me at mara.k@example.com',
  pixel: 'Settings screen closes the app on my Pixel 7, Android 14, app version 3.2.1',
  checkout: 'The checkout pay button does nothing in Chrome 120 on Windows 11, I get no error',
  invoice: 'The invoice PDF downloads as a blank page, Chrome 126 on macOS, app 3.2.1',
} as const;

type TicketJson = {
  ref: string;
  status: string;
  priority: string;
  tags: string[];
  summary: string;
  clusterId: number | null;
};
type Change = { from: unknown; to: unknown };
type Detail = {
  ticket: TicketJson;
  transcript: Array<{ role: string; text: string; internal: boolean }>;
  cluster: { id: number; title: string; status: string } | null;
  history: Array<{
    action: string;
    actor: string;
    detail: Partial<Change>;
    note: string | null;
    createdAt: string;
  }>;
  deliveries: Array<{
    eventType: string;
    endpoint: string;
    status: string;
    attempts: number;
    lastStatusCode: number | null;
    deliveredAt: string | null;
  }>;
};
type Updated = {
  type: string;
  data: {
    ticket: TicketJson;
    changes: Record<string, Change>;
    note: string | null;
    actor: string;
  };
};

describe('the ticket workflow through the admin API', () => {
  const data = tempDataDir();
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  let receiver: WebhookReceiver;
  let sb: Switchboard;
  const refs = {} as Record<keyof typeof REPORTS, string>;

  const api = async <T = Record<string, unknown>>(path: string, init: RequestInit = {}) => {
    const res = await fetch(`${sb.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const patch = (ref: string, body: unknown) =>
    api<{ ticket: TicketJson; changed: boolean; error?: string; message?: string }>(
      `/tickets/${ref}`,
      { method: 'PATCH', body: typeof body === 'string' ? body : JSON.stringify(body) },
    );
  const detail = async (ref: string) => (await api<Detail>(`/tickets/${ref}`)).body;
  const byStatus = async () =>
    (await api<{ byStatus: Record<string, number> }>('/overview')).body.byStatus;
  const list = async (query: string) =>
    (await api<{ tickets: TicketJson[]; hasMore: boolean }>(`/tickets?${query}`)).body.tickets.map(
      (t) => t.ref,
    );
  /** The `ticket.updated` webhooks the receiver got for a ticket, each verified. */
  const updatesOf = (ref: string) =>
    receiver.requests
      .map((r) => new Webhook(secret).verify(r.body, r.headers) as Updated)
      .filter((e) => e.type === 'ticket.updated' && e.data.ticket.ref === ref);

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sb = await startTestSwitchboard({
      DATA_DIR: data.dir,
      WEBHOOK_URLS: `${receiver.url}/hooks`,
      WEBHOOK_SECRET: secret,
    });
    const client = webClient(sb.url);
    for (const [name, text] of Object.entries(REPORTS) as Array<[keyof typeof REPORTS, string]>) {
      const { body } = await client.send(text);
      await sb.engine.idle();
      const bot = (await client.messages(body.conversationId)).messages.find(
        (m) => m.role === 'bot',
      );
      const ref = /T-\d{4}/.exec(bot?.text ?? '')?.[0];
      if (!ref) throw new Error(`no ticket for "${text}": ${bot?.text}`);
      refs[name] = ref;
    }
  });
  afterAll(async () => {
    await sb?.stop();
    await receiver?.close();
    data.remove();
  });

  it('moves a ticket open → in progress → closed → reopened, with notes, on its page and in the overview', async () => {
    const ref = refs.iphone;
    const before = await byStatus();
    expect(Object.keys(before).sort()).toEqual(['closed', 'in_progress', 'open', 'resolved']);

    const started = await patch(ref, {
      status: 'in_progress',
      note: 'Looking into it',
      actor: 'dana',
    });
    expect(started).toMatchObject({
      status: 200,
      body: { changed: true, ticket: { ref, status: 'in_progress' } },
    });
    expect(await byStatus()).toEqual({
      ...before,
      open: (before.open ?? 0) - 1,
      in_progress: (before.in_progress ?? 0) + 1,
    });
    expect(await list('status=in_progress')).toEqual([ref]);

    expect(
      (await patch(ref, { status: 'closed', note: 'Fixed in 3.2.2' })).body.ticket.status,
    ).toBe('closed');
    expect(await byStatus()).toEqual({
      ...before,
      open: (before.open ?? 0) - 1,
      closed: (before.closed ?? 0) + 1,
    });
    expect(await list('status=closed')).toEqual([ref]);
    expect(await list('status=in_progress')).toEqual([]);

    const reopened = await patch(ref, { status: 'open', note: 'Still crashes on 3.2.2' });
    expect(reopened.body.ticket.status).toBe('open');
    expect(await byStatus()).toEqual(before);

    const page = await detail(ref);
    expect(page.ticket.status).toBe('open');
    expect(page.history.map((h) => [h.action, h.detail, h.note, h.actor])).toEqual([
      ['status', { from: 'open', to: 'in_progress' }, 'Looking into it', 'dana'],
      ['status', { from: 'in_progress', to: 'closed' }, 'Fixed in 3.2.2', 'admin'],
      ['status', { from: 'closed', to: 'open' }, 'Still crashes on 3.2.2', 'admin'],
    ]);
    expect(Number.isNaN(Date.parse(page.history[0]?.createdAt ?? ''))).toBe(false);
  });

  it('refuses a move the workflow does not allow with 409 and the reason, changing nothing', async () => {
    const ref = refs.pixel;
    await patch(ref, { status: 'closed' });
    const history = (await detail(ref)).history;

    const back = await patch(ref, { status: 'in_progress' });
    expect(back).toMatchObject({ status: 409, body: { error: 'conflict' } });
    expect(back.body.message).toBe(
      `${ref} is closed and cannot move to in_progress: it can move to open`,
    );
    const resolved = await patch(ref, { status: 'resolved', note: 'done' });
    expect(resolved.status).toBe(409);
    expect(resolved.body.message).toMatch(/resolved by marking its cluster fixed/);

    const page = await detail(ref);
    expect(page.ticket.status).toBe('closed');
    expect(page.history).toEqual(history);
    await patch(ref, { status: 'open' });
  });

  it('edits priority and tags, keeping the counters; a patch that changes nothing writes nothing', async () => {
    const ref = refs.checkout;
    const overview = async () =>
      (await api<{ byPriority: Record<string, number> }>('/overview')).body.byPriority;
    const { ticket } = await detail(ref);
    const priorities = await overview();
    const next = ticket.priority === 'critical' ? 'low' : 'critical';

    const edited = await patch(ref, {
      priority: next,
      tags: [' checkout ', 'Chrome', 'chrome', 'pay  button'],
    });
    expect(edited).toMatchObject({
      status: 200,
      body: {
        changed: true,
        ticket: { priority: next, tags: ['checkout', 'Chrome', 'pay button'] },
      },
    });
    expect(await overview()).toEqual({
      ...priorities,
      [ticket.priority]: (priorities[ticket.priority] ?? 0) - 1,
      [next]: (priorities[next] ?? 0) + 1,
    });
    expect(await list(`priority=${next}`)).toContain(ref);
    const cluster = await api<{ cluster: { priorityMix: Record<string, number> } }>(
      `/clusters/${ticket.clusterId}`,
    );
    expect(cluster.body.cluster.priorityMix[next]).toBe(1);

    const page = await detail(ref);
    expect(page.history.map((h) => [h.action, h.detail])).toEqual([
      ['priority', { from: ticket.priority, to: next }],
      ['tags', { from: ticket.tags, to: ['checkout', 'Chrome', 'pay button'] }],
    ]);

    const same = await patch(ref, { priority: next, tags: ['checkout', 'Chrome', 'pay button'] });
    expect(same).toMatchObject({
      status: 200,
      body: { changed: false, ticket: { priority: next } },
    });
    expect((await detail(ref)).history).toEqual(page.history);
    expect(await overview()).toEqual({
      ...priorities,
      [ticket.priority]: (priorities[ticket.priority] ?? 0) - 1,
      [next]: (priorities[next] ?? 0) + 1,
    });

    const noted = await patch(ref, { note: 'Customer sent a screen recording' });
    expect(noted.body.changed).toBe(true);
    expect((await detail(ref)).history.at(-1)).toMatchObject({
      action: 'note',
      note: 'Customer sent a screen recording',
      detail: {},
    });
  });

  it('answers a bad patch with 400 naming the field, and an unknown ticket with 404', async () => {
    const ref = refs.invoice;
    const cases: Array<[unknown, RegExp]> = [
      [{ status: 'done' }, /^status: .*"open"\|"in_progress"\|"closed"\|"resolved"/],
      [{ priority: 'urgent' }, /^priority: /],
      [{ tags: 'crash' }, /^tags: must be an array of tags/],
      [{ tags: [7] }, /^tags\.0: each tag must be a string/],
      [{ tags: ['  '] }, /^tags\.0: a tag needs some characters/],
      [{ tags: ['x'.repeat(41)] }, /^tags\.0: a tag may be at most 40 characters/],
      [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /^tags: may name at most 20/],
      [{ note: 'x'.repeat(1001) }, /^note: may be at most 1000 characters/],
      [{ note: 42 }, /^note: must be a string/],
      [{}, /name at least one of status, priority, tags or note/],
      [{ note: '   ' }, /name at least one of status, priority, tags or note/],
      [{ actor: 'dana' }, /name at least one of/],
      [{ stauts: 'open' }, /Unrecognized key: "stauts"/],
      ['{"status": "open"', /not valid JSON/],
      ['[]', /the body must be a JSON object/],
    ];
    for (const [body, reason] of cases) {
      const res = await patch(ref, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message, JSON.stringify(body)).toMatch(reason);
    }
    expect((await detail(ref)).history).toEqual([]);
    expect(await patch('T-99999', { status: 'closed' })).toMatchObject({
      status: 404,
      body: { error: 'not_found', message: 'no ticket T-99999' },
    });
    expect((await patch('1001', { status: 'closed' })).status).toBe(400);
  });

  it('finds tickets by their words and by when they were created', async () => {
    const now = Date.now();
    const old = seedCluster(sb.store, { title: 'export is missing columns' });
    const report = (hoursAgo: number, summary: string, reporter: string) =>
      seedTicket(sb.store, old, { at: now - hoursAgo * HOUR, summary, reporter });
    const tenDays = report(240, 'CSV export drops the totals column', 'csv1');
    const fiveDays = report(120, 'The CSV export has no header', 'csv2');
    const yesterday = report(24, 'Exporting to CSV hangs', 'csv3');

    expect(await list('q=crash')).toEqual([refs.iphone]);
    expect(await list('q=checkout%20button')).toEqual([refs.checkout]);
    expect(await list('q=csv')).toEqual([yesterday.ref, fiveDays.ref, tenDays.ref]);
    expect(await list('q=CSV%20export')).toEqual([yesterday.ref, fiveDays.ref, tenDays.ref]);
    expect(await list('q=export%20header')).toEqual([fiveDays.ref]);
    expect(await list('q=3.2.1&platform=web')).toEqual(
      expect.arrayContaining([refs.iphone, refs.pixel]),
    );
    expect(await list('q=nonexistentword')).toEqual([]);

    const day = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString().slice(0, 10);
    const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
    expect(await list(`q=csv&from=${at(130)}&to=${at(20)}`)).toEqual([yesterday.ref, fiveDays.ref]);
    expect(await list(`from=${day(240)}&to=${day(240)}`)).toEqual([tenDays.ref]);
    expect(await list(`to=${at(100)}`)).toEqual([fiveDays.ref, tenDays.ref]);
    expect(await list(`from=${at(1)}`)).toEqual(Object.values(refs).reverse());
    expect(await list(`from=${at(1)}&q=settings`)).toEqual([refs.pixel, refs.iphone]);
    expect(await list(`clusterId=${old}&to=${at(200)}`)).toEqual([tenDays.ref]);

    const first = await api<{ tickets: TicketJson[]; hasMore: boolean }>('/tickets?q=csv&limit=2');
    expect(first.body.hasMore).toBe(true);
    const second = await api<{ tickets: TicketJson[]; hasMore: boolean }>(
      '/tickets?q=csv&limit=2&offset=2',
    );
    expect(second.body).toMatchObject({ hasMore: false, tickets: [{ ref: tenDays.ref }] });

    const cases: Array<[string, RegExp]> = [
      ['from=yesterday', /^from: must be an ISO date \(2025-03-14\) or time/],
      ['to=2025-02-30', /^to: must be an ISO date/],
      ['from=2025-03-14T09:00:00', /^from: must be an ISO date .* with a zone/],
      [`from=${day(0)}&to=${day(48)}`, /^from: must be before to/],
      ['q=%21%21%21', /^q: needs a word or a number to search for/],
      [`q=${'x'.repeat(201)}`, /^q: may be at most 200 characters/],
      ['status=reopened', /^status: /],
    ];
    for (const [query, reason] of cases) {
      const res = await api<{ message: string }>(`/tickets?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.message, query).toMatch(reason);
    }
  });

  it('sends exactly one verified ticket.updated per change, with the changes in it', async () => {
    const ref = refs.invoice;
    await patch(ref, { status: 'in_progress', note: 'Reproduced on macOS', actor: 'sam' });
    await patch(ref, { priority: 'low', tags: ['pdf', 'invoice'] });
    await patch(ref, { priority: 'low', tags: ['pdf', 'invoice'] }); // changes nothing
    await patch(ref, { note: 'Waiting for the customer' });

    const updates = await eventually(
      () => (updatesOf(ref).length >= 3 ? updatesOf(ref) : undefined),
      10_000,
      'three ticket.updated webhooks',
    );
    // Give a stray fourth delivery the time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const requests = receiver.requests.filter((r) => {
      const event = JSON.parse(r.body) as Updated;
      return event.type === 'ticket.updated' && event.data.ticket.ref === ref;
    });
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(3);
    expect(updates.map((u) => [u.data.changes, u.data.note, u.data.actor])).toEqual([
      [{ status: { from: 'open', to: 'in_progress' } }, 'Reproduced on macOS', 'sam'],
      [
        {
          priority: { from: expect.any(String), to: 'low' },
          tags: { from: expect.any(Array), to: ['pdf', 'invoice'] },
        },
        null,
        'admin',
      ],
      [{}, 'Waiting for the customer', 'admin'],
    ]);
    expect(updates[2]?.data.ticket).toMatchObject({
      ref,
      status: 'in_progress',
      priority: 'low',
      tags: ['pdf', 'invoice'],
    });
  });

  it('shows the ticket page: the redacted conversation, the cluster and the webhook deliveries', async () => {
    const ref = refs.iphone;
    const settled = async () => {
      for (let i = 0; i < 200; i++) {
        const d = await detail(ref);
        if (d.deliveries.length >= 4 && d.deliveries.every((x) => x.status === 'delivered'))
          return d;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('the deliveries of the ticket did not settle');
    };
    const shown = await settled();

    const customer = shown.transcript.filter((m) => m.role === 'customer').map((m) => m.text);
    expect(customer).toHaveLength(1);
    expect(customer[0]).toContain('[email]');
    expect(JSON.stringify(shown.transcript)).not.toContain('mara.k@example.com');
    expect(shown.transcript.find((m) => m.role === 'bot')?.text).toContain(ref);

    const cluster = await api<{ cluster: { id: number; title: string; status: string } }>(
      `/clusters/${shown.ticket.clusterId}`,
    );
    expect(shown.cluster).toEqual({
      id: cluster.body.cluster.id,
      title: cluster.body.cluster.title,
      status: 'open',
    });

    // ticket.created, then the three status changes of the first test.
    expect(shown.deliveries.map((d) => d.eventType)).toEqual([
      'ticket.created',
      'ticket.updated',
      'ticket.updated',
      'ticket.updated',
    ]);
    for (const delivery of shown.deliveries) {
      expect(delivery).toMatchObject({
        endpoint: `${receiver.url}/hooks`,
        status: 'delivered',
        attempts: 1,
        lastStatusCode: 200,
      });
      expect(Number.isNaN(Date.parse(delivery.deliveredAt ?? ''))).toBe(false);
    }

    // A ticket whose conversation has expired keeps its page, without a transcript.
    const seeded = seedTicket(sb.store, seedCluster(sb.store, { title: 'old problem' }), {
      at: Date.now() - 400 * HOUR,
      summary: 'An old report',
      reporter: 'gone',
    });
    const orphan = await detail(seeded.ref);
    expect(orphan).toMatchObject({
      transcript: [],
      cluster: { title: 'old problem', status: 'open' },
      history: [],
      deliveries: [],
    });
  });

  it('resolves in-progress tickets when their cluster is marked fixed, and reopens them', async () => {
    const ref = refs.pixel;
    const { ticket } = await detail(ref);
    // The two settings crashes are one problem; one of them a person has closed.
    expect((await detail(refs.iphone)).ticket.clusterId).toBe(ticket.clusterId);
    await patch(refs.iphone, { status: 'closed' });
    await patch(ref, { status: 'in_progress' });
    const before = await byStatus();
    const resolved = await api(`/clusters/${ticket.clusterId}/resolve`, {
      method: 'POST',
      body: JSON.stringify({ notify: false }),
    });
    expect(resolved.status).toBe(200);
    expect((await detail(ref)).ticket.status).toBe('resolved');
    expect((await detail(refs.iphone)).ticket.status).toBe('closed');
    expect(await byStatus()).toEqual({
      ...before,
      in_progress: (before.in_progress ?? 0) - 1,
      resolved: (before.resolved ?? 0) + 1,
    });
    expect(await list('status=resolved')).toContain(ref);

    expect((await patch(ref, { status: 'closed' })).status).toBe(409);
    const reopened = await patch(ref, { status: 'open', note: 'Happens again after the fix' });
    expect(reopened.body.ticket.status).toBe('open');
    expect((await detail(ref)).history.at(-1)).toMatchObject({
      action: 'status',
      detail: { from: 'resolved', to: 'open' },
      note: 'Happens again after the fix',
    });
  });
});
