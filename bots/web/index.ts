import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { AdapterHooks, ChannelAdapter, Desk, DeskActions } from '../../src/types/index.ts';
import { createWebDesk, deskRoutes } from './desk.ts';
import { chatRoutes } from './inbound.ts';
import { outboundView, WebStreams } from './outbound.ts';

export { MAX_MESSAGE_CHARS } from './inbound.ts';

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');
/** uPlot's own build, served as installed: the console's charts need no bundler and no CDN. */
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot'));

/**
 * The console loads everything from this server (scripts, styles, charts, data); the
 * policy makes that a rule the browser enforces rather than a habit of the code.
 */
const CONSOLE_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  // uPlot sizes its canvas and legend with inline styles.
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
].join('; ');

export interface WebAdapterConfig {
  /** Bearer token of the desk's API (`ADMIN_TOKEN`). */
  adminToken: string;
  /** The engine's desk actions, read when an agent acts (the engine is built after the desk). */
  deskActions: () => DeskActions;
}

/**
 * The built-in web chat (`/`), web desk (`/desk`) and triage console (`/console`), served
 * by Switchboard itself.
 */
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
    // Before the static files: `/console` is also their folder, which would answer a redirect.
    .get('/console', (_req, res) => {
      res.set('content-security-policy', CONSOLE_POLICY);
      res.sendFile(join(PUBLIC_DIR, 'console', 'console.html'));
    })
    .use(express.static(PUBLIC_DIR, { index: 'chat.html' }))
    .get('/desk', (_req, res) => res.sendFile(join(PUBLIC_DIR, 'desk.html')))
    .use('/console/vendor', express.static(UPLOT_DIR, { index: false }))
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
