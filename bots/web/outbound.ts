import type { Response } from 'express';
import { sendEvent } from '../../src/http/sse.ts';
import type { OutboundMessage } from '../../src/types/index.ts';
import type { WebMessage } from './format.ts';

/**
 * The open chat pages, by conversation: what "sending" means for the web chat. A reply the
 * engine stored and hands to `send` is pushed to every page that shows the conversation;
 * a page that was closed reads it from the conversation when it comes back.
 */
export class WebStreams {
  readonly #open = new Map<string, Set<Response>>();

  /** Follows a conversation on this response until the client disconnects. */
  follow(conversationId: string, res: Response): void {
    const pages = this.#open.get(conversationId) ?? new Set<Response>();
    pages.add(res);
    this.#open.set(conversationId, pages);
    res.on('close', () => {
      pages.delete(res);
      if (pages.size === 0) this.#open.delete(conversationId);
    });
  }

  /** Pushes one message to the conversation's open pages. */
  publish(conversationId: string, message: WebMessage): void {
    for (const res of this.#open.get(conversationId) ?? []) sendEvent(res, 'message', message);
  }

  /** Ends every open stream (shutdown). */
  closeAll(): void {
    for (const pages of this.#open.values()) for (const res of pages) res.end();
    this.#open.clear();
  }
}

/**
 * A reply as the page shows it. Only stored messages are shown: the page pages its history
 * by their ids, and a notice to an expired conversation (not stored) has no page to go to.
 */
export function outboundView(message: OutboundMessage, at = new Date()): WebMessage | undefined {
  if (message.id === undefined) return undefined;
  return {
    id: message.id,
    role: message.from,
    author: message.agentName ?? null,
    text: message.text,
    createdAt: at.toISOString(),
    ...(message.choices?.length ? { choices: message.choices } : {}),
  };
}
