/**
 * A real triage pipeline for tests: a store (temporary file), the real offline embedder, the
 * sample knowledge ingested, the real normalizer, and `report()`, which raises a ticket the
 * way the engine does (prepare, then one transaction).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_KNOWLEDGE_DIR } from '../../config/index.ts';
import type { AreaChooser } from '../../src/ai/choose-area.ts';
import { createOfflineEmbedder } from '../../src/ai/offline-embedder.ts';
import {
  type ClusterSettings,
  consolidateIfDue,
  DEFAULT_CLUSTER_SETTINGS,
} from '../../src/engine/clusters/index.ts';
import { ingestKnowledge } from '../../src/engine/knowledge.ts';
import { createNormalizer } from '../../src/engine/normalizer.ts';
import { createTicket, prepareTicket, type Triage } from '../../src/engine/tickets.ts';
import type { Classification, Platform, Priority } from '../../src/engine/types.ts';
import { createStore, type Store, type Ticket } from '../../src/store/index.ts';

export const HOUR = 3_600_000;

/** Five customers describing one crash in five ways. */
export const SETTINGS_CRASH = [
  'app dies when I open settings',
  'settings screen closes the app',
  'the app crashes whenever I tap Settings',
  'opening settings makes the app quit',
  'every time I go to settings the app shuts down',
];

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
  report(r: Report): Promise<Ticket>;
  close(): void;
}

const embedder = createOfflineEmbedder();

/** Builds the pipeline; `settings` overrides cluster defaults, `chooser` adds the model path. */
export async function startTriage(
  options: { settings?: Partial<ClusterSettings>; chooser?: AreaChooser } = {},
): Promise<TriageKit> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-triage-'));
  const store = createStore(join(dir, 'triage.db'));
  await embedder.init();
  store.prepareVectors(embedder.name, embedder.dimensions);
  await ingestKnowledge(SAMPLE_KNOWLEDGE_DIR, store, embedder);
  const triage: Triage = {
    normalizer: createNormalizer({
      store,
      embedder,
      knowledgeDir: SAMPLE_KNOWLEDGE_DIR,
      chooser: options.chooser,
    }),
    embedder,
    clusters: { ...DEFAULT_CLUSTER_SETTINGS, ...options.settings },
  };
  return {
    store,
    triage,
    async report(r) {
      const platform = r.platform ?? 'web';
      const classification: Classification = {
        state: 'RAISE_TICKET',
        kind: 'bug',
        category: 'bug',
        priority: r.priority ?? 'medium',
        sentiment: 'negative',
        summary: r.text,
        tags: [],
        productArea: null,
        confidence: 0.8,
      };
      const msg = {
        conversationId: `${platform}:${r.reporter}`,
        platform,
        author: { id: r.reporter, name: `Customer ${r.reporter}` },
      };
      const prepared = await prepareTicket(triage, msg, classification, r.at ?? Date.now());
      const ticket = store.transaction(() => createTicket(store, prepared, triage.clusters).ticket);
      // As the engine does: maintenance, when due, right after the ticket's transaction.
      await consolidateIfDue(store, triage.clusters, ticket.id);
      return store.tickets.get(ticket.id) as Ticket;
    },
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
