import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, GrammyError, InputFile, webhookCallback } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTelegramFake,
  readTelegramFixture,
  type TelegramFake,
} from './fakes/telegram/index.ts';

let fake: TelegramFake;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  fake = await createTelegramFake();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await fake.close();
});

function createBot(): Bot {
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 5 }));
  return bot;
}

/** Starts long polling and resolves once grammY is polling; `stop` awaits a clean shutdown. */
async function startPolling(bot: Bot): Promise<() => Promise<void>> {
  let started!: () => void;
  const onStart = new Promise<void>((resolve) => {
    started = resolve;
  });
  const running = bot.start({ drop_pending_updates: true, onStart: () => started() });
  await onStart;
  return async () => {
    await bot.stop();
    await running;
  };
}

describe('Telegram fake driven by grammY', () => {
  it('long-polls a private message, replies, and stops without hanging', async () => {
    const bot = createBot();
    bot.on('message:text', async (ctx) => {
      await ctx.replyWithChatAction('typing');
      await ctx.reply(`Looking at: ${ctx.message.text}`, {
        reply_parameters: { message_id: ctx.message.message_id },
      });
    });
    const stop = await startPolling(bot);

    const update = fake.pushFixture('private-message.json');
    const reply = await fake.waitFor((sent) => sent.chatId === update.message?.chat.id);
    expect(reply.text).toMatch(/^Looking at: Hi! My order #4471/);
    expect(reply.replyToMessageId).toBe(52);
    expect(fake.methods.chatActions.items).toEqual([
      { chatId: 5123409876, action: 'typing', messageThreadId: undefined },
    ]);

    const startedAt = Date.now();
    await stop();
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    // bot.stop() confirms the last update with a final getUpdates offset.
    expect(fake.updates.pending).toEqual([]);
  });

  it('retries a 429 on sendMessage through auto-retry', async () => {
    const bot = createBot();
    bot.on('message:text', (ctx) => ctx.reply('Thanks, a human will follow up'));
    const stop = await startPolling(bot);
    cleanups.push(stop);

    fake.failNext('sendMessage', { kind: 'rate-limit', retryAfter: 1 });
    fake.pushFixture('group-mention.json');
    await fake.waitFor((sent) => sent.chatId === -1001987654321, 4_000);
    const statuses = () =>
      fake.calls.items.filter((c) => c.method === 'sendMessage').map((c) => c.status);
    await expect.poll(statuses).toEqual([429, 200]);
  });

  it('answers replies to the bot in a group, threaded on the customer message', async () => {
    const bot = createBot();
    bot.on('message:text', (ctx) => {
      if (ctx.message.reply_to_message?.from?.id !== ctx.me.id) return;
      return ctx.reply('Sending a fresh link', {
        reply_parameters: { message_id: ctx.message.message_id },
      });
    });
    cleanups.push(await startPolling(bot));
    fake.pushFixture('group-reply-to-bot.json');
    const reply = await fake.waitFor();
    expect(reply).toMatchObject({ chatId: -1001987654321, replyToMessageId: 1205 });
  });

  it('validates HTML, length, chats and reply targets like the Bot API', async () => {
    const bot = createBot();
    fake.pushFixture('private-message.json');
    const chatId = 5123409876;
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => 'accepted',
        (error: unknown) => (error instanceof GrammyError ? error.description : String(error)),
      );

    const html = { parse_mode: 'HTML' as const };
    expect(await refusal(bot.api.sendMessage(chatId, '<b>unclosed', html))).toBe(
      `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
    );
    expect(await refusal(bot.api.sendMessage(chatId, '<div>x</div>', html))).toMatch(
      /Unsupported start tag "div" at byte offset 0/,
    );
    expect(await refusal(bot.api.sendMessage(chatId, '<b><i>x</b></i>', html))).toMatch(
      /Unmatched end tag at byte offset 7, expected "<\/i>", found "<\/b>"/,
    );
    expect(await refusal(bot.api.sendMessage(chatId, 'x'.repeat(4097)))).toBe(
      'Bad Request: message is too long',
    );
    expect(await refusal(bot.api.sendMessage(42, 'hello'))).toBe('Bad Request: chat not found');
    const missingReply = bot.api.sendMessage(chatId, 'hi', {
      reply_parameters: { message_id: 999 },
    });
    expect(await refusal(missingReply)).toBe('Bad Request: message to be replied not found');

    const sent = await bot.api.sendMessage(
      chatId,
      '<b>Order</b> &amp; <a href="https://acme.example/o/4471">tracking</a>',
      html,
    );
    expect(sent.text).toBe('Order & tracking');
    expect(sent.entities).toEqual([
      { offset: 0, length: 5, type: 'bold' },
      { offset: 8, length: 8, type: 'text_link', url: 'https://acme.example/o/4471' },
    ]);
    expect(fake.sent).toHaveLength(1);
  });

  it('refuses a wrong token and ends a superseded long poll with 409', async () => {
    const intruder = new Bot('123456:wrong', { client: { apiRoot: fake.apiRoot } });
    await expect(intruder.init()).rejects.toMatchObject({
      error_code: 401,
      description: 'Unauthorized',
    });

    const bot = createBot();
    const first = bot.api.getUpdates({ timeout: 5 }).catch((error: unknown) => error);
    await expect.poll(() => fake.updates.isPolling).toBe(true);
    await bot.api.getUpdates({ timeout: 0 });
    expect(await first).toMatchObject({ error_code: 409 });

    // Shutting the fake down answers a held poll instead of leaving it hanging.
    const held = bot.api.getUpdates({ timeout: 30 });
    await expect.poll(() => fake.updates.isPolling).toBe(true);
    await fake.close();
    expect(await held).toEqual([]);
  });

  it('serves webhook mode: correct secret accepted, forged secret gets 401', async () => {
    const secretToken = 'sb_webhook-secret_01';
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot }, botInfo: fake.bot });
    bot.on('message:text', (ctx) => ctx.reply('Got it'));
    const server: Server = createServer(webhookCallback(bot, 'http', { secretToken }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;

    const publicUrl = 'https://support.acme.example/telegram/webhook';
    const certificate = new InputFile(Buffer.from('-----BEGIN CERTIFICATE-----\n'), 'cert.pem');
    await bot.api.setWebhook(publicUrl, { secret_token: secretToken, certificate });
    expect(fake.methods.webhook.state).toMatchObject({
      url: publicUrl,
      secretToken,
      hasCustomCertificate: true,
    });
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
    await expect(bot.api.setWebhook('http://support.acme.example/hook')).rejects.toMatchObject({
      description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
    });

    const update = readTelegramFixture('private-message.json');
    const accepted = await fake.postWebhookUpdate(hookUrl, update, secretToken);
    expect(accepted.status).toBe(200);
    await fake.waitFor((sent) => sent.text === 'Got it');

    const forged = await fake.postWebhookUpdate(hookUrl, update, 'forged-secret');
    const missing = await fake.postWebhookUpdate(hookUrl, update);
    expect([forged.status, missing.status]).toEqual([401, 401]);
    expect(fake.sent).toHaveLength(1);
  });
});
