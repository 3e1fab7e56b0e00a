/**
 * Flood control: at most `perMinute` messages in any 60 s per key (an author on a platform,
 * or a conversation), counted over a sliding window. A key over its limit is told so once
 * per streak; the streak ends when one of its messages passes again. Memory is bounded:
 * keys with nothing in the window are dropped as the map grows.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { times: number[]; told: boolean }>();

  constructor(
    private readonly perMinute: number,
    private readonly maxKeys = 50_000,
  ) {}

  /**
   * Counts one message for `key` at `now`. `allowed` when it fits the limit; otherwise
   * `tell` is true for the first message over it in this streak.
   */
  take(key: string, now = Date.now()): { allowed: boolean; tell: boolean } {
    if (this.perMinute <= 0) return { allowed: true, tell: false };
    const w = this.windows.get(key) ?? { times: [], told: false };
    while (w.times.length > 0 && (w.times[0] as number) <= now - WINDOW_MS) w.times.shift();
    if (w.times.length < this.perMinute) {
      w.times.push(now);
      w.told = false;
      this.remember(key, w, now);
      return { allowed: true, tell: false };
    }
    const tell = !w.told;
    w.told = true;
    this.remember(key, w, now);
    return { allowed: false, tell };
  }

  private remember(key: string, w: { times: number[]; told: boolean }, now: number): void {
    this.windows.set(key, w);
    if (this.windows.size <= this.maxKeys) return;
    for (const [k, v] of this.windows) {
      if ((v.times.at(-1) ?? 0) <= now - WINDOW_MS) this.windows.delete(k);
    }
  }
}

const WINDOW_MS = 60_000;

/** What the customer is told, once, when they are over the limit. */
export const SLOW_DOWN =
  "You're sending messages faster than I can answer them. Please wait a minute, then send your question again in one message.";
