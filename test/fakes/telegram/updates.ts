import type { Update } from 'grammy/types';
import { Recorder } from '../recorder.ts';

/** An update before the server numbers it. */
export type UpdateInput = Omit<Update, 'update_id'> & { update_id?: number };

export type PollResult =
  | { ok: true; updates: Update[] }
  | { ok: false; error_code: number; description: string };

/** An update a later poll confirmed: long polling's ack (`at` from `performance.now()`). */
export interface ConfirmedUpdate {
  updateId: number;
  at: number;
}

export interface PollParams {
  offset?: number;
  limit?: number;
  timeout?: number;
  allowed_updates?: string[];
}

interface Waiter {
  limit: number;
  resolve: (result: PollResult) => void;
  timer: NodeJS.Timeout;
}

// With `allowed_updates` empty or never set, Telegram sends every type except these.
const OPT_IN_TYPES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/** The type of an update: its one key besides `update_id`. */
export function updateType(update: UpdateInput): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
}

/**
 * Telegram's update queue and `getUpdates` long polling: updates stay until a later call's
 * `offset` confirms them, a call with no updates waits up to `timeout` seconds, and a second
 * concurrent poll ends the first with 409, as with two bot instances.
 */
export class UpdateQueue {
  readonly pending: Update[] = [];
  /** Updates Telegram would never have created, given the `allowed_updates` in force. */
  readonly filtered: Update[] = [];
  /** Updates confirmed by a later call's `offset`, in order: what the bot acked, and when. */
  readonly confirmed = new Recorder<ConfirmedUpdate>('telegram confirmed updates');
  #nextId = 184_467_300 + Math.floor(Math.random() * 1000);
  #allowed: string[] = [];
  #waiter: Waiter | undefined;

  /** Numbers the update (Telegram assigns `update_id`) and wakes a waiting poll. */
  push(input: UpdateInput): Update {
    const update = { ...input, update_id: this.#nextId++ } as Update;
    if (!this.isAllowed(updateType(update))) {
      this.filtered.push(update);
      return update;
    }
    this.pending.push(update);
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      clearTimeout(waiter.timer);
      waiter.resolve({ ok: true, updates: this.pending.slice(0, waiter.limit) });
    }
    return update;
  }

  /** An update id for webhook deliveries, from the same sequence. */
  nextId(): number {
    return this.#nextId++;
  }

  isAllowed(type: string): boolean {
    return this.#allowed.length === 0 ? !OPT_IN_TYPES.has(type) : this.#allowed.includes(type);
  }

  setAllowedUpdates(allowed: string[] | undefined): void {
    if (allowed !== undefined) this.#allowed = allowed;
  }

  get allowedUpdates(): string[] {
    return this.#allowed;
  }

  /** True while a getUpdates call is being held open. */
  get isPolling(): boolean {
    return this.#waiter !== undefined;
  }

  dropPending(): void {
    this.pending.length = 0;
  }

  /** One `getUpdates` call. `onAbort` lets the caller drop the wait when the client hangs up. */
  poll(params: PollParams, onAbort: (cancel: () => void) => void): Promise<PollResult> {
    this.setAllowedUpdates(params.allowed_updates);
    this.#confirm(params.offset ?? 0);
    const limit = Math.min(Math.max(params.limit ?? 100, 1), 100);
    const timeout = Math.max(params.timeout ?? 0, 0);
    this.#terminateWaiter({
      ok: false,
      error_code: 409,
      description:
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    });
    if (this.pending.length > 0 || timeout === 0) {
      return Promise.resolve({ ok: true, updates: this.pending.slice(0, limit) });
    }
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => this.#terminateWaiter({ ok: true, updates: [] }),
        timeout * 1000,
      );
      const waiter: Waiter = { limit, resolve, timer };
      this.#waiter = waiter;
      onAbort(() => {
        if (this.#waiter !== waiter) return;
        clearTimeout(timer);
        this.#waiter = undefined;
      });
    });
  }

  /** Answers a waiting poll with no updates (used when the fake shuts down). */
  close(): void {
    this.#terminateWaiter({ ok: true, updates: [] });
  }

  #confirm(offset: number): void {
    if (offset > 0) {
      const keepFrom = this.pending.findIndex((update) => update.update_id >= offset);
      const acked = this.pending.splice(0, keepFrom === -1 ? this.pending.length : keepFrom);
      const at = performance.now();
      for (const update of acked) this.confirmed.push({ updateId: update.update_id, at });
    } else if (offset < 0) {
      // A negative offset keeps only the last |offset| updates and forgets the rest.
      this.pending.splice(0, Math.max(this.pending.length + offset, 0));
    }
  }

  #terminateWaiter(result: PollResult): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    this.#waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.resolve(result);
  }
}
