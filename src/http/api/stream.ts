import { Router } from 'express';
import type { EventStore, OutboxEvent } from '../../store/events.ts';
import { openStream, sendEvent } from '../sse.ts';

export type FeedListener = (event: OutboxEvent) => void;

/** What the console's live stream follows: the outbox, read after each commit. */
export interface ConsoleFeed {
  /** Reads what was committed since the last call and passes it to every listener. */
  notify(): void;
  /** Calls `listener` with every event committed from now on; returns the unsubscribe. */
  subscribe(listener: FeedListener): () => void;
}

/**
 * The console's live feed is the outbox itself: the events webhooks receive (a ticket
 * created or changed, a cluster escalated or fixed, a handoff, a digest) reach the open
 * console pages too. Called after each commit that wrote events, it reads them in commit
 * order from where it last stopped, so none is skipped and none is sent twice; with
 * nobody listening it only moves its position.
 */
export function createConsoleFeed(
  events: Pick<EventStore, 'committedAfter' | 'lastSeq'>,
): ConsoleFeed {
  const listeners = new Set<FeedListener>();
  let seq = events.lastSeq();
  return {
    notify() {
      if (listeners.size === 0) {
        seq = events.lastSeq();
        return;
      }
      for (
        let batch = events.committedAfter(seq);
        batch.length > 0;
        batch = events.committedAfter(seq)
      ) {
        for (const { seq: at, ...event } of batch) {
          seq = at;
          for (const listener of listeners) listener(event);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * `GET /stream` (mount under `/api`, behind the bearer token): the outbox as server-sent
 * events, one per committed event, named by its type (`ticket.created`, `ticket.updated`,
 * `cluster.escalated`, …), its data the webhook's. It does not replay what a client missed
 * while away: a page reloads its data when it reconnects.
 */
export function consoleStream(feed: ConsoleFeed): Router {
  return Router().get('/stream', (req, res) => {
    openStream(res);
    const unsubscribe = feed.subscribe((event) =>
      sendEvent(res, event.type, { id: event.id, ...event.data }),
    );
    req.on('close', unsubscribe);
  });
}
