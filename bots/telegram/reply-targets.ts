/**
 * The customer's latest message per group conversation, so the bot's answer can reply to
 * it. Kept in memory and bounded: after a restart the answer is simply not a reply.
 */
export class ReplyTargets {
  readonly #latest = new Map<string, number>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  set(conversationId: string, messageId: number): void {
    this.#latest.delete(conversationId);
    this.#latest.set(conversationId, messageId);
    if (this.#latest.size > this.#max) {
      const oldest = this.#latest.keys().next().value;
      if (oldest !== undefined) this.#latest.delete(oldest);
    }
  }

  get(conversationId: string): number | undefined {
    return this.#latest.get(conversationId);
  }
}
