import { autoRetry } from '@grammyjs/auto-retry';
import { Router } from 'express';
import { Bot, webhookCallback } from 'grammy';
import { HttpError } from '../../src/http/errors.ts';
import type { Logger } from '../../src/log.ts';
import type { AdapterHooks, ChannelAdapter } from '../../src/types/index.ts';
import { TelegramError, toTelegramError } from './errors.ts';
import { routeMessage, routePress } from './inbound.ts';
import { sendTelegramTyping, sendToTelegram, settleTelegramPress } from './outbound.ts';
import { ReplyTargets } from './reply-targets.ts';
import { isUpdateEnvelope, updateProblem } from './schema.ts';

export { TelegramError, type TelegramErrorCode, toTelegramError } from './errors.ts';
export { type TelegramTarget, telegramConversationId } from './ids.ts';

/** Where Telegram posts updates in webhook mode, relative to PUBLIC_URL. */
export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

export interface TelegramAdapterConfig {
  botToken: string;
  /** Bot API root, e.g. a self-hosted Bot API server; default `https://api.telegram.org`. */
  apiRoot?: string | undefined;
  /** Long polling needs no public URL; webhook mode needs `webhook`. */
  mode: 'polling' | 'webhook';
  /**
   * Webhook mode: PUBLIC_URL (Telegram posts to it + {@link TELEGRAM_WEBHOOK_PATH}) and the
   * secret Telegram sends back in `X-Telegram-Bot-Api-Secret-Token`.
   */
  webhook?: { publicUrl: string; secretToken: string } | undefined;
  logger: Logger;
  /** How long `start` waits for Telegram to answer `getMe` before giving up (default 30 s). */
  connectTimeoutMs?: number;
}

/** The Telegram adapter, plus the route Telegram posts to in webhook mode. */
export interface TelegramAdapter extends ChannelAdapter {
  /**
   * Webhook mode only: the route `POST /telegram/webhook`. It answers 401 when the
   * `X-Telegram-Bot-Api-Secret-Token` header is wrong, and 503 before `start` (Telegram
   * delivers again later); a body that is not an update at all 400; an update that does
   * not fit the Bot API's types is logged, dropped and acked. Mount it after the JSON body
   * parser.
   */
  readonly router: Router | undefined;
}

/** The updates the bot asks Telegram for: messages, and presses of its inline buttons. */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query'] as const;

const WELCOME =
  'Hi! I\'m the support bot. Ask me anything and I\'ll answer from the docs, or say "talk to a person" to reach the team.';
const GROUP_HINT = 'In groups, mention me or reply to one of my messages.';
const NOT_THEIRS = 'These buttons are for the person I answered.';

/**
 * The Telegram adapter on grammY: private chats, and mentions of or replies to the bot in
 * groups. Long polling by default; in webhook mode `start` registers the webhook with its
 * secret token and {@link TelegramAdapter.router} receives the updates. The engine
 * drops redelivered updates by `<chatId>:<messageId>`, and redelivered button presses by
 * their callback query id.
 */
export function createTelegramAdapter(config: TelegramAdapterConfig): TelegramAdapter {
  const log = config.logger.child({ platform: 'telegram' });
  const bot = new Bot(config.botToken, {
    ...(config.apiRoot ? { client: { apiRoot: config.apiRoot } } : {}),
  });
  bot.api.config.use(
    autoRetry({
      // A 429 asking for a longer wait fails the send (rate_limited) rather than stall the turn.
      maxRetryAttempts: 3,
      maxDelaySeconds: 60,
      // auto-retry retries network errors forever; fail the send instead and let it be logged.
      rethrowHttpErrors: true,
    }),
  );
  const replyTargets = new ReplyTargets();
  let hooks: AdapterHooks | undefined;
  let polling: Promise<void> | undefined;

  // One error boundary per update, in both modes: log it, never let Telegram see a failure
  // (a 500 on the webhook would make it redeliver).
  bot.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      log.error({ err: toTelegramError(error), updateId: ctx.update.update_id }, 'update failed');
    }
  });
  // An update that does not fit the Bot API's types is dropped whole, and acked like any
  // other, so Telegram does not deliver it again.
  bot.use(async (ctx, next) => {
    const problem = updateProblem(ctx.update);
    if (problem) {
      log.warn({ updateId: ctx.update.update_id, problem }, `telegram: update dropped: ${problem}`);
      return;
    }
    await next();
  });
  bot.on('message', async (ctx) => {
    const route = routeMessage(ctx.message, ctx.me);
    if (route.kind === 'welcome') {
      const hint = ctx.chat.type === 'private' ? '' : ` ${GROUP_HINT}`;
      await ctx.reply(
        `${WELCOME}${hint}`,
        route.topicId ? { message_thread_id: route.topicId } : {},
      );
      return;
    }
    if (route.kind !== 'message' || !hooks) return;
    const { conversationId } = route.inbound;
    replyTargets.set(conversationId, ctx.message.message_id);
    try {
      await hooks.handle(route.inbound);
    } catch (error) {
      log.error({ err: error, conversationId }, 'inbound message failed');
    }
  });

  // A press of an inline button (the rating under a resolved conversation). The engine takes
  // it first, so a press is durable before the keyboard goes; the spinner is stopped either
  // way, and the keyboard stays when the engine failed, so the customer can press again.
  bot.on('callback_query', async (ctx) => {
    if (!hooks) return;
    const press = routePress(ctx.callbackQuery, ctx.me);
    let taken = false;
    if (press.kind === 'press') {
      const { conversationId } = press.inbound;
      try {
        await hooks.handle(press.inbound);
        taken = true;
      } catch (error) {
        log.error({ err: error, conversationId }, 'button press failed');
      }
    }
    const failures = await settleTelegramPress(ctx.api, press, {
      clear: taken,
      ...(press.kind === 'not-theirs' ? { notice: NOT_THEIRS } : {}),
    });
    for (const failure of failures) {
      log.warn({ err: failure, updateId: ctx.update.update_id }, 'could not settle a button press');
    }
  });

  const webhook =
    config.mode === 'webhook' && config.webhook
      ? webhookCallback(bot, 'express', { secretToken: config.webhook.secretToken })
      : undefined;
  const router = webhook
    ? Router().post(TELEGRAM_WEBHOOK_PATH, async (req, res) => {
        if (!hooks) {
          res.status(503).json({ error: 'unavailable', message: 'Telegram is still starting' });
          return;
        }
        // grammY reads nothing but an update, and Telegram sends nothing else: any other body
        // is refused before grammY sees it (an update of the wrong shape is dropped below).
        if (!isUpdateEnvelope(req.body)) {
          throw new HttpError(400, 'invalid_request', 'the body is not a Telegram update');
        }
        await webhook(req, res);
      })
    : undefined;

  return {
    platform: 'telegram',
    router,

    async start(startHooks) {
      try {
        // grammY types its signal with the abort-controller polyfill; Node's is compatible.
        const timeout = AbortSignal.timeout(config.connectTimeoutMs ?? 30_000);
        await bot.init(timeout as Parameters<typeof bot.init>[0]);
      } catch (error) {
        throw toTelegramError(error);
      }
      log.info({ bot: bot.botInfo.username }, `telegram: connected as @${bot.botInfo.username}`);
      hooks = startHooks;
      if (config.mode === 'webhook') {
        if (!config.webhook) {
          throw new TelegramError('invalid_request', 'webhook mode needs PUBLIC_URL and a secret');
        }
        const url = `${config.webhook.publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
        await bot.api
          .setWebhook(url, {
            secret_token: config.webhook.secretToken,
            allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
          })
          .catch((error: unknown) => {
            throw toTelegramError(error);
          });
        log.info({ url }, `telegram: webhook set to ${url}`);
        return;
      }
      await new Promise<void>((resolve, reject) => {
        polling = bot
          .start({ allowed_updates: [...TELEGRAM_ALLOWED_UPDATES], onStart: () => resolve() })
          .catch((error: unknown) => {
            const failure = toTelegramError(error);
            log.error({ err: failure }, 'telegram: long polling stopped');
            reject(failure);
          });
      });
    },

    async stop() {
      hooks = undefined;
      if (bot.isRunning()) await bot.stop();
      await polling;
    },

    send: (conversationId, message) =>
      sendToTelegram(bot.api, conversationId, message, replyTargets.get(conversationId)),
    sendTyping: (conversationId) => sendTelegramTyping(bot.api, conversationId),
  };
}
