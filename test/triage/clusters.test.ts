/**
 * Clustering as a developer sees it, on the sample product with the real offline embedder:
 * the five-paraphrases story, ranking by impact, escalation, and what merge, split and
 * resolve change (counts, centroids, audit log, outbox events, where the next ticket goes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_SETTINGS } from '../../src/engine/triage/clusters/index.ts';
import { meanOf } from '../../src/engine/triage/clusters/vector-math.ts';
import type { Store, Ticket } from '../../src/store/index.ts';
import { startTriage, type TriageKit } from './triage-kit.ts';

const SETTINGS_CRASH = [
  'app dies when I open settings',
  'settings screen closes the app',
  'the app crashes whenever I tap Settings',
  'opening settings makes the app quit',
  'every time I go to settings the app shuts down',
];
const COSMETIC = 'the logo on the invoice PDF is slightly blurry';

let kit: TriageKit | undefined;
afterEach(() => {
  kit?.close();
  kit = undefined;
});

/** The parts of outbox payloads the tests read. */
interface EventData {
  ticket: Record<string, unknown> & { similarity: number };
  cluster: Record<string, unknown> & { urgency: string };
}

const events = (store: Store, type: 'ticket.created' | 'cluster.escalated' | 'cluster.resolved') =>
  store.events.list({ type, limit: 1000 }).map((e) => e.data as unknown as EventData);
const auditActions = (store: Store, clusterId: number) =>
  store.clusterViews.audit(clusterId).map((a) => a.action);
const vectorsOf = (store: Store, clusterId: number) =>
  store.clusters.members(clusterId).map((m) => m.vector as Float32Array);
const expectClose = (actual: Float32Array, expected: Float32Array) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(actual[i]).toBeCloseTo(expected[i] as number, 5);
};

describe('five customers, five phrasings, one problem', () => {
  it('end up in one cluster under the docs’ product area, ranked above a louder cosmetic issue', async () => {
    kit = await startTriage();
    const { store } = kit;
    const crash: Ticket[] = [];
    for (const [i, text] of SETTINGS_CRASH.entries()) {
      crash.push(
        await kit.report({ text, reporter: `c${i}`, platform: i % 2 ? 'discord' : 'web' }),
      );
    }
    const cosmetic: Ticket[] = [];
    for (let i = 0; i < 8; i++) {
      cosmetic.push(await kit.report({ text: COSMETIC, reporter: 'pedant', priority: 'low' }));
    }

    const crashCluster = crash[0]?.clusterId as number;
    expect(crash.map((t) => t.clusterId)).toEqual(Array(5).fill(crashCluster));
    expect(cosmetic[0]?.clusterId).not.toBe(crashCluster);
    expect(new Set(cosmetic.map((t) => t.clusterId)).size).toBe(1);

    const { clusters } = store.clusterViews.list({ status: 'open', limit: 10, offset: 0 });
    expect(clusters.map((c) => c.id)).toEqual([crashCluster, cosmetic[0]?.clusterId]);
    expect(clusters[0]).toMatchObject({
      productArea: 'Mobile app › Settings',
      reports: 5,
      uniqueReporters: 5,
      platforms: { web: 3, discord: 2 },
      priorityMix: { medium: 5 },
      urgency: 'urgent',
    });
    expect(clusters[1]).toMatchObject({ reports: 8, uniqueReporters: 1, urgency: 'normal' });
    expect(clusters[0]?.impact).toBeGreaterThan((clusters[1]?.impact ?? 0) * 2);

    // "Why is this ticket here?": every ticket carries the similarity that put it there.
    const { tickets } = store.clusterViews.tickets(crashCluster, 10, 0);
    const similarities = tickets.map((t) => t.similarity as number);
    expect(Math.min(...similarities)).toBeGreaterThanOrEqual(kit.triage.settings.joinSimilarity);
    expect(tickets.find((t) => t.id === crash[0]?.id)?.similarity).toBe(1);
    expect(tickets.every((t) => t.canonical && !/[A-Z]{2,}/.test(t.canonical))).toBe(true);

    // The webhook receiver learns the cluster and similarity with each ticket.
    const created = events(store, 'ticket.created');
    expect(created).toHaveLength(13);
    expect(created[1]?.ticket).toMatchObject({
      clusterId: crashCluster,
      productArea: 'Mobile app › Settings',
    });
    expect(created[1]?.ticket.similarity).toBeGreaterThan(0.6);
  });
});

describe('urgency', () => {
  it('records cluster.escalated once per step up, with an audit row', async () => {
    kit = await startTriage();
    const { store } = kit;
    const first = await kit.report({
      text: SETTINGS_CRASH[0] as string,
      reporter: 'r0',
      priority: 'high',
    });
    await kit.report({ text: SETTINGS_CRASH[1] as string, reporter: 'r1', priority: 'high' });
    expect(events(store, 'cluster.escalated')).toEqual([]);
    // Three high-priority reporters within a day: weight 6, doubled by growth = 12, urgent.
    await kit.report({ text: SETTINGS_CRASH[2] as string, reporter: 'r2', priority: 'high' });
    const escalated = events(store, 'cluster.escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]?.cluster).toMatchObject({
      id: first.clusterId,
      urgency: 'urgent',
      previousUrgency: 'normal',
      reports: 3,
      uniqueReporters: 3,
      productArea: 'Mobile app › Settings',
    });
    await kit.report({ text: SETTINGS_CRASH[3] as string, reporter: 'r3', priority: 'low' });
    expect(events(store, 'cluster.escalated')).toHaveLength(1);
    for (let i = 4; i < 10; i++) {
      await kit.report({
        text: SETTINGS_CRASH[i % 5] as string,
        reporter: `r${i}`,
        priority: 'critical',
      });
    }
    const steps = events(store, 'cluster.escalated').map((e) => e.cluster.urgency);
    expect(steps).toEqual(['urgent', 'critical']);
    expect(
      auditActions(store, first.clusterId as number).filter((a) => a === 'escalated'),
    ).toHaveLength(2);
  });
});

describe('time decay', () => {
  it('lets a problem nobody has reported for days sink below a fresh one', async () => {
    kit = await startTriage();
    const { store } = kit;
    const sixDaysAgo = Date.now() - 6 * 86_400_000;
    for (const [i, text] of SETTINGS_CRASH.entries()) {
      await kit.report({ text, reporter: `o${i}`, at: sixDaysAgo + i * 60_000 });
    }
    const fresh: Ticket[] = [];
    for (let i = 0; i < 3; i++) {
      fresh.push(
        await kit.report({ text: 'payment fails at checkout with an error', reporter: `f${i}` }),
      );
    }
    const ranked = () => store.clusterViews.list({ status: 'open', limit: 10, offset: 0 }).clusters;
    // Scored when last reported, the old burst still leads.
    expect(ranked()[0]?.reports).toBe(5);

    expect(kit.triage.refreshImpacts()).toBe(2);
    const [first, second] = ranked();
    expect(first?.id).toBe(fresh[0]?.clusterId);
    // Five reporters, two half-lives ago, no growth: 5 / 4.
    expect(second?.impact).toBeCloseTo(1.25, 1);
    // Urgency follows the impact down, without an event: only steps up are announced.
    expect(second?.urgency).toBe('normal');
    expect(events(store, 'cluster.escalated').map((e) => e.cluster.id)).toEqual([second?.id]);
  });
});

describe('editing clusters', () => {
  const DARK_MODE = ['dark mode toggle crashes the app', 'switching to dark mode crashes the app'];
  const NEXT_DARK_MODE = 'turning on dark mode crashes the app';

  /** The settings crash (4 reports) and, apart from it, dark-mode crashes (2 reports). */
  async function settingsAndDarkMode() {
    // Both problems are filed under Mobile app › Settings, and their wording is close ("…
    // crashes the app"): the same-area bonus of regrouping would join them before a person
    // could. These tests are about what merge and split do, so it is off here; regrouping
    // itself is tested in test/triage/regroup.test.ts.
    kit = await startTriage({
      settings: { regroup: { ...DEFAULT_CLUSTER_SETTINGS.regroup, sameAreaBonus: 0 } },
    });
    const crash: Ticket[] = [];
    for (const [i, text] of SETTINGS_CRASH.slice(0, 4).entries()) {
      crash.push(await kit.report({ text, reporter: `s${i}` }));
    }
    const dark: Ticket[] = [];
    for (const [i, text] of DARK_MODE.entries()) {
      dark.push(await kit.report({ text, reporter: `d${i}`, platform: 'telegram' }));
    }
    const crashId = crash[0]?.clusterId as number;
    const darkId = dark[0]?.clusterId as number;
    expect(dark[1]?.clusterId).toBe(darkId);
    expect(darkId).not.toBe(crashId);
    return { kit, store: kit.store, crash, dark, crashId, darkId };
  }

  it('merge moves every ticket, recomputes the centroid and counts, logs it, and redirects new reports', async () => {
    const { kit, store, crashId, darkId } = await settingsAndDarkMode();
    kit.triage.merge(crashId, [darkId], 'dev@example.com');

    expect(store.clusterViews.get(darkId)).toMatchObject({ status: 'merged', mergedInto: crashId });
    const merged = store.clusters.get(crashId);
    expect(merged).toMatchObject({
      reports: 6,
      uniqueReporters: 6,
      platforms: { web: 4, telegram: 2 },
      productArea: 'Mobile app › Settings',
    });
    expectClose(
      merged?.centroid as Float32Array,
      meanOf(vectorsOf(store, crashId), kit.clusterEmbedder.dimensions),
    );
    // Six reporters now: the merge also lifts the urgency, logged after the merge.
    expect(auditActions(store, crashId).slice(-2)).toEqual(['merged', 'escalated']);
    expect(store.clusterViews.audit(crashId).at(-2)).toMatchObject({
      action: 'merged',
      actor: 'dev@example.com',
      detail: { sources: [darkId], tickets: 2 },
    });
    expect(store.clusterViews.audit(darkId).at(-1)).toMatchObject({
      action: 'merged',
      detail: { into: crashId },
    });

    // Dark-mode crashes used to gather apart; now the merged cluster takes them.
    const next = await kit.report({ text: NEXT_DARK_MODE, reporter: 'd9' });
    expect(next.clusterId).toBe(crashId);
    expect(() => kit.triage.merge(crashId, [darkId], 'dev')).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
  });

  it('split moves tickets to a new cluster, recomputes both centroids, and new reports follow', async () => {
    const { kit, store, crashId, darkId, dark } = await settingsAndDarkMode();
    kit.triage.merge(crashId, [darkId], 'dev');
    const darkTickets = dark.map((t) => t.id);
    const newId = kit.triage.split(crashId, darkTickets, 'dev');

    expect(store.clusters.members(newId).map((m) => m.id)).toEqual(darkTickets);
    expect(store.clusters.get(crashId)).toMatchObject({ reports: 4, uniqueReporters: 4 });
    expect(store.clusters.get(newId)).toMatchObject({
      reports: 2,
      status: 'open',
      platforms: { telegram: 2 },
    });
    // Titled from the moved reports, as a sentence.
    expect([
      'Dark mode toggle crashes the app',
      'Switching to dark mode crashes the app',
    ]).toContain(store.clusters.get(newId)?.title);
    for (const id of [crashId, newId]) {
      expectClose(
        store.clusters.get(id)?.centroid as Float32Array,
        meanOf(vectorsOf(store, id), kit.clusterEmbedder.dimensions),
      );
    }
    expect(store.clusterViews.audit(crashId).at(-1)).toMatchObject({
      action: 'split',
      actor: 'dev',
      detail: { ticketIds: darkTickets, into: newId },
    });
    expect(auditActions(store, newId)).toEqual(['created', 'split']);
    // The moved tickets now say how close they are to their new cluster.
    for (const t of store.clusterViews.tickets(newId, 10, 0).tickets) {
      expect(t.similarity).toBeGreaterThan(0.9);
    }

    const next = await kit.report({ text: NEXT_DARK_MODE, reporter: 'd8' });
    expect(next.clusterId).toBe(newId);
    expect(() => kit.triage.split(crashId, [darkTickets[0] as number], 'dev')).toThrow(
      expect.objectContaining({ code: 'invalid' }),
    );
  });

  it('resolve records cluster.resolved, tells each reporter once, and a new report starts a new cluster', async () => {
    const { kit, store, crashId, crash } = await settingsAndDarkMode();
    const told = await kit.triage.resolve(crashId, {
      actor: 'dev',
      resolution: 'Fixed in 3.2.2',
      notifyReporters: true,
    });

    expect(told).toEqual({ reporters: 4, notified: 4 });
    expect(kit.notices.map((n) => n.conversationId).sort()).toEqual(
      crash.map((t) => t.conversationId).sort(),
    );
    for (const [i, notice] of kit.notices.entries()) {
      const ref = crash.find((t) => t.conversationId === notice.conversationId)?.ref;
      expect(notice.text, `notice ${i}`).toBe(
        `The fix for the problem you reported (${ref}) is out. Fixed in 3.2.2. Thanks for reporting it; if it still happens, just reply here.`,
      );
    }
    const [resolved] = events(store, 'cluster.resolved');
    expect(resolved?.cluster).toMatchObject({
      id: crashId,
      reports: 4,
      uniqueReporters: 4,
      resolution: 'Fixed in 3.2.2',
      notifyReporters: true,
    });
    expect(store.clusterViews.get(crashId)?.status).toBe('resolved');
    expect(store.tickets.list({ clusterId: crashId }).every((t) => t.status === 'resolved')).toBe(
      true,
    );
    expect(store.clusterViews.audit(crashId).at(-1)).toMatchObject({
      action: 'resolved',
      actor: 'dev',
      detail: { resolution: 'Fixed in 3.2.2', tickets: 4 },
    });
    expect(store.overview.get().byStatus).toMatchObject({ resolved: 4, open: 2 });

    // The same crash reported after the fix is a regression: a new cluster, not the old one.
    const regression = await kit.report({ text: SETTINGS_CRASH[4] as string, reporter: 'late' });
    expect(regression.clusterId).not.toBe(crashId);
    expect(store.clusters.get(regression.clusterId as number)).toMatchObject({
      status: 'open',
      reports: 1,
    });
    await expect(
      kit.triage.resolve(crashId, { actor: 'dev', notifyReporters: false }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('one transaction', () => {
  it('leaves no ticket, cluster, counter or event behind when the transaction fails', async () => {
    kit = await startTriage();
    const { store } = kit;
    await kit.report({ text: SETTINGS_CRASH[0] as string, reporter: 'ok' });
    const before = {
      tickets: store.tickets.list().length,
      clusters: store.clusterViews.list({ status: 'open', limit: 100, offset: 0 }).total,
      events: store.events.list({ limit: 1000 }).length,
      overview: store.overview.get(),
    };
    // Storing the reply that announces the ticket fails, so the whole change rolls back.
    await expect(
      kit.triage.raise(
        {
          conversationId: 'web:late',
          platform: 'web',
          author: { id: 'late', name: 'Late' },
          classification: {
            state: 'RAISE_TICKET',
            kind: 'bug',
            category: 'bug',
            priority: 'critical',
            sentiment: 'angry',
            summary: 'checkout is completely broken',
            tags: [],
            productArea: null,
            confidence: 1,
          },
        },
        () => {
          throw new Error('the reply could not be stored');
        },
      ),
    ).rejects.toThrow('the reply could not be stored');
    expect(store.tickets.list().length).toBe(before.tickets);
    expect(store.clusterViews.list({ status: 'open', limit: 100, offset: 0 }).total).toBe(
      before.clusters,
    );
    expect(store.events.list({ limit: 1000 }).length).toBe(before.events);
    expect(store.overview.get()).toEqual(before.overview);
    const indexed = store.db.prepare('SELECT COUNT(*) AS n FROM cluster_vec').get() as {
      n: number;
    };
    expect(indexed.n).toBe(before.clusters);
  });
});

describe('the centroid index', () => {
  it('rebuilds an index from an older release (cosine metric) and finds the same clusters', async () => {
    kit = await startTriage();
    for (const [i, text] of [
      'app dies when I open settings',
      'settings screen closes the app',
      'payment fails at checkout with an error',
    ].entries()) {
      await kit.report({ text, reporter: `r${i}` });
    }
    const { store } = kit;
    const probe = (await kit.clusterEmbedder.embed(['the app crashes when I open settings']))[0];
    const query = unitOf(probe as Float32Array);
    const before = store.clusters.nearest(query, 3);

    // What 0.1 shipped: the same table under the cosine metric, and no record of the metric.
    const dims = query.length;
    store.db.exec('DROP TABLE cluster_vec');
    store.db.exec(
      `CREATE VIRTUAL TABLE cluster_vec USING vec0(embedding float[${dims}] distance_metric=cosine)`,
    );
    store.db.prepare("DELETE FROM meta WHERE key = 'cluster_vec.metric'").run();
    expect(store.prepareVectors(kit.embedder, kit.clusterEmbedder)).toEqual({
      knowledge: false,
      clusters: false,
    });

    const after = store.clusters.nearest(query, 3);
    expect(after.map((n) => n.id)).toEqual(before.map((n) => n.id));
    for (const [i, n] of after.entries()) {
      expect(n.similarity).toBeCloseTo(before[i]?.similarity as number, 5);
    }
    const sql = store.db
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'cluster_vec'")
      .get() as { sql: string };
    expect(sql.sql).toMatch(/distance_metric=l2/);
  });
});

function unitOf(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}
