/**
 * Regrouping while an installation is young: reports of one problem that started clusters
 * of their own are brought together from the first tickets (average linkage after every
 * ticket), unrelated ones stay apart, and what a person decided is never undone: clusters
 * they split stay apart, and tickets they placed stay where they put them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  consolidateIfDue,
  DEFAULT_CLUSTER_SETTINGS,
} from '../../src/engine/triage/clusters/index.ts';
import type { Ticket } from '../../src/store/index.ts';
import { CHECKOUT, COSMETIC, SETTINGS_CRASH, startTriage, type TriageKit } from './triage-kit.ts';

let kit: TriageKit | undefined;
afterEach(() => {
  kit?.close();
  kit = undefined;
});

// Live joining needs near-identical wording, and votes are off: only regrouping gathers.
const REGROUP_ONLY = {
  joinSimilarity: 0.95,
  mergeSimilarity: 0.999,
  neighbours: { ...DEFAULT_CLUSTER_SETTINGS.neighbours, k: 0 },
  rehome: { maxReports: 0, quietTickets: 1, minSimilarity: 1 },
};

describe('regrouping from the first tickets', () => {
  it('brings five phrasings of one crash into one cluster, and leaves an unrelated report alone', async () => {
    kit = await startTriage({ settings: REGROUP_ONLY });
    const crash: Ticket[] = [];
    for (const [i, text] of SETTINGS_CRASH.entries()) {
      crash.push(await kit.report({ text, reporter: `c${i}` }));
    }
    const cosmetic = await kit.report({ text: COSMETIC, reporter: 'pedant' });
    const { store } = kit;

    const home = store.tickets.get(crash[0]?.id as number)?.clusterId as number;
    expect(crash.map((t) => store.tickets.get(t.id)?.clusterId)).toEqual(crash.map(() => home));
    expect(store.clusters.get(home)).toMatchObject({ reports: 5, uniqueReporters: 5 });
    // The first report's cluster absorbed the others: the id people saw first is kept.
    expect(home).toBe(crash[0]?.clusterId);
    const merges = store.clusterViews.audit(home).filter((a) => a.action === 'merged');
    expect(merges.length).toBeGreaterThan(0);
    expect(merges.every((m) => m.actor === 'system' && m.detail.reason === 'regroup')).toBe(true);
    expect(store.clusterViews.get(cosmetic.clusterId as number)).toMatchObject({
      status: 'open',
      reports: 1,
    });
  });

  it('never rejoins clusters a person split apart, nor moves the tickets they placed', async () => {
    // Everything joins one cluster, and regrouping would merge any two clusters at all.
    kit = await startTriage({
      settings: {
        ...REGROUP_ONLY,
        joinSimilarity: -1,
        regroup: {
          ...DEFAULT_CLUSTER_SETTINGS.regroup,
          minAverageSimilarity: -1,
          sameAreaBonus: 0,
        },
      },
    });
    const { store, triage } = kit;
    const reports: Ticket[] = [];
    for (const [i, text] of [...SETTINGS_CRASH.slice(0, 3), ...CHECKOUT].entries()) {
      reports.push(await kit.report({ text, reporter: `r${i}` }));
    }
    const original = reports[0]?.clusterId as number;
    // The developer splits the checkout reports off, and files one crash report with them.
    const placed = reports[2] as Ticket;
    const moved = [...reports.slice(3), placed].map((t) => t.id);
    const splitOff = triage.split(original, moved, 'dev');

    // New reports arrive and regrouping runs after each: the halves stay apart.
    await kit.report({ text: SETTINGS_CRASH[3] as string, reporter: 'later' });
    const last = await kit.report({ text: CHECKOUT[0] as string, reporter: 'later2' });
    expect(store.clusterViews.get(original)?.status).toBe('open');
    expect(store.clusterViews.get(splitOff)?.status).toBe('open');
    // A full consolidation pass, re-filing included, leaves what the developer placed.
    await consolidateIfDue(store, { ...triage.settings, consolidateEvery: 1 }, last.id);
    for (const id of moved) expect(store.tickets.get(id)?.clusterId).toBe(splitOff);
    expect(store.clusterViews.audit(splitOff).filter((a) => a.detail.reason === 'regroup')).toEqual(
      [],
    );
  });
});
