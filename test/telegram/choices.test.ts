import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter } from '../../bots/telegram/index.ts';
import { createLogger } from '../../src/log.ts';
import { RATING_ASK as ASK, engineStub, RATING } from '../contract/choices.ts';
import { logLines } from '../contract/desk.ts';
import { privateMessage } from '../contract/telegram.ts';
import {
  createTelegramFake,
  readTelegramFixture,
  type SentTelegramMessage,
  type TelegramFake,
} from '../fakes/telegram/index.ts';

const MAYA = 5123409876;
const GROUP = -1001987654321;
const TOMAS = 6234567012;
const SECRET = 'sb_webhook-secret_01';

describe('rating buttons on Telegram, through grammY', () => {
  let fake: TelegramFake;
  let adapter: TelegramAdapter;
  let server: Server | undefined;
  let log: ReturnType<typeof logLines>;

  afterEach(async () => {
    await adapter?.stop();
    await fake?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  async function startPolling() {
    fake = await createTelegramFake();
    log = logLines();
    adapter = createTelegramAdapter({
      botToken: fake.token,
      apiRoot: fake.apiRoot,
      mode: 'polling',
      logger: createLogger('info', log),
    });
    const stub = engineStub();
    await adapter.start(stub.hooks);
    return stub;
  }

  /** Maya writes once (so the chat exists), then the engine asks her for a rating. */
  async function askMaya(): Promise<SentTelegramMessage> {
    fake.world.observe(privateMessage('thanks, that fixed it', MAYA, 40));
    await adapter.send(`telegram:${MAYA}`, { text: ASK, from: 'bot', choices: RATING });
    return fake.waitFor((s) => s.chatId === MAYA && s.keyboard !== undefined);
  }

  it('sends the choices as one row of inline buttons under the text', async () => {
    await startPolling();
    const asked = await askMaya();
    expect(asked.text).toBe(ASK);
    expect(asked.keyboard).toEqual([
      RATING.map((choice) => ({ text: choice.label, callback_data: choice.value })),
    ]);
    expect(fake.keyboardOf(asked)).toEqual(asked.keyboard);
    // Long polling asks Telegram for presses, or it would never send them.
    expect(fake.updates.allowedUpdates).toEqual(['message', 'callback_query']);
  });

  it('hands a press to the engine as the label and the value, stops the spinner, and removes the buttons', async () => {
    const { handled } = await startPolling();
    const asked = await askMaya();
    const press = fake.pushUpdate(fake.pressButton(asked, '4'));
    const queryId = press.callback_query?.id ?? '';

    const inbound = await handled.waitFor((m) => m.choice !== undefined);
    expect(inbound).toEqual({
      platform: 'telegram',
      conversationId: `telegram:${MAYA}`,
      messageId: `callback:${queryId}`,
      author: { id: String(MAYA), name: 'Maya' },
      text: '4',
      choice: RATING[3]?.value,
      receivedAt: expect.any(Date),
    });
    await fake.methods.keyboards.edits.waitFor((e) => e.messageId === asked.message.message_id);
    expect(fake.methods.keyboards.answers.items).toEqual([
      { queryId, text: undefined, showAlert: false },
    ]);
    // The buttons are gone and the words stay, so the rating cannot be pressed twice.
    expect(fake.keyboardOf(asked)).toBeUndefined();
    expect(fake.world.findMessage(MAYA, asked.message.message_id)?.text).toBe(ASK);
    expect(() => fake.pressButton(asked, '4')).toThrow(/no callback button/);
  });

  it('hands a redelivered press over with the same id, so the engine drops it, and settles it quietly', async () => {
    const { presses } = await startPolling();
    const asked = await askMaya();
    const update = fake.pressButton(asked, '4');
    fake.pushUpdate(update);
    await fake.methods.keyboards.edits.waitFor();
    // Telegram delivers the same update again (a timeout, a restart before the offset moved).
    fake.pushUpdate(update);
    await expect.poll(() => presses().length).toBe(2);
    await expect.poll(() => fake.updates.pending.length).toBe(0);

    const [first, again] = presses();
    expect(again?.messageId).toBe(first?.messageId);
    // Already answered and already bare: Telegram refuses both again, and that is no failure.
    const settles = fake.calls.items.filter((c) =>
      ['answerCallbackQuery', 'editMessageReplyMarkup'].includes(c.method),
    );
    expect(settles.map((c) => c.status)).toEqual([200, 200, 400, 400]);
    expect(fake.methods.keyboards.answers.items).toHaveLength(1);
    expect(log.lines.filter((line) => /button press/.test(line))).toEqual([]);
  });

  it('keeps the buttons when the engine could not take the press, so it can be pressed again', async () => {
    const { handled, state } = await startPolling();
    const asked = await askMaya();
    state.fail = true;
    const update = fake.pushUpdate(fake.pressButton(asked, '2'));
    await fake.methods.keyboards.answers.waitFor((a) => a.queryId === update.callback_query?.id);
    await expect.poll(() => fake.updates.pending.length).toBe(0);
    expect(log.lines).toContain('button press failed');
    expect(fake.keyboardOf(asked)).toEqual(asked.keyboard);

    fake.pushUpdate(fake.pressButton(asked, '5'));
    const retried = await handled.waitFor((m) => m.choice !== undefined);
    expect(retried).toMatchObject({ text: '5', choice: RATING[4]?.value });
  });

  it('puts the buttons under the last part of a long message only', async () => {
    await startPolling();
    fake.world.observe(privateMessage('hello', MAYA, 40));
    const long = `${'A paragraph of the answer, long enough to matter. '.repeat(60)}\n\n${ASK}`;
    await adapter.send(`telegram:${MAYA}`, {
      text: `${long}\n\n${long}`,
      from: 'bot',
      choices: RATING,
    });
    await expect.poll(() => fake.sent.length).toBeGreaterThan(1);
    expect(fake.sent.map((s) => s.keyboard !== undefined)).toEqual([
      ...fake.sent.slice(1).map(() => false),
      true,
    ]);
  });

  it('in a group, takes the customer’s press into their own conversation and turns others away', async () => {
    const { handled, presses } = await startPolling();
    fake.pushFixture('group-mention.json');
    await handled.waitFor((m) => m.conversationId === `telegram:${GROUP}:${TOMAS}`);
    await adapter.send(`telegram:${GROUP}:${TOMAS}`, { text: ASK, from: 'bot', choices: RATING });
    const asked = await fake.waitFor((s) => s.chatId === GROUP && s.keyboard !== undefined);
    expect(asked.replyToMessageId).toBe(1203);

    const bystander = { id: 6234567999, is_bot: false, first_name: 'Lena' };
    const turnedAway = fake.pushUpdate(fake.pressButton(asked, '1', bystander));
    const notice = await fake.methods.keyboards.answers.waitFor(
      (a) => a.queryId === turnedAway.callback_query?.id,
    );
    expect(notice.text).toMatch(/for the person I answered/);
    expect(fake.keyboardOf(asked)).toEqual(asked.keyboard);

    fake.pushUpdate(fake.pressButton(asked, '4'));
    const press = await handled.waitFor((m) => m.choice !== undefined);
    expect(press).toMatchObject({
      conversationId: `telegram:${GROUP}:${TOMAS}`,
      author: { id: String(TOMAS), name: 'Tomás' },
      text: '4',
      choice: RATING[3]?.value,
    });
    await expect.poll(() => fake.keyboardOf(asked)).toBeUndefined();
    expect(presses()).toHaveLength(1);
  });

  it('drops a malformed callback query with a warning, ignores presses it cannot place, and keeps going', async () => {
    const { handled, presses } = await startPolling();
    const asked = await askMaya();
    const genuine = fake.pressButton(asked, '3').callback_query;
    if (!genuine) throw new Error('no callback query');
    const malformed = [
      { ...genuine, id: 42 },
      { ...genuine, from: { id: 'maya' } },
      { ...genuine, data: { rating: 3 } },
      { ...genuine, data: 'x'.repeat(65) },
      { ...genuine, message: { ...asked.message, chat: { id: `${MAYA}` } } },
      { ...genuine, chat_instance: undefined },
    ];
    for (const callback_query of malformed) {
      fake.pushUpdate({ callback_query } as unknown as Parameters<typeof fake.pushUpdate>[0]);
    }
    // Well-formed, but nothing the customer could have pressed: data not on the keyboard, a
    // message the bot cannot see any more, an inline-mode message.
    const unplaceable = [
      { ...genuine, id: '1', data: 'rate.v1.forged' },
      { ...genuine, id: '2', message: { message_id: 7, chat: asked.message.chat, date: 0 } },
      { id: '3', from: genuine.from, inline_message_id: 'AAEx', chat_instance: '1', data: 'x' },
    ];
    for (const callback_query of unplaceable) {
      fake.pushUpdate({ callback_query } as Parameters<typeof fake.pushUpdate>[0]);
    }
    await expect.poll(() => fake.updates.pending.length).toBe(0);
    expect(log.lines.filter((l) => l.startsWith('telegram: update dropped'))).toHaveLength(
      malformed.length,
    );
    expect(handled.items).toEqual([]);
    expect(fake.keyboardOf(asked)).toEqual(asked.keyboard);

    fake.pushUpdate({ callback_query: genuine });
    await expect.poll(() => presses().map((m) => m.text)).toEqual(['3']);
    expect(log.lines.filter((l) => /failed/.test(l))).toEqual([]);
  });

  it('takes presses in webhook mode too, a redelivery with the same id', async () => {
    fake = await createTelegramFake();
    log = logLines();
    adapter = createTelegramAdapter({
      botToken: fake.token,
      apiRoot: fake.apiRoot,
      mode: 'webhook',
      webhook: { publicUrl: 'https://support.acme.example', secretToken: SECRET },
      logger: createLogger('info', log),
    });
    const { hooks, presses } = engineStub();
    await adapter.start(hooks);
    expect(fake.methods.webhook.state.allowedUpdates).toEqual(['message', 'callback_query']);
    const router = adapter.router;
    if (!router) throw new Error('webhook mode has a router');
    const app = express().use(express.json()).use(router);
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;

    const question = readTelegramFixture('private-message.json');
    expect((await fake.postWebhookUpdate(hook, question, SECRET)).status).toBe(200);
    await adapter.send(`telegram:${MAYA}`, { text: ASK, from: 'bot', choices: RATING });
    const asked = await fake.waitFor((s) => s.keyboard !== undefined);

    const press = { ...fake.pressButton(asked, '4'), update_id: 900_100 };
    const post = () =>
      fetch(hook, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
        body: JSON.stringify(press),
      });
    expect((await post()).status).toBe(200);
    // grammY answers the webhook once the handler is done: the press is settled by then.
    expect(fake.keyboardOf(asked)).toBeUndefined();
    expect(fake.methods.keyboards.answers.items).toHaveLength(1);
    expect((await post()).status).toBe(200);

    const pressed = presses();
    expect(pressed.map((m) => [m.text, m.choice, m.conversationId])).toEqual([
      ['4', RATING[3]?.value, `telegram:${MAYA}`],
      ['4', RATING[3]?.value, `telegram:${MAYA}`],
    ]);
    expect(pressed[1]?.messageId).toBe(pressed[0]?.messageId);
  });
});
