/**
 * Clustering quality evaluation: streams a labelled intent dataset, in a seeded random
 * order, through the path a live ticket takes (normalize → embed → one transaction with
 * the ticket, its cluster assignment, consolidation and events) in a temporary database,
 * with the offline embedder and the default settings. Labels are used only for scoring.
 *
 * Run: `npm run eval:clusters -- --data <file> [--split train|val|test] [--seed N] [--limit N]`
 * or `npx tsx bench/eval-clusters.ts --data ../shared/data/banking77/train.csv`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.ts';
import { createOfflineEmbedder } from '../src/ai/offline-embedder.ts';
import { ingestKnowledge } from '../src/engine/knowledge/ingest.ts';
import { createNormalizer, createTriage } from '../src/engine/triage/index.ts';
import { createLogger } from '../src/log.ts';
import { createStore } from '../src/store/index.ts';
import type { Classification } from '../src/types/index.ts';
import { type Dataset, readDataset, shuffled } from './eval-data.ts';
import { ari, hungarianAccuracy, nmi } from './metrics/index.ts';

/** The figures of one run; shares are 0..1. */
export interface EvalReport {
  dataset: string;
  split: string;
  seed: number;
  messages: number;
  classes: number;
  clusters: number;
  nmi: number;
  ari: number;
  matchedAccuracy: number;
  singletonShare: number;
  largestClusterShare: number;
  messagesPerSecond: number;
  modelSkippedShare: number;
  consolidation: {
    merged: number;
    rehomed: number;
    reassigned: number;
    /** Tickets moved, and single-ticket clusters merged, by neighbour votes. */
    voted: number;
  };
}

const CLASSIFICATION: Classification = {
  state: 'RAISE_TICKET',
  kind: 'bug',
  category: 'eval',
  priority: 'medium',
  sentiment: 'neutral',
  summary: '',
  tags: [],
  productArea: null,
  confidence: 1,
};

/** Runs one evaluation and returns its figures. */
export async function evaluateClustering(
  dataset: Dataset,
  options: { seed: number; limit?: number | undefined },
): Promise<EvalReport> {
  const messages = shuffled(dataset.messages, options.seed).slice(0, options.limit);
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-eval-'));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const store = createStore(join(dir, 'eval.db'), {
    onCheckpointFailure: (error) => console.error(error),
  });
  try {
    const embedder = createOfflineEmbedder();
    await embedder.init();
    store.prepareVectors(embedder.name, embedder.dimensions);
    await ingestKnowledge(config.knowledgeDir, store, embedder);
    const normalizer = createNormalizer({ store, embedder, knowledgeDir: config.knowledgeDir });
    const triage = createTriage({
      store,
      normalizer,
      embedder,
      notify: async () => false,
      logger: createLogger('silent'),
    });

    const ticketIds: number[] = [];
    const started = performance.now();
    for (const [i, m] of messages.entries()) {
      // Every message from a different customer, as tickets from a community would be.
      const { ticket, maintenance } = await triage.raise({
        conversationId: `web:eval-${i}`,
        platform: 'web',
        author: { id: `eval-${i}`, name: 'Eval' },
        text: m.text,
        classification: { ...CLASSIFICATION, summary: m.text },
      });
      // Consolidation, when due, runs before the next ticket, as between live tickets.
      await maintenance;
      ticketIds.push(ticket.id);
    }
    const seconds = (performance.now() - started) / 1000;

    const clusterOf = new Map(
      store.db
        .prepare<[], { id: number; cluster_id: number }>('SELECT id, cluster_id FROM tickets')
        .all()
        .map((r) => [r.id, r.cluster_id]),
    );
    const predicted = ticketIds.map((id) => clusterOf.get(id) ?? -id);
    const truth = messages.map((m) => m.label);
    const sizes = new Map<number, number>();
    for (const c of predicted) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    const audit = store.db
      .prepare<[], { reason: string | null; n: number }>(
        `SELECT json_extract(detail, '$.reason') AS reason, COUNT(*) AS n FROM cluster_audit
         WHERE action = 'merged' AND actor = 'system' AND json_extract(detail, '$.into') IS NULL
         GROUP BY reason`,
      )
      .all();
    return {
      dataset: dataset.name,
      split: dataset.split,
      seed: options.seed,
      messages: messages.length,
      classes: new Set(truth).size,
      clusters: sizes.size,
      nmi: nmi(truth, predicted),
      ari: ari(truth, predicted),
      matchedAccuracy: hungarianAccuracy(truth, predicted),
      singletonShare: [...sizes.values()].filter((n) => n === 1).length / sizes.size,
      largestClusterShare: Math.max(...sizes.values()) / messages.length,
      messagesPerSecond: messages.length / seconds,
      modelSkippedShare: normalizer.stats().modelSkippedShare,
      consolidation: {
        merged: audit.find((a) => a.reason === 'near-duplicate')?.n ?? 0,
        rehomed: audit.find((a) => a.reason === 'rehome')?.n ?? 0,
        reassigned: countMoves(store, null),
        voted:
          countMoves(store, 'neighbours') + (audit.find((a) => a.reason === 'neighbours')?.n ?? 0),
      },
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Tickets moved between clusters by consolidation, by the audit's reason. */
function countMoves(store: ReturnType<typeof createStore>, reason: string | null): number {
  return (
    store.db
      .prepare<[string | null], { n: number }>(
        `SELECT COALESCE(SUM(json_array_length(detail, '$.ticketIds')), 0) AS n FROM cluster_audit
         WHERE action = 'reassigned' AND json_extract(detail, '$.to') IS NOT NULL
           AND json_extract(detail, '$.reason') IS ?`,
      )
      .get(reason)?.n ?? 0
  );
}

/** The report as the command prints it. */
export function formatReport(r: EvalReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}`;
  return [
    `dataset            ${r.dataset} [${r.split}], seed ${r.seed}`,
    `messages           ${r.messages} (${r.classes} classes)`,
    `NMI                ${pct(r.nmi)}`,
    `ARI                ${pct(r.ari)}`,
    `matched accuracy   ${pct(r.matchedAccuracy)} (Hungarian)`,
    `clusters           ${r.clusters} for ${r.classes} classes (${(r.clusters / r.classes).toFixed(2)} per class)`,
    `singleton clusters ${pct(r.singletonShare)}% of clusters`,
    `largest cluster    ${pct(r.largestClusterShare)}% of messages`,
    `throughput         ${r.messagesPerSecond.toFixed(0)} messages/s (normalize + embed + store + assign)`,
    `model skipped      ${pct(r.modelSkippedShare)}% of normalizations (offline: no model)`,
    `consolidation      ${r.consolidation.merged} near-duplicate merges, ${r.consolidation.rehomed} re-homed small clusters, ${r.consolidation.reassigned} tickets re-filed, ${r.consolidation.voted} moved by neighbour votes`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      split: { type: 'string' },
      seed: { type: 'string', default: '1' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.data) {
    process.stderr.write(
      'usage: npm run eval:clusters -- --data <banking77.csv|clinc150.json> [--split train|val|test] [--seed N] [--limit N] [--json]\n',
    );
    process.exit(2);
  }
  const report = await evaluateClustering(readDataset(values.data, values.split), {
    seed: Number(values.seed),
    limit: values.limit ? Number(values.limit) : undefined,
  });
  process.stdout.write(`${values.json ? JSON.stringify(report) : formatReport(report)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
