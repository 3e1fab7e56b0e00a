/**
 * An append-only list of things a fake observed, with `waitFor` so a test can block until the
 * SDK under test has done something (sent a message, opened a DM) instead of sleeping.
 */
export class Recorder<T> {
  readonly items: T[] = [];
  readonly #waiters = new Set<(item: T) => void>();
  readonly #label: string;

  constructor(label: string) {
    this.#label = label;
  }

  push(item: T): void {
    this.items.push(item);
    for (const notify of [...this.#waiters]) notify(item);
  }

  /** Resolves with the first recorded item (past or future) matching `predicate`. */
  waitFor(predicate: (item: T) => boolean = () => true, timeoutMs = 2_000): Promise<T> {
    const existing = this.items.find(predicate);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise<T>((resolve, reject) => {
      const notify = (item: T): void => {
        if (!predicate(item)) return;
        this.#waiters.delete(notify);
        clearTimeout(timer);
        resolve(item);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(notify);
        const seen = JSON.stringify(this.items, null, 2).slice(0, 2_000);
        reject(
          new Error(`${this.#label}: nothing matched within ${timeoutMs} ms; recorded: ${seen}`),
        );
      }, timeoutMs);
      this.#waiters.add(notify);
    });
  }

  clear(): void {
    this.items.length = 0;
  }
}
