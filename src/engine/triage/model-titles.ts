import type { TitleWriter } from '../../ai/write-title.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/index.ts';
import { redactPII } from '../redact.ts';
import { retitleDue, titleFromPhrase } from './titles.ts';

/** Phrases of a cluster's newest tickets the model writes a title from. */
const PHRASES = 12;

/** The model path of cluster titles: written off the ticket's path, once per material change. */
export interface ModelTitles {
  /** Asks for a new title for the cluster when it is due; returns at once. */
  refresh(clusterId: number): void;
  /** Resolves when every title asked for so far has been written (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * Writes cluster titles with the model, from the redacted canonical phrases of the newest
 * tickets, after the ticket's commit. A cluster is titled by the model when it is new to
 * it, then again only when it has grown materially (`retitleDue`); a title a person wrote
 * is never touched. A failed call leaves the current title, and is not retried until the
 * cluster grows. The model's title is redacted and tidied like an extracted one.
 */
export function createModelTitles(deps: {
  store: Store;
  writer: TitleWriter;
  logger: Logger;
  clock: () => number;
}): ModelTitles {
  const { store, logger } = deps;
  const pending = new Map<number, Promise<void>>();
  const failedAt = new Map<number, number>();

  const due = (clusterId: number): boolean => {
    const c = store.clusters.get(clusterId);
    if (c?.status !== 'open' || c.titleSource === 'manual' || pending.has(clusterId)) return false;
    if (failedAt.get(clusterId) === c.reports) return false;
    return c.titleSource === 'extract' || retitleDue(c.reports, c.titledAtReports);
  };

  const write = async (clusterId: number): Promise<void> => {
    const phrases = store.clusters.titleCandidates(clusterId, PHRASES).map((m) => m.canonical);
    const reports = store.clusters.get(clusterId)?.reports ?? 0;
    try {
      const title = titleFromPhrase(redactPII(await deps.writer(phrases)));
      if (!title) return;
      store.transaction(() => {
        const c = store.clusters.get(clusterId);
        // A person may have renamed it, or it was merged or fixed, while the model wrote.
        if (c?.status !== 'open' || c.titleSource === 'manual') return;
        store.clusters.update(
          clusterId,
          { title, titleSource: 'model', titledAtReports: c.reports },
          deps.clock(),
        );
      });
      failedAt.delete(clusterId);
    } catch (error) {
      failedAt.set(clusterId, reports);
      logger.warn({ err: error, clusterId }, 'cluster title by the model failed; kept the title');
    }
  };

  return {
    refresh(clusterId) {
      if (!due(clusterId)) return;
      const job = write(clusterId).finally(() => pending.delete(clusterId));
      pending.set(clusterId, job);
    },
    async idle() {
      while (pending.size > 0) await Promise.all(pending.values());
    },
  };
}
