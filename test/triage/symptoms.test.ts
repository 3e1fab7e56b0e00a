/**
 * Two problems of one product area: reports filed under the same area but failing in
 * different ways ("it crashes" and "it goes back to what it was") stay two problems, while
 * the differently worded reports of each are gathered from the first tickets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalPhrase } from '../../src/engine/triage/canonical.ts';
import {
  sharedSymptoms,
  symptomsAgree,
  symptomsOf,
} from '../../src/engine/triage/clusters/symptoms.ts';
import type { Ticket } from '../../src/store/index.ts';
import { SETTINGS_CRASH, startTriage, type TriageKit } from './triage-kit.ts';

let kit: TriageKit | undefined;
afterEach(() => {
  kit?.close();
  kit = undefined;
});

// A second problem of the settings screen, told five ways: a choice that does not hold.
const LANGUAGE_RESETS = [
  'I set the language to Spanish in the app settings and it goes back to English',
  'the language setting keeps resetting to English after I restart the app',
  'my language choice in settings does not stick, it reverts every time',
  'changed the app language under settings, next day it is back to the default',
  'the app forgets the language I picked in settings',
];

describe('two problems in one product area', () => {
  it('keeps a crash and a setting that does not hold apart, each in one cluster', async () => {
    kit = await startTriage();
    const crash: Ticket[] = [];
    const resets: Ticket[] = [];
    // Interleaved, as a community reports them.
    for (let i = 0; i < 5; i++) {
      crash.push(await kit.report({ text: SETTINGS_CRASH[i] as string, reporter: `c${i}` }));
      resets.push(await kit.report({ text: LANGUAGE_RESETS[i] as string, reporter: `r${i}` }));
    }
    const { store } = kit;
    const clusterOf = (t: Ticket) => store.tickets.get(t.id)?.clusterId as number;
    const crashClusters = new Set(crash.map(clusterOf));
    const resetClusters = new Set(resets.map(clusterOf));
    expect([...crashClusters].filter((id) => resetClusters.has(id))).toEqual([]);
    expect(crashClusters.size).toBe(1);
    expect(resetClusters.size).toBe(1);
    // Both problems are filed under the same area: only how they fail tells them apart.
    const areaOf = (ids: Set<number>) => store.clusters.get([...ids][0] as number)?.productArea;
    expect(areaOf(crashClusters)).toBe(areaOf(resetClusters));
    const digest = kit.triage.digest({ since: 0, until: Date.now() + 1, topN: 10 });
    expect(digest.entries.slice(0, 2).map((e) => e.reports)).toEqual([5, 5]);
  });
});

describe('symptoms', () => {
  it('names how a report fails, in words of any product', () => {
    expect([...symptomsOf('the app crashes when I open the editor')]).toEqual(['crash']);
    expect([...symptomsOf('my chosen font keeps resetting to the default')]).toContain('reverts');
    expect(symptomsOf('how do I export my data').size).toBe(0);
  });

  it('lets groups that fail differently apart, and silent or mixed groups constrain nothing', () => {
    const crashes = sharedSymptoms(['the app crashes', 'it closes on launch', null]);
    const resets = sharedSymptoms(['the theme reverts', 'it goes back to light mode']);
    expect(symptomsAgree(crashes, resets)).toBe(false);
    expect(symptomsAgree(crashes, sharedSymptoms(['the export is slow to start']))).toBe(true);
    expect(sharedSymptoms(['the app crashes', 'the page is blank']).size).toBe(0);
  });
});

describe('what a ticket is compared on', () => {
  it('keeps the problem and drops what a device or version line leaves behind', () => {
    expect(
      canonicalPhrase(
        'the export button does nothing — Pixel 7, Acme Notes 4.2.1 — im on the latest app',
      ),
    ).toBe('the export button does nothing');
    expect(canonicalPhrase("is anyone else's sync stuck at 90%? ugh")).toBe('sync stuck at 90%?');
    // A problem told with its device keeps the problem.
    expect(canonicalPhrase('the app crashes on my iPhone 14')).toBe('the app crashes');
  });
});
