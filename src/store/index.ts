import { AssistStore } from './assist.ts';
import { startCheckpointer } from './checkpointer.ts';
import { ClusterViewStore } from './cluster-views.ts';
import { ClusterStore } from './clusters.ts';
import { ConversationStore } from './conversations.ts';
import { type Db, inTransaction, openDatabase } from './db.ts';
import { DigestStore } from './digests.ts';
import { EventStore } from './events.ts';
import { HandoffStore } from './handoffs.ts';
import { KnowledgeStore } from './knowledge.ts';
import { OutcomeStore } from './outcomes.ts';
import { OverviewStore } from './overview.ts';
import { TicketStore } from './tickets.ts';
import { prepareVectorTables, type VectorSpace } from './vectors.ts';
import { WebhookStore } from './webhooks.ts';

export type { AssistCounts } from './assist.ts';
export {
  CLUSTER_STATUSES,
  type ClusterAuditView,
  type ClusterFilter,
  type ClusterStatus,
  type ClusterTicketView,
  type ClusterView,
} from './cluster-views.ts';
export {
  type ClusterMember,
  type ClusterNeighbour,
  type ClusterPatch,
  type ClusterRecord,
  type NewClusterRecord,
  URGENCIES,
  type Urgency,
} from './clusters.ts';
export type { Conversation } from './conversations.ts';
export type { Db } from './db.ts';
export type { EnvironmentRow, WindowCluster, WindowTicket } from './digests.ts';
export { EVENT_TYPES, type EventType, type OutboxEvent } from './events.ts';
export type { KnowledgeChunk } from './knowledge.ts';
export type { HandoffTiming, OutcomeDay } from './outcomes.ts';
export type { Overview } from './overview.ts';
export {
  type NewTicket,
  TICKET_STATUSES,
  type Ticket,
  type TicketAuditEntry,
  type TicketFields,
  type TicketFilter,
  type TicketStatus,
} from './tickets.ts';
export type { VectorSpace } from './vectors.ts';

/**
 * The only place SQL lives. One SQLite file; `transaction(fn)` wraps one state change so
 * that, for example, a ticket and its outbox event commit together or not at all.
 */
export interface Store {
  readonly db: Db;
  readonly conversations: ConversationStore;
  readonly knowledge: KnowledgeStore;
  readonly handoffs: HandoffStore;
  readonly tickets: TicketStore;
  readonly events: EventStore;
  readonly webhooks: WebhookStore;
  readonly digests: DigestStore;
  readonly overview: OverviewStore;
  /** Conversation outcomes per day and answers per doc section, for `/api/stats` and `/api/knowledge`. */
  readonly outcomes: OutcomeStore;
  /** The agent's cards, the replies drafted for agents, and the customers' ratings. */
  readonly assist: AssistStore;
  /** Read views of clusters for the admin API. */
  readonly clusterViews: ClusterViewStore;
  /** Clusters as the clustering engine changes them, with the centroid index. */
  readonly clusters: ClusterStore;
  transaction<T>(fn: () => T): T;
  /**
   * Creates the vec0 tables for the retrieval embedder and the clustering embedder (the
   * same one when `clusters` is left out); says which changed since the last start.
   */
  prepareVectors(
    knowledge: VectorSpace,
    clusters?: VectorSpace,
  ): { knowledge: boolean; clusters: boolean };
  /**
   * Closes the database. Resolves once the checkpoint thread, if any, has closed its own
   * connection too: until then SQLite may still write the `-wal` and `-shm` files.
   */
  close(): Promise<void>;
}

export interface StoreOptions {
  /**
   * Checkpoint the WAL from a background thread instead of inside commits (see
   * checkpointer.ts); called if that thread fails and commits checkpoint again. The server,
   * the benchmarks and the evaluation use it; short-lived stores in tests need not.
   */
  onCheckpointFailure?: (error: Error) => void;
}

/** Opens the database file (or `:memory:`) and builds the store on it. */
export function createStore(file: string, options: StoreOptions = {}): Store {
  const db = openDatabase(file);
  const checkpointer =
    options.onCheckpointFailure && file !== ':memory:'
      ? startCheckpointer(db, file, options.onCheckpointFailure)
      : undefined;
  return {
    db,
    conversations: new ConversationStore(db),
    knowledge: new KnowledgeStore(db),
    handoffs: new HandoffStore(db),
    tickets: new TicketStore(db),
    events: new EventStore(db),
    webhooks: new WebhookStore(db),
    digests: new DigestStore(db),
    overview: new OverviewStore(db),
    outcomes: new OutcomeStore(db),
    assist: new AssistStore(db),
    clusterViews: new ClusterViewStore(db),
    clusters: new ClusterStore(db),
    transaction: (fn) => inTransaction(db, fn),
    prepareVectors: (knowledge, clusters) => prepareVectorTables(db, knowledge, clusters),
    close: () => {
      db.close();
      return checkpointer?.stop() ?? Promise.resolve();
    },
  };
}
