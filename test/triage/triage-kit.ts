/**
 * A real triage pipeline for tests: a store (temporary file), the real offline embedder, the
 * sample knowledge ingested, the real normalizer and triage, and `report()`, which raises a
 * ticket through triage's front door as the engine does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_KNOWLEDGE_DIR } from '../../config/index.ts';
import type { AreaChooser } from '../../src/ai/choose-area.ts';
import {
  createOfflineClusterEmbedder,
  createOfflineEmbedder,
} from '../../src/ai/offline-embedder.ts';
import type { Embedder } from '../../src/ai/types.ts';
import type { TitleWriter } from '../../src/ai/write-title.ts';
import { ingestKnowledge } from '../../src/engine/knowledge/ingest.ts';
import {
  type ClusterSettings,
  createNormalizer,
  createTriage,
  DEFAULT_CLUSTER_SETTINGS,
  type Triage,
} from '../../src/engine/triage/index.ts';
import { createLogger } from '../../src/log.ts';
import { createStore, type Store, type Ticket } from '../../src/store/index.ts';
import type { Platform, Priority } from '../../src/types/index.ts';

export const HOUR = 3_600_000;

/** Five customers describing one crash in five ways. */
export const SETTINGS_CRASH = [
  'app dies when I open settings',
  'settings screen closes the app',
  'the app crashes whenever I tap Settings',
  'opening settings makes the app quit',
  'every time I go to settings the app shuts down',
];

/** Reports of a second problem, told three ways. */
export const CHECKOUT = [
  'payment fails at checkout with an error',
  'my card payment is declined at checkout',
  'checkout says the payment failed',
];

/** A one-off report, like neither problem. */
export const COSMETIC = 'the logo on the invoice PDF is slightly blurry';

/** One customer's report. */
export interface Report {
  text: string;
  reporter: string;
  platform?: Platform;
  priority?: Priority;
  at?: number;
}

export interface TriageKit {
  store: Store;
  triage: Triage;
  /** The retrieval embedder (answers, product areas). */
  embedder: Embedder;
  /** The embedder tickets are clustered with, as live. */
  clusterEmbedder: Embedder;
  /** What triage told customers ("the fix is out"), in order: the kit's stand-in for the engine. */
  notices: Array<{ conversationId: string; text: string }>;
  report(r: Report): Promise<Ticket>;
  close(): void;
}

const embedder = createOfflineEmbedder();
const clusterEmbedder = createOfflineClusterEmbedder(embedder);

/** Builds the pipeline; `settings` overrides cluster defaults; `chooser` and `titleWriter` add the model path. */
export async function startTriage(
  options: {
    settings?: Partial<ClusterSettings>;
    chooser?: AreaChooser;
    titleWriter?: TitleWriter;
  } = {},
): Promise<TriageKit> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-triage-'));
  const store = createStore(join(dir, 'triage.db'));
  await embedder.init();
  store.prepareVectors(embedder, clusterEmbedder);
  await ingestKnowledge(SAMPLE_KNOWLEDGE_DIR, store, embedder);
  const notices: TriageKit['notices'] = [];
  const triage = createTriage({
    store,
    normalizer: createNormalizer({
      store,
      embedder,
      knowledgeDir: SAMPLE_KNOWLEDGE_DIR,
      chooser: options.chooser,
    }),
    embedder: clusterEmbedder,
    settings: { ...DEFAULT_CLUSTER_SETTINGS, ...options.settings },
    // Reporters are told through the engine; the kit records what they would have read.
    titleWriter: options.titleWriter,
    notify: async (conversationId, text) => {
      notices.push({ conversationId, text });
      return true;
    },
    logger: createLogger('silent'),
  });
  return {
    store,
    triage,
    embedder,
    clusterEmbedder,
    notices,
    async report(r) {
      const platform = r.platform ?? 'web';
      const { ticket, maintenance } = await triage.raise({
        conversationId: `${platform}:${r.reporter}`,
        platform,
        author: { id: r.reporter, name: `Customer ${r.reporter}` },
        classification: {
          state: 'RAISE_TICKET',
          kind: 'bug',
          category: 'bug',
          priority: r.priority ?? 'medium',
          sentiment: 'negative',
          summary: r.text,
          tags: [],
          productArea: null,
          confidence: 0.8,
        },
        ...(r.at !== undefined ? { at: r.at } : {}),
      });
      // Maintenance, when due, has run before the next report, as it would between tickets.
      await maintenance;
      return store.tickets.get(ticket.id) as Ticket;
    },
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
