import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { AdapterHooks, ChannelAdapter, Desk, DeskActions } from '../../src/types/index.ts';
import { createWebDesk, deskRoutes } from './desk.ts';
import { chatRoutes } from './inbound.ts';
import { outboundView, WebStreams } from './outbound.ts';

export { MAX_MESSAGE_CHARS } from './inbound.ts';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');

export interface WebAdapterConfig {
  /** Bearer token of the desk's API (`ADMIN_TOKEN`). */
  adminToken: string;
  /** The engine's desk actions, read when an agent acts (the engine is built after the desk). */
  deskActions: () => DeskActions;
}

/** The built-in web chat (`/`) and web desk (`/desk`), served by Switchboard itself. */
export interface WebAdapter extends ChannelAdapter {
  readonly platform: 'web';
  /** Where handoffs go while Slack is not configured: the desk page. */
  readonly desk: Desk;
  /** The pages, their assets, the chat's routes and the desk's API. Mount at the root. */
  readonly router: Router;
}

/**
 * The web chat as a channel like the others: customers post to `/web/messages` (inbound.ts)
 * and the engine's replies are pushed to the conversation's open pages (outbound.ts); the
 * pages read earlier messages through the engine's hooks. The desk page works handoffs
 * through the engine's desk actions (desk.ts).
 */
export function createWebAdapter(config: WebAdapterConfig): WebAdapter {
  const streams = new WebStreams();
  let hooks: AdapterHooks | undefined;
  const router = Router()
    .use(express.static(PUBLIC_DIR, { index: 'chat.html' }))
    .get('/desk', (_req, res) => res.sendFile(join(PUBLIC_DIR, 'desk.html')))
    .use(chatRoutes(() => hooks, streams))
    .use(deskRoutes(config.deskActions, config.adminToken));

  return {
    platform: 'web',
    desk: createWebDesk(),
    router,
    async start(engineHooks) {
      hooks = engineHooks;
    },
    async stop() {
      streams.closeAll();
      hooks = undefined;
    },
    async send(conversationId, message) {
      const view = outboundView(message);
      if (view) streams.publish(conversationId, view);
    },
  };
}
