import type { Embedder } from '../../ai/types.ts';
import type { TitleWriter } from '../../ai/write-title.ts';
import type { Logger } from '../../log.ts';
import type { Store, Ticket } from '../../store/index.ts';
import type { Classification, Digest, Platform, StoredDigest } from '../../types/index.ts';
import {
  type Assignment,
  type ClusterSettings,
  type ConsolidationReport,
  consolidateIfDue,
  DEFAULT_CLUSTER_SETTINGS,
  isConsolidationDue,
  mergeClusters,
  refreshImpacts,
  renameCluster,
  resolveCluster,
  splitCluster,
} from './clusters/index.ts';
import { buildDigest, createDigest, type DigestOptions } from './digest/build.ts';
import { createDigestScheduler } from './digest/schedule.ts';
import { createModelTitles } from './model-titles.ts';
import type { Normalizer, NormalizerStats } from './normalizer.ts';
import { type Notify, notifyReporters } from './reporters.ts';
import { type TicketChange, type TicketPatch, updateTicket } from './ticket-workflow.ts';
import { createTicket, prepareTicket } from './tickets.ts';

/** One customer's report of a problem, as the conversation engine (or an evaluation) files it. */
export interface TicketReport {
  conversationId: string;
  platform: Platform;
  author: { id: string; name: string };
  /** The customer's own words, normalized when the classification's summary is empty. */
  text?: string;
  /**
   * What the customer wrote in the conversation, oldest first (redacted): their device, OS,
   * app version and browser are read from it. Default: `text`.
   */
  customerLines?: readonly string[];
  classification: Classification;
  /** When it was reported, epoch ms (default: now). */
  at?: number;
}

/** A raised ticket: committed with its cluster, its `ticket.created` event and `within`'s writes. */
export interface Raised<T> {
  ticket: Ticket;
  assignment: Assignment | undefined;
  /** What the caller's `within` returned, committed in the same transaction as the ticket. */
  within: T;
  /**
   * The cluster consolidation this ticket made due, running after the commit and off the
   * caller's path (undefined when none was due). It never rejects: a failure is logged, the
   * ticket stands, and the next pass covers it.
   */
  maintenance: Promise<ConsolidationReport | undefined>;
}

/** How a cluster is marked fixed. */
export interface ResolveOptions {
  /** Who marked it fixed: a developer's name, a Slack user, `admin`. */
  actor: string;
  /** What fixed it, quoted to the reporters ("Fixed in 3.2.2"). */
  resolution?: string | undefined;
  /** Tell every reporter, on their own platform, that the fix is out. */
  notifyReporters: boolean;
}

/**
 * Triage's one front door: everything that files, groups, fixes or reports problems. The
 * conversation engine, the admin routes, Mark fixed in Slack, the tests and the evaluation
 * all come through here, so each use case's steps are written once. Cluster changes throw a
 * `ClusterError` (`not_found`, `conflict`, `invalid`) when they cannot apply.
 */
export interface Triage {
  readonly settings: Readonly<ClusterSettings>;
  /**
   * Raises a ticket: normalizes and embeds the report (I/O, before any transaction), then in
   * ONE transaction stores the ticket, assigns it to a cluster, records `ticket.created` and
   * runs `within` (e.g. the reply that announces the reference), so none of it exists
   * without the rest. Consolidation, when due, follows off the caller's path.
   */
  raise<T = undefined>(report: TicketReport, within?: (ticket: Ticket) => T): Promise<Raised<T>>;
  /** Moves every ticket of the sources into the target; the sources become `merged`. */
  merge(targetId: number, sourceIds: readonly number[], actor: string): void;
  /** Moves the given tickets of a cluster into a new cluster; returns the new cluster's id. */
  split(clusterId: number, ticketIds: readonly number[], actor: string): number;
  /** Gives an open cluster a person's title, which no machine title replaces. */
  rename(clusterId: number, title: string, actor: string): void;
  /**
   * A person's change to a ticket (status, priority, tags, a note): one transaction with its
   * audit rows and `ticket.updated`. Throws a `TicketError` (`not_found`, `conflict`).
   */
  updateTicket(ref: string, patch: TicketPatch): TicketChange;
  /**
   * Marks a cluster fixed (one transaction with `cluster.resolved`), then, when asked, tells
   * each reporter that the fix is out. Resolves with how many reporters there were and how
   * many were told.
   */
  resolve(
    clusterId: number,
    options: ResolveOptions,
  ): Promise<{ reporters: number; notified: number }>;
  /** Builds the digest of a window without storing it (`GET /api/digest`). */
  digest(options: DigestOptions, now?: number): Digest;
  /** Builds, stores and announces (`digest.created`) a digest; posts it where developers read it. */
  publishDigest(options: DigestOptions, now?: number): StoredDigest;
  /** Re-scores impact so quiet clusters sink in the ranking; returns how many changed. */
  refreshImpacts(now?: number): number;
  normalizerStats(): NormalizerStats;
  /** Starts the digest schedule and the hourly impact refresh. */
  start(): void;
  stop(): void;
  /** Resolves when every consolidation pass started so far has run (tests, shutdown). */
  idle(): Promise<void>;
}

export interface TriageDeps {
  store: Store;
  normalizer: Normalizer;
  /** The embedder clustering uses (the same one as the centroid index). */
  embedder: Embedder;
  settings?: Readonly<ClusterSettings>;
  /** Tells a customer something on their own platform (`engine.notify`). */
  notify: Notify;
  /** Called after a commit that wrote outbox events (wakes the webhook dispatcher). */
  onCommit?: () => void;
  /** The digest schedule (`config.digest`); without it, digests are built on request only. */
  schedule?: { cron: string; timezone: string; topN: number };
  /** Posts a scheduled digest where developers read it (Slack's digest channel). */
  postDigest?: (digest: StoredDigest) => Promise<void>;
  /** The model path of cluster titles; without it titles are chosen from the tickets. */
  titleWriter?: TitleWriter | undefined;
  logger: Logger;
  clock?: () => number;
}

const HOUR_MS = 3_600_000;

/** Builds triage over a store; see {@link Triage}. */
export function createTriage(deps: TriageDeps): Triage {
  const { store, logger } = deps;
  const settings = deps.settings ?? DEFAULT_CLUSTER_SETTINGS;
  const clock = deps.clock ?? Date.now;
  const committed = () => deps.onCommit?.();
  // Consolidation passes run one after another, each in slices (see consolidateIfDue).
  let maintenance: Promise<unknown> = Promise.resolve();
  let impactTimer: NodeJS.Timeout | undefined;

  const change = <T>(fn: () => T): T => {
    const result = store.transaction(fn);
    committed();
    return result;
  };

  const consolidateAfter = (ticketId: number): Promise<ConsolidationReport | undefined> => {
    const open = store.overview.get().byStatus.open ?? 0;
    if (!isConsolidationDue(settings, ticketId, open)) return Promise.resolve(undefined);
    // The first slice waits a turn of the event loop, so the caller's reply goes out first.
    const pass = maintenance
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => consolidateIfDue(store, settings, ticketId));
    const settled = pass.then(
      (report) => {
        if (report) committed();
        return report;
      },
      (error: unknown) => {
        logger.error({ err: error, ticketId }, 'cluster consolidation failed');
        return undefined;
      },
    );
    maintenance = settled;
    return settled;
  };

  const publishDigest = (options: DigestOptions, now = clock()): StoredDigest => {
    const digest = change(() => createDigest(store, options, now));
    deps.postDigest?.(digest).catch((error: unknown) => {
      logger.warn({ err: error, digestId: digest.id }, 'digest post failed');
    });
    return digest;
  };

  const titles = deps.titleWriter
    ? createModelTitles({ store, writer: deps.titleWriter, logger, clock })
    : undefined;

  const scheduler = deps.schedule
    ? createDigestScheduler({
        store,
        ...deps.schedule,
        logger,
        publish: (options, now) => publishDigest(options, now),
      })
    : undefined;

  return {
    settings,

    async raise<T>(report: TicketReport, within?: (ticket: Ticket) => T): Promise<Raised<T>> {
      const prepared = await prepareTicket(
        { normalizer: deps.normalizer, embedder: deps.embedder },
        report,
        report.classification,
        report.at ?? clock(),
      );
      const raised = change(() => {
        const { ticket, assignment } = createTicket(store, prepared, settings);
        return { ticket, assignment, within: within?.(ticket) as T };
      });
      if (raised.assignment) titles?.refresh(raised.assignment.clusterId);
      return { ...raised, maintenance: consolidateAfter(raised.ticket.id) };
    },

    merge(targetId, sourceIds, actor) {
      change(() => mergeClusters(store, targetId, sourceIds, actor, clock()));
    },

    split: (clusterId, ticketIds, actor) =>
      change(() => splitCluster(store, clusterId, ticketIds, actor, clock())),

    rename(clusterId, title, actor) {
      change(() => renameCluster(store, clusterId, title, actor, clock()));
    },

    updateTicket(ref, patch) {
      const result = store.transaction(() => updateTicket(store, ref, patch, clock()));
      if (result.changed) committed();
      return result;
    },

    async resolve(clusterId, options) {
      change(() => resolveCluster(store, clusterId, options, clock()));
      if (!options.notifyReporters) return { reporters: 0, notified: 0 };
      return notifyReporters(store, deps.notify, clusterId, options.resolution);
    },

    digest: (options, now = clock()) => buildDigest(store, options, now),
    publishDigest,
    refreshImpacts: (now = clock()) => refreshImpacts(store, now),
    normalizerStats: () => deps.normalizer.stats(),

    start() {
      scheduler?.start();
      impactTimer ??= setInterval(() => {
        try {
          refreshImpacts(store, clock());
        } catch (error) {
          logger.warn({ err: error }, 'impact refresh failed');
        }
      }, HOUR_MS).unref();
    },

    stop() {
      scheduler?.stop();
      clearInterval(impactTimer);
      impactTimer = undefined;
    },

    async idle() {
      await maintenance;
      await titles?.idle();
    },
  };
}

export { type ClusterSettings, DEFAULT_CLUSTER_SETTINGS } from './clusters/index.ts';
export { createNormalizer, type Normalizer } from './normalizer.ts';
export { ticketDetail } from './ticket-detail.ts';
export {
  TICKET_TRANSITIONS,
  type TicketChange,
  TicketError,
  type TicketPatch,
} from './ticket-workflow.ts';
