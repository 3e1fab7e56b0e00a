/**
 * Webhook benchmark: deliveries per second to a loopback receiver, and the latency a
 * webhook adds between an event's commit (store.transaction + events.append + kick) and its
 * arrival at the receiver, p50/p99. Each measure runs several rounds on a real SQLite file
 * (WAL) and reports the median and the spread. Bounded: a few thousand events, ~10 s.
 *
 * Run: `npm run bench -- webhooks`, or directly `npx tsx bench/webhooks.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { createWebhookDispatcher } from '../src/engine/webhooks/dispatcher.ts';
import { createStore } from '../src/store/index.ts';
import { startWebhookReceiver } from '../test/fakes/webhook-receiver.ts';
import { SAMPLE_EVENTS } from '../test/webhooks/sample-events.ts';

const ROUNDS = 5;
const BURST = 500;
const SEQUENTIAL = 100;
const CONCURRENCY = 16;
const DEADLINE_MS = 60_000;

/** Runs the benchmark and returns its figures (milliseconds and events per second). */
export async function benchWebhooks(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-webhooks-'));
  const store = createStore(join(dir, 'bench.db'));
  const receiver = await startWebhookReceiver();
  const dispatcher = createWebhookDispatcher({
    store: store.db,
    endpoints: [`${receiver.url}/hooks`],
    secret: `whsec_${Buffer.from('switchboard-benchmark-secret-000').toString('base64')}`,
    retryScheduleMs: [1_000],
    concurrency: CONCURRENCY,
    logger: pino({ level: 'silent' }),
  });
  dispatcher.start();
  const deadline = Date.now() + DEADLINE_MS;
  const committedAt = new Map<string, number>();

  const commit = (): void => {
    const started = performance.now();
    const event = store.transaction(() =>
      store.events.append('ticket.created', SAMPLE_EVENTS['ticket.created']),
    );
    dispatcher.kick();
    committedAt.set(event.id, started);
  };
  const latencies = (from: number): number[] =>
    receiver.requests
      .slice(from)
      .map((r) => r.receivedAt - (committedAt.get(r.headers['webhook-id'] ?? '') ?? Number.NaN));

  try {
    const throughput: number[] = [];
    const burstP50: number[] = [];
    const burstP99: number[] = [];
    const idleP50: number[] = [];
    const idleP99: number[] = [];
    // Round 0 warms up the JIT, the statement cache and the keep-alive connections.
    for (let round = 0; round <= ROUNDS && Date.now() < deadline; round++) {
      const from = receiver.requests.length;
      const started = performance.now();
      for (let i = 0; i < BURST; i++) commit();
      await receiver.waitFor(from + BURST, Math.max(1, deadline - Date.now()));
      const elapsed = (receiver.requests.at(-1)?.receivedAt ?? started) - started;
      const burst = latencies(from);

      const idleFrom = receiver.requests.length;
      for (let i = 0; i < SEQUENTIAL; i++) {
        commit();
        await receiver.waitFor(idleFrom + i + 1, Math.max(1, deadline - Date.now()));
      }
      const idle = latencies(idleFrom);
      if (round === 0) continue;
      throughput.push((BURST / elapsed) * 1000);
      burstP50.push(percentile(burst, 50));
      burstP99.push(percentile(burst, 99));
      idleP50.push(percentile(idle, 50));
      idleP99.push(percentile(idle, 99));
    }
    await dispatcher.idle();
    return {
      setup: {
        receiver: 'loopback node:http, answers 200 at once',
        store: 'SQLite file, WAL',
        rounds: throughput.length,
        burstEvents: BURST,
        sequentialEvents: SEQUENTIAL,
        concurrency: CONCURRENCY,
      },
      deliveriesPerSecond: spread(throughput),
      commitToReceiptMs: {
        oneAtATime: { p50: spread(idleP50), p99: spread(idleP99) },
        [`burstOf${BURST}`]: { p50: spread(burstP50), p99: spread(burstP99) },
      },
      failed: store.db
        .prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status != 'delivered'")
        .get(),
    };
  } finally {
    await dispatcher.stop();
    await receiver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/** Median and range over rounds, rounded to 0.01. */
function spread(values: number[]): { median: number; min: number; max: number } {
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    median: round(percentile(values, 50)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchWebhooks(), null, 2));
}
