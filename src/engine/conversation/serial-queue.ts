/**
 * Runs tasks one at a time per key (a conversation), in arrival order, while different
 * keys run concurrently. A failing task never blocks the ones after it.
 */
export class SerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  push(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** Resolves when every queued task has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
