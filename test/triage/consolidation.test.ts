/**
 * Consolidation, the maintenance step that runs after the ticket transaction: clusters of
 * the same problem that formed apart are merged, and small clusters that went quiet are
 * folded into the cluster they resemble, each logged as a merge by `system`; unrelated
 * problems stay apart. Settings are tightened so a handful of tickets shows each effect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  consolidateIfDue,
  DEFAULT_CLUSTER_SETTINGS,
} from '../../src/engine/triage/clusters/index.ts';
import type { Ticket } from '../../src/store/index.ts';
import { SETTINGS_CRASH, startTriage, type TriageKit } from './triage-kit.ts';

let kit: TriageKit | undefined;
afterEach(() => {
  kit?.close();
  kit = undefined;
});

describe('consolidation', () => {
  it('merges clusters of one problem that formed apart, and logs it', async () => {
    // Joining needs near-identical wording here, so each phrasing starts its own cluster;
    // regrouping and votes are off, so the near-duplicate merge is what gathers them.
    kit = await startTriage({
      settings: {
        joinSimilarity: 0.95,
        mergeSimilarity: 0.6,
        consolidateEvery: 1,
        neighbours: { ...DEFAULT_CLUSTER_SETTINGS.neighbours, k: 0 },
        regroup: { ...DEFAULT_CLUSTER_SETTINGS.regroup, maxOpenTickets: 0 },
      },
    });
    const tickets: Ticket[] = [];
    for (const [i, text] of SETTINGS_CRASH.entries()) {
      tickets.push(await kit.report({ text, reporter: `c${i}` }));
    }
    const { store } = kit;
    const open = store.clusterViews.list({ status: 'open', limit: 10, offset: 0 }).clusters;
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      reports: 5,
      uniqueReporters: 5,
      productArea: 'Mobile app › Settings',
    });
    const current = tickets.map((t) => store.tickets.get(t.id)?.clusterId);
    expect(new Set(current)).toEqual(new Set([open[0]?.id]));

    const merges = store.clusterViews
      .audit(open[0]?.id as number)
      .filter((a) => a.action === 'merged');
    expect(merges.length).toBeGreaterThanOrEqual(1);
    expect(merges.every((m) => m.actor === 'system' && m.detail.reason === 'near-duplicate')).toBe(
      true,
    );
    expect(store.clusterViews.list({ status: 'merged', limit: 10, offset: 0 }).total).toBe(4);
  });

  it('folds a quiet small cluster into the problem it resembles and leaves unrelated ones alone', async () => {
    kit = await startTriage({
      settings: {
        joinSimilarity: 0.75,
        mergeSimilarity: 0.99,
        consolidateEvery: 1,
        rehome: { maxReports: 1, quietTickets: 3, minSimilarity: 0.3 },
        // Neighbour votes or regrouping would take the stray home at once
        // (test/triage/neighbours.test.ts, test/triage/regroup.test.ts).
        neighbours: { ...DEFAULT_CLUSTER_SETTINGS.neighbours, k: 0 },
        regroup: { ...DEFAULT_CLUSTER_SETTINGS.regroup, maxOpenTickets: 0 },
      },
    });
    const report = (text: string, reporter: string) =>
      (kit as TriageKit).report({ text, reporter });
    const main = await report(SETTINGS_CRASH[0] as string, 'a0');
    await report(SETTINGS_CRASH[0] as string, 'a1');
    const stray = await report(SETTINGS_CRASH[4] as string, 'stray');
    const cosmetic = await report('the logo on the invoice PDF is slightly blurry', 'pedant');
    expect(stray.clusterId).not.toBe(main.clusterId);
    for (let i = 0; i < 4; i++) await report('payment fails at checkout with an error', `p${i}`);

    const { store } = kit;
    expect(store.tickets.get(stray.id)?.clusterId).toBe(main.clusterId);
    expect(store.clusterViews.get(stray.clusterId as number)).toMatchObject({
      status: 'merged',
      mergedInto: main.clusterId,
    });
    expect(store.clusterViews.audit(main.clusterId as number).at(-1)).toMatchObject({
      action: 'merged',
      actor: 'system',
      detail: { reason: 'rehome', sources: [stray.clusterId] },
    });
    expect(store.clusters.get(main.clusterId as number)).toMatchObject({
      reports: 3,
      uniqueReporters: 3,
    });
    expect(store.clusterViews.get(cosmetic.clusterId as number)).toMatchObject({
      status: 'open',
      reports: 1,
    });
  });

  it('runs in slices, each its own transaction, with the event loop free in between', async () => {
    // No pass after each report: the test runs one by hand.
    kit = await startTriage({ settings: { joinSimilarity: 0.95, consolidateEvery: 0 } });
    let last = 0;
    for (const [i, text] of [...SETTINGS_CRASH, 'payment fails at checkout'].entries()) {
      last = (await kit.report({ text, reporter: `s${i}` })).id;
    }
    const settings = { ...kit.triage.settings, consolidateEvery: 1 };
    const order: string[] = [];
    // Slices of 0 ms: one cluster per transaction.
    const pass = consolidateIfDue(kit.store, settings, last, Date.now(), 0).then((report) => {
      order.push('pass done');
      return report;
    });
    setImmediate(() => order.push('a customer turn'));
    const report = await pass;
    expect(report?.refined).toBeGreaterThan(1);
    expect(order).toEqual(['a customer turn', 'pass done']);
    // The next pass starts where this one ended.
    expect(kit.store.clusters.meta('clusters.consolidated_through')).toBe(String(last));
  });
});
