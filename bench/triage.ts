/**
 * Digest and overview benchmark at 1M tickets: digest generation (the daily 24 h window,
 * and 7 d / 30 d windows for scale) and `GET /api/overview` through the real HTTP app
 * (express, bearer auth, JSON) on loopback. Repeated rounds; median (min–max).
 * Bounded: data generation takes ~10-20 s, the measures a few seconds.
 *
 * Run: `npm run bench -- clusters` (with the assignment benchmark), or directly
 * `npx tsx bench/triage.ts`. `BENCH_TICKETS` overrides the ticket count.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Router } from 'express';
import { pino } from 'pino';
import { buildDigest } from '../src/engine/triage/digest/build.ts';
import { overviewRoutes } from '../src/http/api/overview.ts';
import { createApp } from '../src/http/app.ts';
import { bearerAuth } from '../src/http/errors.ts';
import { createStore } from '../src/store/index.ts';
import { percentile, summarize } from './stats.ts';
import { generateTriageData } from './triage-data.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const CLUSTERS = 20_000;
const DAYS = 30;
const ROUNDS = 7;
const OVERVIEW_REQUESTS = 200;
const DEADLINE_MS = 120_000;
const TOKEN = 'bench-admin-token-0123456789';
const DAY = 86_400_000;

/** Runs the benchmark and returns its figures (milliseconds). */
export async function benchDigestAndOverview(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-triage-'));
  const store = createStore(join(dir, 'bench.db'));
  let server: Server | undefined;
  try {
    const now = Date.now();
    const generateMs = generateTriageData(store.db, {
      tickets: TICKETS,
      clusters: CLUSTERS,
      reporters: Math.max(1000, Math.floor(TICKETS / 4)),
      days: DAYS,
      now,
    });
    const deadline = Date.now() + DEADLINE_MS;

    const digestMs = (days: number) => {
      const rounds: number[] = [];
      let entries = 0;
      let windowTickets = 0;
      // Round 0 warms the page cache and the statement cache.
      for (let round = 0; round <= ROUNDS && Date.now() < deadline; round++) {
        const started = performance.now();
        const digest = buildDigest(store, { since: now - days * DAY, until: now, topN: 10 }, now);
        const elapsed = performance.now() - started;
        entries = digest.entries.length;
        windowTickets = Math.round((TICKETS * Math.min(days, DAYS)) / DAYS);
        if (round > 0) rounds.push(elapsed);
      }
      return {
        ms: summarize(rounds).text,
        medianMs: percentile(rounds, 50),
        windowTickets,
        entries,
      };
    };
    const digest = { window24h: digestMs(1), window7d: digestMs(7), window30d: digestMs(30) };

    const api = Router();
    api.use(bearerAuth(TOKEN));
    api.use(overviewRoutes(store));
    const app = createApp({
      logger: pino({ level: 'silent' }),
      isReady: () => true,
      channels: () => ({}),
      routes: [],
      api,
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/overview`;
    const headers = { authorization: `Bearer ${TOKEN}` };
    const p50: number[] = [];
    const p99: number[] = [];
    let total = 0;
    for (let round = 0; round <= ROUNDS && Date.now() < deadline; round++) {
      const latencies: number[] = [];
      for (let i = 0; i < OVERVIEW_REQUESTS; i++) {
        const started = performance.now();
        const res = await fetch(url, { headers });
        const body = (await res.json()) as { total: number };
        latencies.push(performance.now() - started);
        total = body.total;
      }
      if (round === 0) continue;
      p50.push(percentile(latencies, 50));
      p99.push(percentile(latencies, 99));
    }
    // The same read without HTTP, to separate the store from the transport.
    const storeUs: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const started = performance.now();
      for (let i = 0; i < OVERVIEW_REQUESTS; i++) store.overview.get();
      if (round > 0) storeUs.push(((performance.now() - started) / OVERVIEW_REQUESTS) * 1000);
    }
    return {
      setup: `${TICKETS} tickets over ${DAYS} days in ${CLUSTERS} Zipf-sized clusters, SQLite file (WAL); generated in ${(generateMs / 1000).toFixed(1)} s`,
      digestTop10Ms: digest,
      overviewHttpMs: {
        p50: summarize(p50, 3).text,
        p99: summarize(p99, 3).text,
        requestsPerRound: OVERVIEW_REQUESTS,
        totalTickets: total,
      },
      overviewStoreOnlyUs: summarize(storeUs, 1).text,
      rounds: ROUNDS,
    };
  } finally {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchDigestAndOverview(), null, 2));
}
