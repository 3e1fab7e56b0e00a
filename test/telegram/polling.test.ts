import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter } from '../../bots/telegram/index.ts';
import { createLogger } from '../../src/log.ts';
import type { Switchboard } from '../../src/main.ts';
import { type ContractPlatform, recordingHooks } from '../contract/harness.ts';
import { privateMessage } from '../contract/telegram.ts';
import {
  createTelegramFake,
  readTelegramFixture,
  type TelegramFake,
} from '../fakes/telegram/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';

const GROUP = -1001987654321;
const TOMAS = 6234567012;
const ANSWER = /Source: Accounts and login › Resetting your password/;

describe('the Telegram adapter, long polling through grammY', () => {
  let sb: Switchboard;
  let fake: TelegramFake;
  let adapter: TelegramAdapter;
  let handled: ContractPlatform['handled'];

  beforeAll(async () => {
    sb = await startTestSwitchboard();
  });
  afterAll(async () => {
    await sb?.stop();
  });
  afterEach(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  async function start() {
    fake = await createTelegramFake();
    adapter = createTelegramAdapter({
      botToken: fake.token,
      apiRoot: fake.apiRoot,
      mode: 'polling',
      logger: createLogger('silent'),
    });
    const recording = recordingHooks(sb);
    handled = recording.handled;
    sb.engine.register(adapter);
    await adapter.start(recording.hooks);
  }

  it('answers a private chat with the docs answer in HTML', async () => {
    await start();
    const fixture = fake.pushFixture('private-message.json');
    await handled.waitFor((h) => h.messageId === `5123409876:${fixture.message?.message_id}`);
    expect(sb.store.conversations.get('telegram:5123409876')?.authorName).toBe('Maya Rossi');

    fake.pushUpdate(privateMessage('How do I reset my password?', 5123409876, 53));
    const answer = await fake.waitFor((s) => s.chatId === 5123409876 && ANSWER.test(s.text));
    expect(answer.parseMode).toBe('HTML');
    expect(answer.rawText).toMatch(/<i>Source: Accounts and login › Resetting your password<\/i>/);
    expect(answer.message.entities?.some((e) => e.type === 'italic')).toBe(true);
    // A private chat needs no reply threading.
    expect(answer.replyToMessageId).toBeUndefined();
  });

  it('answers a mention in a group as a reply to the customer, and replies to its own messages', async () => {
    await start();
    fake.pushFixture('group-mention.json');
    const answer = await fake.waitFor((s) => s.chatId === GROUP && ANSWER.test(s.text));
    expect(answer.replyToMessageId).toBe(1203);
    const conversationId = `telegram:${GROUP}:${TOMAS}`;
    const [question] = sb.store.conversations.messages(conversationId);
    expect(question?.text).toBe('how do I reset my password? The email never arrives');

    fake.pushFixture('group-reply-to-bot.json');
    await handled.waitFor((h) => h.messageId === `${GROUP}:1205`);
    await expect.poll(() => fake.sent.filter((s) => s.replyToMessageId === 1205).length).toBe(1);
    expect(
      sb.store.conversations.messages(conversationId).filter((m) => m.role === 'customer'),
    ).toHaveLength(2);
  });

  it('stays quiet in groups unless addressed, and greets /start without the engine', async () => {
    await start();
    const chatter = readTelegramFixture('group-mention.json');
    const message = chatter.message;
    if (!message) throw new Error('fixture has no message');
    fake.pushUpdate({
      message: { ...message, message_id: 1300, text: 'anyone up for lunch?', entities: [] },
    });
    fake.pushUpdate({
      message: {
        ...message,
        message_id: 1301,
        text: '@someone_else what about you?',
        entities: [{ type: 'mention', offset: 0, length: 13 }],
      },
    });
    const command = privateMessage('/start', 5123409876, 60);
    fake.pushUpdate({
      message: {
        ...command.message,
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      } as NonNullable<typeof command.message>,
    });
    const welcome = await fake.waitFor((s) => s.chatId === 5123409876);
    expect(welcome.text).toMatch(/Ask me anything/);
    await expect.poll(() => fake.updates.pending.length).toBe(0);
    expect(handled.items).toEqual([]);
    expect(fake.sent).toHaveLength(1);
  });

  it('answers in the forum topic the question was asked in', async () => {
    await start();
    const base = readTelegramFixture('group-mention.json').message;
    if (!base) throw new Error('fixture has no message');
    fake.pushUpdate({
      message: {
        ...base,
        message_id: 1400,
        message_thread_id: 17,
        is_topic_message: true,
        chat: { ...base.chat, type: 'supergroup', is_forum: true } as typeof base.chat,
      },
    });
    const answer = await fake.waitFor((s) => s.chatId === GROUP && ANSWER.test(s.text));
    expect(answer.messageThreadId).toBe(17);
    expect(sb.store.conversations.get(`telegram:${GROUP}:${TOMAS}:17`)).toBeDefined();
  });

  it('waits out a 429 through auto-retry, and maps a network failure', async () => {
    await start();
    fake.failNext('sendMessage', { kind: 'rate-limit', retryAfter: 0 });
    fake.pushUpdate(privateMessage('How do I reset my password?', 777000111, 1));
    await fake.waitFor((s) => s.chatId === 777000111 && ANSWER.test(s.text));
    const statuses = () =>
      fake.calls.items.filter((c) => c.method === 'sendMessage').map((c) => c.status);
    await expect.poll(statuses).toEqual([429, 200]);

    await adapter.stop();
    await fake.close();
    await expect(
      adapter.send('telegram:777000111', { text: 'hi', from: 'bot' }),
    ).rejects.toMatchObject({
      code: 'network',
    });
  });

  it('refuses to start with a token Telegram does not know', async () => {
    fake = await createTelegramFake();
    const wrong = createTelegramAdapter({
      botToken: '123456:not-the-token',
      apiRoot: fake.apiRoot,
      mode: 'polling',
      logger: createLogger('silent'),
    });
    await expect(
      wrong.start({ handle: async () => true, conversation: () => undefined }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });
});
