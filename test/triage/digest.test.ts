import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDigest,
  createDigest,
  renderDigestMarkdown,
} from '../../src/engine/triage/digest/build.ts';
import { createDigestScheduler } from '../../src/engine/triage/digest/schedule.ts';
import { createLogger } from '../../src/log.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import type { Digest } from '../../src/types/index.ts';
import { tempDataDir } from '../helpers/switchboard.ts';
import { HOUR, seedCluster, seedTicket } from './seed.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Fills a store with clusters whose reports fall, relative to `now`, in the last 24 h and
 * the 24 h before, so each has a known trend.
 */
function seedStory(store: Store, now: number) {
  const crash = seedCluster(store, {
    title: 'App closes when opening settings',
    productArea: 'Mobile app › Settings',
    impact: 9.5,
    urgency: 'urgent',
  });
  // Two reports the day before, six today from five people on two platforms: rising.
  for (const [hoursAgo, reporter] of [
    [30, 'u1'],
    [40, 'u2'],
  ] as const) {
    seedTicket(store, crash, { at: now - hoursAgo * HOUR, summary: 'settings crash', reporter });
  }
  const today = [
    ['u3', 'web', 'The app crashes every time I open settings, mail me at jo.doe@example.com'],
    ['u4', 'discord', 'Settings screen closes the app. Call +44 20 7946 0958'],
    ['u5', 'web', 'app dies when I open settings'],
    ['u5', 'web', 'app dies when I open settings'],
    ['u6', 'discord', 'opening settings kills the app'],
    ['u7', 'web', 'settings = instant crash on iOS 17'],
  ] as const;
  const crashToday = today.map(([reporter, platform, summary], i) =>
    seedTicket(store, crash, {
      at: now - (20 - i) * HOUR,
      summary,
      reporter,
      platform,
      priority: i === 0 ? 'critical' : 'high',
    }),
  );

  const checkout = seedCluster(store, {
    title: 'Pay button does nothing',
    productArea: 'Checkout',
    impact: 6,
  });
  for (const reporter of ['c1', 'c2']) {
    seedTicket(store, checkout, { at: now - 5 * HOUR, summary: 'pay button dead', reporter });
  }

  const invoices = seedCluster(store, {
    title: 'Invoice PDF is missing VAT',
    productArea: 'Billing',
    impact: 3,
  });
  for (let i = 0; i < 6; i++) {
    seedTicket(store, invoices, {
      at: now - (26 + i) * HOUR,
      summary: 'no VAT',
      reporter: `i${i}`,
    });
  }
  seedTicket(store, invoices, {
    at: now - 2 * HOUR,
    summary: 'VAT missing on invoice',
    reporter: 'i9',
  });

  const search = seedCluster(store, { title: 'Search ignores filters', impact: 4 });
  for (let i = 0; i < 2; i++) {
    seedTicket(store, search, { at: now - (30 + i) * HOUR, summary: 'filters', reporter: `s${i}` });
    seedTicket(store, search, { at: now - (3 + i) * HOUR, summary: 'filters', reporter: `s${i}` });
  }

  // High impact but quiet in the window, and resolved: neither belongs in today's digest.
  const quiet = seedCluster(store, { title: 'Old login loop', impact: 50 });
  seedTicket(store, quiet, { at: now - 60 * HOUR, summary: 'login loop', reporter: 'q1' });
  const fixed = seedCluster(store, { title: 'Fixed already', impact: 40, status: 'resolved' });
  seedTicket(store, fixed, { at: now - 1 * HOUR, summary: 'fixed', reporter: 'f1' });
  return { crash, crashToday, checkout, invoices, search };
}

describe('the digest of the highest-impact clusters', () => {
  const data = tempDataDir();
  const now = Date.UTC(2025, 2, 14, 9, 0);
  const window = { since: now - 24 * HOUR, until: now };
  let store: Store;
  let story: ReturnType<typeof seedStory>;
  let digest: Digest;

  beforeAll(() => {
    store = createStore(join(data.dir, 'switchboard.db'));
    story = seedStory(store, now);
    digest = buildDigest(store, { ...window, topN: 3 }, now);
  });
  afterAll(() => {
    store.close();
    data.remove();
  });

  it('ranks the open clusters with reports in the window by impact, top N only', () => {
    expect(digest.since).toBe('2025-03-13T09:00:00.000Z');
    expect(digest.until).toBe('2025-03-14T09:00:00.000Z');
    expect(digest.activeClusters).toBe(4);
    expect(digest.entries.map((e) => [e.rank, e.title])).toEqual([
      [1, 'App closes when opening settings'],
      [2, 'Pay button does nothing'],
      [3, 'Search ignores filters'],
    ]);
  });

  it('marks new, rising, falling and steady against the previous window', () => {
    const all = buildDigest(store, { ...window, topN: 10 }, now);
    expect(Object.fromEntries(all.entries.map((e) => [e.title, e.trend]))).toEqual({
      'App closes when opening settings': 'rising',
      'Pay button does nothing': 'new',
      'Search ignores filters': 'steady',
      'Invoice PDF is missing VAT': 'falling',
    });
  });

  it('counts reports, unique reporters, platforms and priorities in the window', () => {
    const crash = digest.entries[0];
    expect(crash).toMatchObject({
      clusterId: story.crash,
      productArea: 'Mobile app › Settings',
      urgency: 'urgent',
      impact: 9.5,
      reports: 6,
      uniqueReporters: 5,
      previousReports: 2,
      platforms: ['discord', 'web'],
      priorityMix: { low: 0, medium: 0, high: 5, critical: 1 },
    });
    expect(crash?.ticketIds).toEqual(story.crashToday.map((t) => t.id));
    expect(crash?.ticketRefs).toEqual(story.crashToday.map((t) => t.ref));
  });

  it('quotes two or three distinct summaries with personal data redacted', () => {
    const quotes = digest.entries[0]?.quotes ?? [];
    expect(quotes.length).toBeGreaterThanOrEqual(2);
    expect(quotes.length).toBeLessThanOrEqual(3);
    expect(new Set(quotes).size).toBe(quotes.length);
    // The two summaries with personal data are the newest in this earlier slice of the day.
    const slice = buildDigest(
      store,
      { since: now - 21 * HOUR, until: now - 17.5 * HOUR, topN: 1 },
      now,
    );
    expect(slice.entries[0]?.quotes).toEqual([
      'app dies when I open settings',
      'Settings screen closes the app. Call [phone]',
      'The app crashes every time I open settings, mail me at [email]',
    ]);
    const everything = JSON.stringify(slice) + renderDigestMarkdown(slice);
    expect(everything).not.toContain('jo.doe@example.com');
    expect(everything).not.toContain('7946');
  });

  it('renders Markdown a developer can read', () => {
    const md = renderDigestMarkdown(digest);
    expect(md).toMatch(/^# Support digest: 2025-03-13 09:00 → 2025-03-14 09:00 \(UTC\)/);
    expect(md).toContain(
      '4 open clusters had reports in this window; the 3 with the highest impact:',
    );
    expect(md).toContain('## 1. App closes when opening settings');
    expect(md).toContain('**Mobile app › Settings** · ↑ rising · urgency urgent · impact 9.5');
    expect(md).toContain('- 6 reports from 5 people (previous window: 2)');
    expect(md).toContain('- Priority: 1 critical, 5 high');
    expect(md).toContain('## 2. Pay button does nothing');
    expect(md).toContain('★ new');
    expect(md).toMatch(/^> .+/m);
    expect(md).toContain(`Tickets: ${story.crashToday.map((t) => t.ref).join(', ')}`);
    expect(md).not.toContain('jo.doe@example.com');
    expect(renderDigestMarkdown(digest, 'Europe/Berlin')).toMatch(
      /2025-03-13 10:00 → 2025-03-14 10:00 \(Europe\/Berlin\)/,
    );
  });

  it('says so when nothing was reported', () => {
    const empty = buildDigest(
      store,
      { since: now - 400 * HOUR, until: now - 300 * HOUR, topN: 5 },
      now,
    );
    expect(empty.entries).toEqual([]);
    expect(renderDigestMarkdown(empty)).toContain('No open cluster had reports in this window.');
  });

  it('stores a created digest and records digest.created in the outbox', () => {
    const stored = createDigest(store, { ...window, topN: 3 }, now);
    expect(stored.id).toBeGreaterThan(0);
    expect(store.digests.get(stored.id)).toEqual(stored);
    const events = store.events.list({ type: 'digest.created' });
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toEqual({ digest: stored });
    expect(stored.entries.map((e) => e.title)).toEqual(digest.entries.map((e) => e.title));
  });
});

describe('the digest schedule', () => {
  const data = tempDataDir();
  let store: Store;
  beforeAll(() => {
    store = createStore(join(data.dir, 'switchboard.db'));
  });
  afterAll(() => {
    store.close();
    data.remove();
  });

  it('covers the period since the previous digest, with no gap and no overlap', () => {
    const scheduler = createDigestScheduler({
      store,
      cron: '0 9 * * *',
      timezone: 'UTC',
      topN: 5,
      logger: createLogger('silent'),
    });
    const first = scheduler.runOnce(Date.UTC(2025, 2, 14, 9));
    const second = scheduler.runOnce(Date.UTC(2025, 2, 15, 9, 0, 3));
    expect(first.since).toBe('2025-03-13T09:00:00.000Z');
    expect(second.since).toBe(first.until);
    expect(second.until).toBe('2025-03-15T09:00:03.000Z');
  });

  it('builds and stores digests on the cron schedule until stopped', async () => {
    const before = store.digests.list(100, 0).total;
    const scheduler = createDigestScheduler({
      store,
      cron: '* * * * * *',
      timezone: 'Europe/Berlin',
      topN: 5,
      logger: createLogger('silent'),
    });
    scheduler.start();
    expect(scheduler.nextRun()).toBeInstanceOf(Date);
    await expect
      .poll(() => store.digests.list(100, 0).total, { timeout: 5000 })
      .toBeGreaterThan(before);
    scheduler.stop();
    expect(scheduler.nextRun()).toBeNull();
    expect(store.events.list({ type: 'digest.created' }).length).toBeGreaterThan(0);
  });
});

describe('npm run digest', () => {
  const data = tempDataDir();
  let store: Store;
  const cli = (...args: string[]) =>
    run('npx', ['tsx', 'src/cli/digest.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: data.dir, DIGEST_TZ: 'UTC' },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  beforeAll(() => {
    // The writer stays open while the CLI reads, as the server would.
    store = createStore(join(data.dir, 'switchboard.db'));
    seedStory(store, Date.now());
  });
  afterAll(() => {
    store.close();
    data.remove();
  });

  it('prints the Markdown digest of the last 24 h', async () => {
    const { code, stdout } = await cli('--since', '24h', '--format', 'md');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# Support digest: /);
    expect(stdout).toContain('## 1. App closes when opening settings');
    expect(stdout).toContain('↑ rising');
    expect(stdout).toContain('> ');
    expect(stdout).not.toContain('jo.doe@example.com');
  });

  it('prints JSON with --format json and honours --top', async () => {
    const { code, stdout } = await cli('--since', '24h', '--format', 'json', '--top', '2');
    expect(code).toBe(0);
    const digest = JSON.parse(stdout) as Digest;
    expect(digest.entries.map((e) => e.title)).toEqual([
      'App closes when opening settings',
      'Pay button does nothing',
    ]);
  });

  it('rejects a bad --since or --format with a clear message and a non-zero exit', async () => {
    const since = await cli('--since', 'yesterday');
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since "yesterday" is not a window');
    expect(since.stdout).toBe('');
    const format = await cli('--format', 'xml');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format "xml" is not a format: use md or json');
  });

  it('says where it looked when there is no database', async () => {
    const empty = tempDataDir();
    const result = await run('npx', ['tsx', 'src/cli/digest.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: empty.dir },
    }).catch((e: { code: number; stderr: string }) => e);
    empty.remove();
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr).toContain('no database at');
  });
});
