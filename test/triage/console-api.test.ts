/**
 * What the triage console reads, from a running Switchboard over tickets the web chat
 * filed: the ranked list's filters, search and 14-day sparklines; per-day and per-setup
 * counts that follow tickets when clusters merge and split; the overview per day; the
 * live stream of the outbox; and a stored digest as Slack shows it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

const SETTINGS_CRASH = [
  'The app crashes every time I open settings on my iPhone 14 with iOS 17, version 3.2.1',
  'Settings screen closes the app on my Pixel 7, Android 14, app version 3.2.1',
];
const PAYMENT_CRASH =
  'Checkout crashes at the payment step and I lose my cart, Chrome 120 on Windows 11, version 3.2.0';

interface ListedCluster {
  id: number;
  title: string;
  productArea: string | null;
  reports: number;
  daily: number[];
  environment: { appVersions: Record<string, number> };
}

describe('the console API', () => {
  const data = tempDataDir();
  let sb: Switchboard;
  const refs: string[] = [];

  const call = async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${sb.url}/api${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${sb.adminToken}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const list = async (query = '') =>
    (await call<{ clusters: ListedCluster[]; total: number }>(`/clusters?${query}`)).body;
  const clusterOf = (ref: string) => sb.store.tickets.byRef(ref)?.clusterId as number;
  const report = async (text: string) => {
    const { body } = await webClient(sb.url).send(text);
    await sb.engine.idle();
    const ticket = sb.store.tickets.forConversation(body.conversationId)[0];
    if (!ticket) throw new Error(`no ticket for "${text}"`);
    return ticket;
  };

  beforeAll(async () => {
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    for (const text of [...SETTINGS_CRASH, PAYMENT_CRASH]) refs.push((await report(text)).ref);
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
  });

  it('filters and searches the ranked list, each cluster with its last 14 days', async () => {
    const all = await list();
    expect(all.total).toBe(2);
    const crash = all.clusters.find((c) => c.id === clusterOf(refs[0] as string));
    expect(crash?.daily).toHaveLength(14);
    // Both reports came today: the sparkline ends with them.
    expect(crash?.daily.at(-1)).toBe(2);
    expect(crash?.daily.slice(0, 13).every((n) => n === 0)).toBe(true);

    // Search by a word of the title, cut short as someone typing it.
    const checkout = clusterOf(refs[2] as string);
    expect((await list('q=checko')).clusters.map((c) => c.id)).toEqual([checkout]);
    expect((await list('q=zzzz')).total).toBe(0);
    expect((await list('platform=web')).total).toBe(2);
    expect((await list('platform=discord')).total).toBe(0);
    expect((await list('urgency=critical')).total).toBe(0);
    const area = crash?.productArea as string;
    expect((await list(`productArea=${encodeURIComponent(area)}`)).clusters[0]?.id).toBe(crash?.id);

    const bad = await call<{ message: string }>('/clusters?platform=fax');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/platform/);

    const { body } = await call<{ areas: Array<{ productArea: string; reports: number }> }>(
      '/clusters/areas',
    );
    expect(body.areas.map((a) => a.reports).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('moves reports per day and affected versions with the tickets on merge and split', async () => {
    const crash = clusterOf(refs[0] as string);
    const checkout = clusterOf(refs[2] as string);
    const versions = async (id: number) =>
      (await call<{ cluster: ListedCluster }>(`/clusters/${id}`)).body.cluster.environment
        .appVersions;
    expect(await versions(crash)).toEqual({ '3.2.1': 2 });

    await call(`/clusters/${crash}/merge`, { method: 'POST', body: { sourceIds: [checkout] } });
    const timeline = async (id: number) =>
      (await call<{ days: Array<{ reports: number }> }>(`/clusters/${id}/timeline?days=3`)).body
        .days;
    expect((await timeline(crash)).map((d) => d.reports)).toEqual([0, 0, 3]);
    expect((await timeline(checkout)).at(-1)?.reports).toBe(0);
    expect(await versions(crash)).toEqual({ '3.2.1': 2, '3.2.0': 1 });

    const payment = sb.store.tickets.byRef(refs[2] as string)?.id as number;
    const split = await call<{ newCluster: ListedCluster }>(`/clusters/${crash}/split`, {
      method: 'POST',
      body: { ticketIds: [payment] },
    });
    expect(split.status).toBe(201);
    expect(await versions(crash)).toEqual({ '3.2.1': 2 });
    expect(await versions(split.body.newCluster.id)).toEqual({ '3.2.0': 1 });
    expect((await timeline(split.body.newCluster.id)).at(-1)?.reports).toBe(1);
    const detail = await call<{ ticketsTotal: number }>(`/clusters/${crash}`);
    expect(detail.body.ticketsTotal).toBe(2);
  });

  it('counts tickets per day by priority, platform and product area', async () => {
    const { body } = await call<{
      days: Array<{ date: string; total: number; byPlatform: Record<string, number> }>;
    }>('/overview/daily?days=7');
    expect(body.days).toHaveLength(7);
    expect(body.days.at(-1)?.date).toBe(new Date().toISOString().slice(0, 10));
    expect(body.days.at(-1)).toMatchObject({ total: 3, byPlatform: { web: 3, discord: 0 } });
    expect((await call('/overview/daily?days=0')).status).toBe(400);
  });

  it('streams each committed outbox event to the console as it happens', async () => {
    const abort = new AbortController();
    const res = await fetch(`${sb.url}/api/stream`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
      signal: abort.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const ticket = report('Push notifications never arrive on my phone since yesterday, app 3.2.1');
    const deadline = Date.now() + 5_000;
    while (!text.includes('event: ticket.created') && Date.now() < deadline) {
      text += decoder.decode((await reader.read()).value, { stream: true });
    }
    const { ref } = await ticket;
    abort.abort();
    expect(text).toContain('event: ticket.created');
    expect(text).toContain(`"ref":"${ref}"`);
    expect((await fetch(`${sb.url}/api/stream`)).status).toBe(401);
  });

  it('serves the console page itself, at /console, under a self-only content policy', async () => {
    const res = await fetch(`${sb.url}/console`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await res.text()).toContain('/console/app.js');
    const chart = await fetch(`${sb.url}/console/vendor/uPlot.esm.js`);
    expect(chart.status).toBe(200);
  });

  it('shows a stored digest as the Slack messages that post it', async () => {
    const stored = sb.triage.publishDigest({ since: 0, until: Date.now() + 1, topN: 5 });
    const { status, body } = await call<{
      messages: Array<{ text: string; blocks: Array<{ type: string }> }>;
    }>(`/digests/${stored.id}?format=slack`);
    expect(status).toBe(200);
    expect(body.messages[0]?.blocks[0]?.type).toBe('header');
    expect(body.messages[0]?.text).toMatch(/Support digest/);
    expect((await call(`/digests/${stored.id}?format=pdf`)).status).toBe(400);
  });
});
