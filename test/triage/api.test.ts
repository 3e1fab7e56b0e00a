import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigest } from '../../src/engine/triage/digest/build.ts';
import { notifyReporters } from '../../src/engine/triage/reporters.ts';
import type { Switchboard } from '../../src/main.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';
import { attachTicket, HOUR, seedCluster, seedTicket } from './seed.ts';

/** A client for the admin API with the switchboard's bearer token. */
function adminApi(sb: Switchboard) {
  return async <T = Record<string, unknown>>(path: string, init: RequestInit = {}) => {
    const res = await fetch(`${sb.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' },
    });
    const text = await res.text();
    const isJson = res.headers.get('content-type')?.includes('json');
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (isJson ? JSON.parse(text) : text) as T,
    };
  };
}

type TicketJson = { ref: string; priority: string; productArea: string | null; summary: string };

describe('tickets and overview, from tickets raised in the web chat', () => {
  const data = tempDataDir();
  let sb: Switchboard;
  let api: ReturnType<typeof adminApi>;
  const refs: string[] = [];
  const conversations: string[] = [];
  let client: ReturnType<typeof webClient>;

  beforeAll(async () => {
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    api = adminApi(sb);
    client = webClient(sb.url);
    for (const text of [
      'The app crashes every time I open settings on my iPhone 14 with iOS 17, version 3.2.1',
      'Settings screen closes the app on my Pixel 7, Android 14, app version 3.2.1',
      'The checkout pay button does nothing in Chrome 120 on Windows 11, I get no error',
    ]) {
      const { body } = await client.send(text);
      await sb.engine.idle();
      const bot = (await client.messages(body.conversationId)).messages.find(
        (m) => m.role === 'bot',
      );
      const ref = /T-\d{4}/.exec(bot?.text ?? '')?.[0];
      if (!ref) throw new Error(`no ticket for "${text}": ${bot?.text}`);
      refs.push(ref);
      conversations.push(body.conversationId);
    }
    // A question is answered, not ticketed.
    await client.send('How do I reset my password?');
    await sb.engine.idle();
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
  });

  it('refuses the admin API without the bearer token', async () => {
    for (const path of ['/api/tickets', '/api/clusters', '/api/overview', '/api/digest']) {
      expect((await fetch(`${sb.url}${path}`)).status).toBe(401);
      const wrong = await fetch(`${sb.url}${path}`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
    }
  });

  it('lists the tickets newest first, with each filter and pagination', async () => {
    const all = await api<{ tickets: TicketJson[]; hasMore: boolean }>('/tickets');
    expect(all.status).toBe(200);
    expect(all.body.tickets.map((t) => t.ref)).toEqual([...refs].reverse());
    const [iphone, pixel, checkout] = refs;

    const list = async (query: string) =>
      (await api<{ tickets: TicketJson[]; hasMore: boolean }>(`/tickets?${query}`)).body;
    expect((await list('priority=high')).tickets.map((t) => t.ref)).toEqual([iphone]);
    // The normalizer files the checkout report under a Checkout section of the docs.
    const checkoutArea = all.body.tickets.find((t) => t.ref === checkout)?.productArea ?? '';
    expect(checkoutArea).toMatch(/^Checkout › /);
    expect(
      (await list(`productArea=${encodeURIComponent(checkoutArea)}`)).tickets.map((t) => t.ref),
    ).toContain(checkout);
    expect((await list('category=bug&platform=web&status=open')).tickets).toHaveLength(3);
    expect((await list('status=resolved')).tickets).toEqual([]);
    expect((await list('platform=discord')).tickets).toEqual([]);

    const first = await list('limit=2');
    expect(first.tickets.map((t) => t.ref)).toEqual([checkout, pixel]);
    expect(first.hasMore).toBe(true);
    const second = await list('limit=2&offset=2');
    expect(second.tickets.map((t) => t.ref)).toEqual([iphone]);
    expect(second.hasMore).toBe(false);
  });

  it('shows one ticket by its reference', async () => {
    const ref = refs[0] as string;
    const { status, body } = await api<{ ticket: TicketJson & { reporter: { name: string } } }>(
      `/tickets/${ref.toLowerCase()}`,
    );
    expect(status).toBe(200);
    expect(body.ticket).toMatchObject({ ref, priority: 'high', reporter: { name: 'Web visitor' } });
    expect(body.ticket.summary).toMatch(/crashes every time I open settings/);
    expect((await api('/tickets/T-99999')).status).toBe(404);
  });

  it('counts tickets by priority, category, sentiment, product area, status and platform', async () => {
    const { status, body } =
      await api<Record<string, Record<string, number> | number>>('/overview');
    expect(status).toBe(200);
    const tickets = await Promise.all(refs.map((r) => sb.store.tickets.byRef(r)));
    const byArea: Record<string, number> = {};
    for (const t of tickets) byArea[t?.productArea ?? ''] = (byArea[t?.productArea ?? ''] ?? 0) + 1;
    expect(body).toMatchObject({
      total: 3,
      byPriority: { low: 0, medium: 2, high: 1, critical: 0 },
      byCategory: { bug: 3 },
      bySentiment: { negative: 3 },
      byProductArea: byArea,
      byStatus: { open: 3, resolved: 0 },
      byPlatform: { web: 3, slack: 0, discord: 0, telegram: 0 },
    });
  });

  it('tells each reporter of a fixed cluster, once, in their own web chat', async () => {
    const [iphone, pixel] = refs as [string, string];
    const crash = seedCluster(sb.store, { title: 'app closes when opening settings' });
    attachTicket(sb.store, iphone, crash);
    attachTicket(sb.store, pixel, crash);
    const told = await notifyReporters(
      sb.store,
      (id, text) => sb.engine.notify(id, text),
      crash,
      'Fixed in 3.2.2',
    );
    expect(told).toEqual({ reporters: 2, notified: 2 });
    const notices = async (conversationId: string) =>
      (await client.messages(conversationId)).messages.filter((m) => m.role === 'system');
    expect((await notices(conversations[0] as string)).map((m) => m.text)).toEqual([
      `The fix for the problem you reported (${iphone}) is out. Fixed in 3.2.2. Thanks for reporting it; if it still happens, just reply here.`,
    ]);
    expect((await notices(conversations[1] as string)).map((m) => m.text)).toEqual([
      expect.stringContaining(`(${pixel}) is out.`),
    ]);
    expect(await notices(conversations[2] as string)).toEqual([]);
  });

  it('answers bad parameters with 400 and the reason, never a 500', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/tickets?priority=urgent', /priority: .*"low"\|"medium"\|"high"\|"critical"/],
      ['/tickets?limit=0', /limit/],
      ['/tickets?limit=abc', /limit/],
      ['/tickets?offset=-1', /offset/],
      ['/tickets?clusterId=x', /clusterId/],
      ['/tickets?platform=fax', /platform/],
      ['/tickets?prio=high', /Unrecognized key: "prio"/],
      ['/tickets?status=open&status=resolved', /status/],
      ['/tickets/1001', /T-1042/],
      ['/clusters?status=gone', /status/],
      ['/clusters?limit=1000', /limit/],
      ['/clusters/abc', /cluster id must be a number/],
      ['/clusters/0', /cluster id must be positive/],
      ['/digest?since=yesterday', /since: "yesterday" is not a window/],
      ['/digest?since=400d', /at most 366d/],
      ['/digest?format=xml', /format: must be json or md/],
      ['/digest?top=0', /top/],
      ['/digests?limit=x', /limit/],
      ['/digests/abc', /digest id must be a number/],
    ];
    for (const [path, reason] of cases) {
      const res = await api<{ error: string; message: string }>(path);
      expect(res.status, path).toBe(400);
      expect(res.body.message, path).toMatch(reason);
    }
    expect((await api('/clusters/999999')).status).toBe(404);
    expect((await api('/digests/999999')).status).toBe(404);
  });
});

describe('clusters and the digest through the API', () => {
  const data = tempDataDir();
  let sb: Switchboard;
  let api: ReturnType<typeof adminApi>;
  let crash: number;
  let checkout: number;
  let fixed: number;
  const crashTickets: Array<{ id: number; ref: string; similarity: number }> = [];

  beforeAll(async () => {
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    api = adminApi(sb);
    const now = Date.now();
    crash = seedCluster(sb.store, {
      title: 'app closes when opening settings',
      productArea: 'Mobile app › Settings',
      impact: 120,
      urgency: 'urgent',
    });
    checkout = seedCluster(sb.store, {
      title: 'pay button does nothing',
      productArea: 'Checkout',
      impact: 80,
    });
    fixed = seedCluster(sb.store, { title: 'old login loop', impact: 500, status: 'resolved' });
    // One report the day before, three in the last 24 h: rising.
    for (const [i, hoursAgo, reporter, platform, similarity] of [
      [0, 40, 'a', 'web', 1],
      [1, 20, 'b', 'discord', 0.84],
      [2, 10, 'b', 'discord', 0.79],
      [3, 4, 'c', 'telegram', 0.91],
    ] as const) {
      const t = seedTicket(sb.store, crash, {
        at: now - hoursAgo * HOUR,
        summary: `settings crash report ${i}, write to me at someone${i}@example.com`,
        reporter,
        platform,
        similarity,
      });
      crashTickets.push({ ...t, similarity });
    }
    seedTicket(sb.store, checkout, {
      at: now - 2 * HOUR,
      summary: 'pay button dead',
      reporter: 'd',
    });
    seedTicket(sb.store, fixed, { at: now - 3 * HOUR, summary: 'login loop', reporter: 'e' });
    sb.store.db
      .prepare(
        `INSERT INTO cluster_audit (cluster_id, action, actor, detail, created_at)
         VALUES (?, 'created', NULL, ?, ?)`,
      )
      .run(crash, JSON.stringify({ ticketId: crashTickets[0]?.id }), now - 40 * HOUR);
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
  });

  it('lists open clusters ranked by impact with their counts and trend', async () => {
    type ClusterJson = Record<string, unknown> & { id: number };
    const { body } = await api<{ clusters: ClusterJson[]; total: number }>('/clusters');
    expect(body.total).toBe(2);
    expect(body.clusters.map((c) => c.id)).toEqual([crash, checkout]);
    expect(body.clusters[0]).toMatchObject({
      title: 'app closes when opening settings',
      productArea: 'Mobile app › Settings',
      status: 'open',
      reports: 4,
      uniqueReporters: 3,
      platforms: ['discord', 'telegram', 'web'],
      priorityMix: { low: 0, medium: 0, high: 4, critical: 0 },
      urgency: 'urgent',
      impact: 120,
      trend: 'rising',
      reportsLast24h: 3,
    });
    expect(body.clusters[1]).toMatchObject({ trend: 'new', reports: 1 });
    expect(Date.parse(body.clusters[0]?.firstSeen as string)).toBeLessThan(
      Date.parse(body.clusters[0]?.lastSeen as string),
    );

    const page = await api<{ clusters: ClusterJson[]; total: number }>(
      '/clusters?limit=1&offset=1',
    );
    expect(page.body.clusters.map((c) => c.id)).toEqual([checkout]);
    const resolved = await api<{ clusters: ClusterJson[] }>('/clusters?status=resolved');
    expect(resolved.body.clusters.map((c) => c.id)).toEqual([fixed]);
  });

  it('shows why each ticket is in a cluster, and the audit log', async () => {
    const { status, body } = await api<{
      tickets: Array<{ ref: string; similarity: number }>;
      ticketsTotal: number;
      audit: Array<{ action: string }>;
    }>(`/clusters/${crash}`);
    expect(status).toBe(200);
    expect(body.ticketsTotal).toBe(4);
    expect(body.tickets.map((t) => [t.ref, t.similarity])).toEqual(
      [...crashTickets].reverse().map((t) => [t.ref, t.similarity]),
    );
    expect(body.audit.map((a) => a.action)).toEqual(['created']);
    const onlyTwo = await api<{ tickets: unknown[] }>(`/clusters/${crash}?limit=2&offset=1`);
    expect(onlyTwo.body.tickets).toHaveLength(2);

    const inCluster = await api<{ tickets: TicketJson[] }>(`/tickets?clusterId=${checkout}`);
    expect(inCluster.body.tickets.map((t) => t.summary)).toEqual(['pay button dead']);
  });

  it('builds the digest as JSON or Markdown, with quotes redacted', async () => {
    const json = await api<{
      digest: {
        entries: Array<{ clusterId: number; trend: string; reports: number; quotes: string[] }>;
      };
    }>('/digest?since=24h');
    expect(json.status).toBe(200);
    expect(json.body.digest.entries.map((e) => [e.clusterId, e.trend, e.reports])).toEqual([
      [crash, 'rising', 3],
      [checkout, 'new', 1],
    ]);
    expect(json.body.digest.entries[0]?.quotes).toHaveLength(3);
    expect(JSON.stringify(json.body)).not.toMatch(/someone\d@example\.com/);

    const top = await api<{ digest: { entries: unknown[] } }>('/digest?since=3d&top=1');
    expect(top.body.digest.entries).toHaveLength(1);

    const md = await api<string>('/digest?since=24h&format=md');
    expect(md.type).toMatch(/^text\/markdown/);
    expect(md.body).toMatch(/^# Support digest: /);
    expect(md.body).toContain('## 1. app closes when opening settings');
    expect(md.body).toContain('**Mobile app › Settings** · ↑ rising');
    expect(md.body).toContain('> settings crash report 3, write to me at [email]');
    expect(md.body).not.toMatch(/someone\d@example\.com/);
  });

  it('lists the stored digests and serves each one', async () => {
    const stored = createDigest(sb.store, {
      since: Date.now() - 24 * HOUR,
      until: Date.now(),
      topN: 10,
    });
    const list = await api<{ digests: Array<{ id: number }>; total: number }>('/digests');
    expect(list.body.total).toBe(1);
    expect(list.body.digests.map((d) => d.id)).toEqual([stored.id]);
    const one = await api<{ digest: { id: number; entries: unknown[] } }>(`/digests/${stored.id}`);
    expect(one.body.digest).toEqual(JSON.parse(JSON.stringify(stored)));
    const md = await api<string>(`/digests/${stored.id}?format=md`);
    expect(md.body).toContain('## 2. pay button does nothing');
  });
});
