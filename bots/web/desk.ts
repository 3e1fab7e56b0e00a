import type { Desk } from '../../src/engine/desk.ts';

/**
 * The web desk at /desk, used while Slack is not configured. Its page lists handoffs and
 * follows them over SSE from the engine's events, so posting, updating and relaying need
 * no work here beyond naming where the handoff went.
 */
export function createWebDesk(): Desk {
  return {
    name: 'web',
    async announce() {
      return { desk: 'web' };
    },
    async update() {},
    async relay() {},
  };
}
