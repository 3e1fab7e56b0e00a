import type { ChannelAdapter } from '../../src/engine/types.ts';

export { createWebDesk } from './desk.ts';
export { type WebRoutesDeps, webRoutes } from './routes.ts';

/**
 * The built-in web chat's adapter. Its pages read messages from the engine and stream new
 * ones over SSE (see routes.ts), so `send` has nothing left to deliver: the engine already
 * stored the message and emitted it to the open streams.
 */
export function createWebAdapter(): ChannelAdapter {
  return {
    platform: 'web',
    async start() {},
    async stop() {},
    async send() {},
  };
}
