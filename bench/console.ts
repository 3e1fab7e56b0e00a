/**
 * The triage console at 1M tickets in 20k clusters (the `triage` benchmark's data): the API
 * calls its problems list and cluster page make, through the real server, and the time the
 * real page takes in Chromium until the list, or the cluster with its chart, is drawn.
 * Repeated rounds; median (min–max) of each round's p50 and p99. Beside them, in the same
 * run, `/health` as the floor of one loopback HTTP round trip here, so the ratio says what
 * the console adds to it.
 *
 * Run: `npm run bench -- console` (`BENCH_TICKETS` overrides the ticket count). Needs
 * Chromium at /usr/bin/chromium for the page loads (skipped, and said, without it).
 * Bounded: data generation ~20 s, the measures under two minutes.
 */

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../src/log.ts';
import { startSwitchboard } from '../src/main.ts';
import { createStore } from '../src/store/index.ts';
import { percentile, summarize } from './stats.ts';
import { generateTriageData } from './triage-data.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const CLUSTERS = 20_000;
const DAYS = 30;
const ROUNDS = 5;
const REQUESTS = 60;
const PAGE_LOADS = 7;
const DEADLINE_MS = 180_000;
const TOKEN = 'bench-console-token-0123456789';
const CHROMIUM = '/usr/bin/chromium';

/** Runs the benchmark and returns its figures (milliseconds). */
export async function benchConsole(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-console-'));
  const seeded = createStore(join(dir, 'switchboard.db'));
  const generateMs = generateTriageData(seeded.db, {
    tickets: TICKETS,
    clusters: CLUSTERS,
    reporters: Math.max(1000, Math.floor(TICKETS / 4)),
    days: DAYS,
    now: Date.now(),
  });
  // The biggest cluster (Zipf rank 1) and one of median size: the slowest page and a usual one.
  const sizes = seeded.db
    .prepare<[], { id: number; reports: number }>(
      "SELECT id, reports FROM clusters WHERE status = 'open' ORDER BY reports DESC",
    )
    .all();
  await seeded.close();
  const biggest = sizes[0] as { id: number; reports: number };
  const median = sizes[Math.floor(sizes.length / 2)] as { id: number; reports: number };

  const sb = await startSwitchboard(
    loadConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', ADMIN_TOKEN: TOKEN }),
    { logger: createLogger('silent') },
  );
  const deadline = Date.now() + DEADLINE_MS;
  try {
    await sb.ready;
    const headers = { authorization: `Bearer ${TOKEN}` };
    const calls: Record<string, string> = {
      health: '/health',
      problemsList: '/api/clusters?limit=20',
      problemsFiltered: '/api/clusters?limit=20&platform=discord&urgency=urgent',
      problemsSearch: '/api/clusters?limit=20&q=problem%2012',
      areas: '/api/clusters/areas',
      biggestCluster: `/api/clusters/${biggest.id}?limit=100`,
      biggestTimeline: `/api/clusters/${biggest.id}/timeline?days=30`,
      medianCluster: `/api/clusters/${median.id}?limit=100`,
      overview: '/api/overview',
      overviewDaily: '/api/overview/daily?days=30',
      stats: '/api/stats?days=30',
      tickets: '/api/tickets?limit=50',
      ticketsInCluster: `/api/tickets?limit=50&clusterId=${biggest.id}`,
      ticketsSearch: '/api/tickets?limit=50&q=step',
    };
    const api: Record<string, unknown> = {};
    const p99Of: Record<string, number> = {};
    for (const [name, path] of Object.entries(calls)) {
      const p50s: number[] = [];
      const p99s: number[] = [];
      for (let round = 0; round <= ROUNDS && Date.now() < deadline; round++) {
        const latencies: number[] = [];
        for (let i = 0; i < REQUESTS; i++) {
          const started = performance.now();
          const res = await fetch(`${sb.url}${path}`, { headers });
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
          latencies.push(performance.now() - started);
        }
        // Round 0 warms the page cache and the statement cache.
        if (round === 0) continue;
        p50s.push(percentile(latencies, 50));
        p99s.push(percentile(latencies, 99));
      }
      p99Of[name] = percentile(p99s, 50);
      api[name] = { p50: summarize(p50s).text, p99: summarize(p99s).text };
    }
    const floor = p99Of.health as number;
    const worst = Object.entries(p99Of)
      .filter(([name]) => name !== 'health')
      .sort((a, b) => b[1] - a[1])[0] as [string, number];

    return {
      setup: `${TICKETS} tickets over ${DAYS} days in ${CLUSTERS} Zipf-sized clusters (biggest ${biggest.reports} tickets, median ${median.reports}); generated in ${(generateMs / 1000).toFixed(1)} s`,
      apiMs: api,
      slowestApiP99: `${worst[0]} ${worst[1].toFixed(2)} ms = ${(worst[1] / floor).toFixed(1)}× /health's p99 (${floor.toFixed(2)} ms); target ≤ 50 ms`,
      pageLoadMs: existsSync(CHROMIUM)
        ? await pageLoads(sb.url, biggest.id, median.id, deadline)
        : `skipped: no Chromium at ${CHROMIUM}`,
    };
  } finally {
    await sb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * From navigation to the page drawn: the problems list with its rows and sparklines, a
 * cluster with its tickets and its chart. A fresh page each time (nothing cached in memory;
 * the token comes in the URL, as a new user's link gives it).
 */
async function pageLoads(
  url: string,
  biggest: number,
  median: number,
  deadline: number,
): Promise<Record<string, string>> {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const time = async (hash: string, drawn: string) => {
      const rounds: number[] = [];
      for (let i = 0; i <= PAGE_LOADS && Date.now() < deadline; i++) {
        const page = await browser.newPage();
        const started = performance.now();
        await page.goto(`${url}/console#${hash}?token=${TOKEN}`);
        await page.waitForSelector(drawn, { timeout: 10_000 });
        if (i > 0) rounds.push(performance.now() - started);
        await page.close();
      }
      return `${summarize(rounds, 0).text} (target < 1000)`;
    };
    return {
      problemsList: await time('/problems', '.data-table tbody tr .sparkline canvas'),
      biggestCluster: await time(`/problems/${biggest}`, '.tickets-table tbody tr >> nth=0'),
      medianCluster: await time(`/problems/${median}`, '.tickets-table tbody tr >> nth=0'),
    };
  } finally {
    await browser.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchConsole();
  for (const [key, value] of Object.entries(result))
    process.stdout.write(
      `${key}: ${typeof value === 'object' ? JSON.stringify(value, null, 1) : value}\n`,
    );
  process.exit(0);
}
