/**
 * Neighbour votes, the consolidation step that files a ticket where the tickets most like
 * it are: a report that started a cluster of its own joins the cluster its nearest
 * tickets are in, a ticket filed with the wrong problem moves to the right one, and a
 * report with nothing close to it stays where it is. Each move is logged as `system`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  consolidateIfDue,
  DEFAULT_CLUSTER_SETTINGS,
  SYSTEM,
  splitCluster,
} from '../../src/engine/triage/clusters/index.ts';
import type { Ticket } from '../../src/store/index.ts';
import { CHECKOUT, COSMETIC, SETTINGS_CRASH, startTriage, type TriageKit } from './triage-kit.ts';

let kit: TriageKit | undefined;
afterEach(() => {
  kit?.close();
  kit = undefined;
});

// Joining needs near-identical wording and nothing else merges, so only votes can gather.
const VOTES_ONLY = {
  joinSimilarity: 0.95,
  mergeSimilarity: 0.999,
  consolidateEvery: 1,
  refine: { maxReports: 0 },
  rehome: { maxReports: 0, quietTickets: 1, minSimilarity: 1 },
  regroup: { ...DEFAULT_CLUSTER_SETTINGS.regroup, maxOpenTickets: 0 },
};

describe('neighbour votes', () => {
  it('gathers reports that started clusters of their own into the one their neighbours are in', async () => {
    kit = await startTriage({ settings: VOTES_ONLY });
    const crash: Ticket[] = [];
    for (const [i, text] of [SETTINGS_CRASH[0], ...SETTINGS_CRASH].entries()) {
      crash.push(await kit.report({ text: text as string, reporter: `c${i}` }));
    }
    const cosmetic = await kit.report({ text: COSMETIC, reporter: 'pedant' });
    const { store } = kit;

    // Rephrasings started clusters of their own; their neighbours' votes took them home.
    expect(
      store.clusterViews.list({ status: 'merged', limit: 10, offset: 0 }).total,
    ).toBeGreaterThan(0);
    const home = store.tickets.get(crash[0]?.id as number)?.clusterId as number;
    expect(crash.map((t) => store.tickets.get(t.id)?.clusterId)).toEqual(crash.map(() => home));
    expect(store.clusters.get(home)).toMatchObject({ reports: 6, uniqueReporters: 6 });
    const merges = store.clusterViews.audit(home).filter((a) => a.action === 'merged');
    expect(merges.length).toBeGreaterThan(0);
    expect(merges.every((m) => m.actor === 'system' && m.detail.reason === 'neighbours')).toBe(
      true,
    );

    // Nothing is close to the cosmetic report: it stays a problem of its own.
    expect(store.clusterViews.get(cosmetic.clusterId as number)).toMatchObject({
      status: 'open',
      reports: 1,
    });
  });

  it('moves a ticket filed with the wrong problem to the one its neighbours are in, and logs it', async () => {
    // Everything joins one cluster and no pass runs yet; the machine's own split (as a pass
    // could make) then files one ticket wrongly. A person's split is never undone:
    // test/triage/regroup.test.ts.
    kit = await startTriage({
      settings: { ...VOTES_ONLY, joinSimilarity: -1, consolidateEvery: 0 },
    });
    const crash: Ticket[] = [];
    for (const [i, text] of SETTINGS_CRASH.slice(0, 3).entries()) {
      crash.push(await kit.report({ text, reporter: `c${i}` }));
    }
    const checkout: Ticket[] = [];
    for (const [i, text] of CHECKOUT.entries()) {
      checkout.push(await kit.report({ text, reporter: `p${i}` }));
    }
    const { store } = kit;
    const crashCluster = crash[0]?.clusterId as number;
    const misfiled = crash[2] as Ticket;
    const checkoutCluster = store.transaction(() =>
      splitCluster(store, crashCluster, [...checkout.map((t) => t.id), misfiled.id], SYSTEM),
    );

    const settings = { ...kit.triage.settings, consolidateEvery: 1 };
    const report = await consolidateIfDue(store, settings, checkout.at(-1)?.id as number);

    expect(report?.voted).toBeGreaterThanOrEqual(1);
    const moved = store.tickets.get(misfiled.id);
    expect(moved?.clusterId).toBe(crashCluster);
    expect(moved?.similarity).toBeGreaterThan(0.5);
    expect(checkout.map((t) => store.tickets.get(t.id)?.clusterId)).toEqual(
      checkout.map(() => checkoutCluster),
    );
    expect(store.clusters.get(crashCluster)).toMatchObject({ reports: 3, uniqueReporters: 3 });
    expect(store.clusters.get(checkoutCluster)).toMatchObject({ reports: 3, uniqueReporters: 3 });
    expect(store.clusterViews.audit(checkoutCluster)).toContainEqual(
      expect.objectContaining({
        action: 'reassigned',
        actor: 'system',
        detail: { ticketIds: [misfiled.id], reason: 'neighbours', to: crashCluster },
      }),
    );
  });

  it('is off with k = 0', async () => {
    kit = await startTriage({
      settings: {
        ...VOTES_ONLY,
        neighbours: { ...DEFAULT_CLUSTER_SETTINGS.neighbours, k: 0 },
      },
    });
    const clusters = new Set<number | null>();
    for (const [i, text] of SETTINGS_CRASH.entries()) {
      clusters.add((await kit.report({ text, reporter: `c${i}` })).clusterId);
    }
    expect(kit.store.clusterViews.list({ status: 'open', limit: 10, offset: 0 }).total).toBe(
      clusters.size,
    );
    expect(clusters.size).toBeGreaterThan(1);
  });
});
