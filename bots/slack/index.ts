import { App, AuthorizationError, ExpressReceiver } from '@slack/bolt';
import type { Router } from 'express';
import type { Logger } from '../../src/log.ts';
import type { AdapterHooks, ChannelAdapter, DeskActions } from '../../src/types/index.ts';
import { registerAssistActions } from './assist-actions.ts';
import { createSlackDesk, type SlackDesk } from './desk.ts';
import { type MarkFixed, registerDeskActions } from './desk-actions.ts';
import { SlackDirectory } from './directory.ts';
import { SlackApiError, slackCall } from './errors.ts';
import { CHOICE_ACTION } from './ids.ts';
import {
  choiceToInbound,
  type RouteContext,
  type RoutedEvent,
  routeChoice,
  routeMention,
  routeMessage,
  type SlackMessageEvent,
  toInboundMessage,
} from './inbound.ts';
import { boltLogger } from './logger.ts';
import { markChoiceMade, sendToConversation } from './outbound.ts';

export type { SlackDesk } from './desk.ts';
export type { MarkFixed } from './desk-actions.ts';
export { SlackApiError, SlackNetworkError } from './errors.ts';

/** The Web API's retries: a few quick ones, since the engine retries desk posts itself. */
export interface SlackRetryConfig {
  retries: number;
  factor?: number;
  minTimeout?: number;
  maxTimeout?: number;
}

export interface SlackAdapterConfig {
  botToken: string;
  /** Socket Mode when set (no public URL needed); otherwise HTTP mode with `signingSecret`. */
  appToken?: string | undefined;
  /** HTTP mode: verifies every request to `POST /slack/events`. */
  signingSecret?: string | undefined;
  /** Where handoffs are posted; without it the desk's `announce` fails. */
  agentChannel?: string | undefined;
  /** Where the digest is posted; without it the desk has no `postDigest`. */
  digestChannel?: string | undefined;
  /** The Web API base (GovSlack, a proxy, a test fake), ending in `/api/`. */
  apiUrl?: string | undefined;
  slaMinutes: number;
  /** Assign a handoff re-announced after the SLA to the least-loaded agent. */
  autoAssign?: boolean;
  logger: Logger;
  /** The engine's desk actions, read when an agent acts (the engine is built after the desk). */
  deskActions: () => DeskActions;
  /** Resolves a cluster and tells its reporters; without it the digest has no Mark fixed buttons. */
  markFixed?: MarkFixed | undefined;
  retryConfig?: SlackRetryConfig;
}

/** The Slack channel adapter, with its agent desk and (in HTTP mode) its request router. */
export interface SlackAdapter extends ChannelAdapter {
  readonly platform: 'slack';
  readonly mode: 'http' | 'socket';
  readonly desk: SlackDesk;
  /**
   * HTTP mode: serves `POST /slack/events` (events and interactivity). Mount it before any
   * body parser: Bolt checks the signature over the raw body. Undefined in Socket Mode.
   */
  readonly router: Router | undefined;
}

const DEFAULT_RETRIES: SlackRetryConfig = {
  retries: 2,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 5000,
};

const FIXES: Record<string, string> = {
  invalid_auth:
    "Slack rejected SLACK_BOT_TOKEN: copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page",
  not_authed: 'SLACK_BOT_TOKEN is empty',
  account_inactive: 'SLACK_BOT_TOKEN belongs to an uninstalled app: reinstall it to the workspace',
};

/**
 * Slack on Bolt: customers write to the bot in a DM or mention it in a channel; agents
 * work handoffs in the agent channel (see desk.ts and desk-actions.ts). Events are acked by
 * Bolt before the listener runs, and the listener only hands the message to the engine,
 * which commits it and answers later, so Slack always gets its ack within 3 s.
 */
export function createSlackAdapter(config: SlackAdapterConfig): SlackAdapter {
  const logger = config.logger.child({ channel: 'slack' });
  const socket = Boolean(config.appToken);
  if (!socket && !config.signingSecret) {
    throw new Error(
      'Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)',
    );
  }
  const log = boltLogger(logger);
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: config.retryConfig ?? DEFAULT_RETRIES,
  };
  const receiver = socket
    ? undefined
    : new ExpressReceiver({
        signingSecret: config.signingSecret as string,
        endpoints: '/slack/events',
        logger: log,
        // A signed body Bolt cannot process (no event in it, a shape it does not know) is
        // logged and acked: a 500 would make Slack deliver it again, and again.
        processEventErrorHandler: async ({ error, response }) => {
          if (response.headersSent) return false;
          if (error instanceof AuthorizationError) {
            response.writeHead(401).end();
            return true;
          }
          logger.warn({ err: error }, 'Slack request dropped: Bolt could not process it');
          response.writeHead(200).end();
          return true;
        },
      });
  const app = new App({
    token: config.botToken,
    logger: log,
    clientOptions,
    deferInitialization: true,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken as string }),
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'Slack listener failed');
  });

  let hooks: AdapterHooks | undefined;
  let botUserId: string | undefined;
  let started = false;
  const directory = new SlackDirectory(app.client, logger);
  const desk = createSlackDesk({
    client: app.client,
    logger,
    directory,
    actions: config.deskActions,
    botUserId: () => botUserId,
    agentChannel: config.agentChannel,
    digestChannel: config.digestChannel,
    slaMinutes: config.slaMinutes,
    autoAssign: config.autoAssign ?? false,
    markFixed: config.markFixed !== undefined,
  });
  const onAgentReply = registerDeskActions({
    app,
    logger,
    directory,
    actions: config.deskActions,
    agentChannel: config.agentChannel,
    digestChannel: config.digestChannel,
    markFixed: config.markFixed,
  });
  registerAssistActions({
    app,
    logger,
    directory,
    actions: config.deskActions,
    agentChannel: config.agentChannel,
  });

  const routeContext: RouteContext = {
    get botUserId() {
      return botUserId;
    },
    agentChannel: config.agentChannel,
    isKnownConversation: (id) => hooks?.conversation(id) !== undefined,
  };

  /** The error boundary of one inbound event: logged, never thrown back to Bolt. */
  const dispatch = async (routed: RoutedEvent): Promise<void> => {
    try {
      if (routed.kind === 'agent') {
        await onAgentReply(routed);
      } else if (routed.kind === 'customer') {
        if (!hooks) throw new Error('Slack adapter is not started');
        const author = await directory.person(routed.userId);
        await hooks.handle(toInboundMessage(routed, author.name));
      } else {
        // What does not fit the event's schema is worth a look; bots, edits and chatter are not.
        if (routed.reason.startsWith('malformed')) {
          logger.warn({ reason: routed.reason }, 'malformed Slack event dropped');
        } else {
          logger.trace({ reason: routed.reason }, 'Slack event ignored');
        }
      }
    } catch (error) {
      const conversationId = routed.kind === 'customer' ? routed.conversationId : undefined;
      logger.error({ err: error, conversationId }, 'Slack event failed');
    }
  };
  app.message(async ({ message }) => {
    await dispatch(routeMessage(message as unknown as SlackMessageEvent, routeContext));
  });
  app.event('app_mention', async ({ event }) => {
    await dispatch(routeMention(event as unknown as SlackMessageEvent, routeContext));
  });
  // A customer pressed a choice button (a rating): the engine gets the label and the value as
  // sent, and judges the value; the buttons then give way to what was chosen.
  app.action(CHOICE_ACTION, async ({ ack, body }) => {
    await ack();
    const press = routeChoice(body, routeContext);
    if (press.kind === 'ignore') {
      logger.warn({ reason: press.reason }, 'Slack choice press dropped');
      return;
    }
    try {
      if (!hooks) throw new Error('Slack adapter is not started');
      const author = await directory.person(press.userId);
      const accepted = await hooks.handle(choiceToInbound(press, author.name));
      if (accepted) await markChoiceMade(app.client, logger, press.message, press.label);
    } catch (error) {
      logger.error({ err: error, conversationId: press.conversationId }, 'Slack choice failed');
    }
  });

  return {
    platform: 'slack',
    mode: socket ? 'socket' : 'http',
    desk,
    router: receiver?.router,

    async start(engineHooks) {
      hooks = engineHooks;
      try {
        const auth = await slackCall('auth.test', logger, () => app.client.auth.test());
        botUserId = auth.user_id;
        await app.init();
        if (socket) await app.start();
        started = true;
      } catch (error) {
        const code = error instanceof SlackApiError ? error.code : '';
        const fix =
          FIXES[code] ?? (socket ? 'check SLACK_APP_TOKEN (xapp-…, connections:write)' : '');
        throw new Error(`Slack could not start: ${(error as Error).message}. ${fix}`.trim(), {
          cause: error,
        });
      }
      logger.info({ mode: socket ? 'socket' : 'http', botUserId }, 'Slack connected');
    },

    async stop() {
      if (!started) return;
      started = false;
      if (socket) await app.stop();
    },

    send(conversationId, message) {
      return sendToConversation(app.client, logger, conversationId, message);
    },
  };
}
