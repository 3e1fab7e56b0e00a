/**
 * One clustering evaluation run (`evaluateClustering`): streams a labelled intent dataset, in
 * a seeded random order, through the path a live ticket takes (normalize → embed → one
 * transaction with the ticket, its cluster assignment, consolidation and events) in a
 * temporary database, and scores the clusters against the labels. The command line is
 * eval-clusters.ts; the cold-start and sweep runs call this too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/index.ts';
import { createOfflineClusterEmbedder, createOfflineEmbedder } from '../src/ai/offline-embedder.ts';
import type { Embedder } from '../src/ai/types.ts';
import { ingestKnowledge } from '../src/engine/knowledge/ingest.ts';
import {
  type ClusterSettings,
  createNormalizer,
  createTriage,
  DEFAULT_CLUSTER_SETTINGS,
} from '../src/engine/triage/index.ts';
import { createLogger } from '../src/log.ts';
import { createStore } from '../src/store/index.ts';
import type { Classification } from '../src/types/index.ts';
import { type Dataset, shuffled } from './eval-data.ts';
import { ari, hungarianAccuracy, nmi } from './metrics/index.ts';

/** The figures of one run; shares are 0..1. */
export interface EvalReport {
  dataset: string;
  split: string;
  seed: number;
  embedder: string;
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

/** How one evaluation runs; only `seed` is required. */
export interface EvalOptions {
  seed: number;
  limit?: number | undefined;
  /** The embedder for normalizing and clustering, as live. Default `createOfflineEmbedder()`. */
  embedder?: Embedder | undefined;
  /** The cluster settings. Default `DEFAULT_CLUSTER_SETTINGS`. */
  settings?: Readonly<ClusterSettings> | undefined;
}

/** Runs one evaluation and returns its figures. */
export async function evaluateClustering(
  dataset: Dataset,
  options: EvalOptions,
): Promise<EvalReport> {
  const messages = shuffled(dataset.messages, options.seed).slice(0, options.limit);
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-eval-'));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const store = createStore(join(dir, 'eval.db'), {
    onCheckpointFailure: (error) => console.error(error),
  });
  try {
    // As live: word vectors for product areas, the clustering embedder for tickets.
    const words = createOfflineEmbedder();
    const embedder = options.embedder ?? createOfflineClusterEmbedder(words);
    await Promise.all([words.init(), embedder.init()]);
    store.prepareVectors(words, embedder);
    await ingestKnowledge(config.knowledgeDir, store, words);
    const normalizer = createNormalizer({
      store,
      embedder: words,
      knowledgeDir: config.knowledgeDir,
    });
    const triage = createTriage({
      store,
      normalizer,
      embedder,
      settings: options.settings ?? DEFAULT_CLUSTER_SETTINGS,
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
      embedder: embedder.name,
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
    `embedder           ${r.embedder}`,
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
