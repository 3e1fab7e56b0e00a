/**
 * A reply stored is a reply owed: when the platform is down, or the process dies between
 * storing a reply and sending it, the customer still gets it, once (issue 17's "nothing
 * lost", for the platforms; the web chat's replies are delivered by being stored). The
 * platform is the Telegram fake driven by the real grammY adapter; the crash is a SIGKILL
 * of the real server as a child process.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { privateMessage } from '../contract/telegram.ts';
import { createTelegramFake, type TelegramFake } from '../fakes/telegram/index.ts';
import { startTestSwitchboard, tempDataDir } from '../helpers/switchboard.ts';
import { freePort, type ServerProcess, spawnServer, waitUntil } from './helpers.ts';

const QUESTION = 'How do I reset my password?';
/** How the sample docs' answer to {@link QUESTION} reads on Telegram. */
const ANSWER = /Source: Accounts and login › Resetting your password/;
/** A 429 asking for a wait longer than a send waits: the send fails, the reply is owed. */
const SLOW_DOWN = { kind: 'rate-limit', retryAfter: 61 } as const;

/** Resolves once the fake has answered a `sendMessage` to `chatId` with `status`. */
function sendAnswered(fake: TelegramFake, chatId: number, status: number) {
  return fake.calls.waitFor(
    (c) => c.method === 'sendMessage' && c.params.chat_id === chatId && c.status === status,
    15_000,
  );
}

const repliesTo = (fake: TelegramFake, chatId: number) =>
  fake.sent.filter((s) => s.chatId === chatId && ANSWER.test(s.text));

describe('replies owed to a platform', () => {
  let fake: TelegramFake;
  let sb: Switchboard | undefined;

  afterEach(async () => {
    await sb?.stop();
    sb = undefined;
    await fake?.close();
  });

  it('sends a reply again once Telegram takes it, and gives up on one Telegram refused for good', async () => {
    fake = await createTelegramFake();
    sb = await startTestSwitchboard({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    // Telegram asks for more than a minute's wait: longer than a turn waits (grammY's
    // auto-retry gives up past 60 s), so the send fails and the reply stays owed.
    const down = 6_100_000_001;
    fake.failNext('sendMessage', SLOW_DOWN);
    fake.pushUpdate(privateMessage(QUESTION, down, 1));
    await sendAnswered(fake, down, 429);
    await sb.engine.idle();
    expect(repliesTo(fake, down), 'nothing reached the customer while Telegram refused').toEqual(
      [],
    );

    // The sweep (every 30 s, and at startup) sends what is owed; here it is run at once.
    expect(sb.engine.redeliver()).toBe(1);
    await sb.engine.idle();
    expect(repliesTo(fake, down)).toHaveLength(1);
    // Taken once, it is owed no more: a later sweep sends nothing.
    expect(sb.engine.redeliver()).toBe(0);

    const blocked = 6_100_000_002;
    fake.failNext('sendMessage', {
      kind: 'error',
      code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    fake.pushUpdate(privateMessage(QUESTION, blocked, 1));
    await sendAnswered(fake, blocked, 403);
    await sb.engine.idle();
    expect(sb.engine.redeliver(), 'a customer who blocked the bot is not written to again').toBe(0);
    const attempts = fake.calls.items.filter(
      (c) => c.method === 'sendMessage' && c.params.chat_id === blocked,
    );
    expect(attempts).toHaveLength(1);
  });

  it('does not let the backlog of a platform that is off hold up another platform', async () => {
    fake = await createTelegramFake();
    sb = await startTestSwitchboard({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    // 150 replies owed to Discord customers from a run that had Discord on; this one has not.
    const { conversations } = sb.store;
    for (let i = 0; i < 150; i++) {
      const conversationId = `discord:dm:${9_000_000 + i}`;
      const accepted = conversations.acceptInbound(
        {
          platform: 'discord',
          conversationId,
          messageId: `m${i}`,
          author: { id: String(i), name: 'Kim' },
          text: QUESTION,
          receivedAt: new Date(),
        },
        3_600_000,
      );
      conversations.appendReply(conversationId, { role: 'bot', text: 'owed' }, accepted?.id);
    }
    const customer = 6_100_000_003;
    fake.failNext('sendMessage', SLOW_DOWN);
    fake.pushUpdate(privateMessage(QUESTION, customer, 1));
    await sendAnswered(fake, customer, 429);
    await sb.engine.idle();

    sb.engine.redeliver();
    await sb.engine.idle();
    expect(repliesTo(fake, customer)).toHaveLength(1);
  });
});

describe('a crash between storing a reply and sending it', () => {
  const data = tempDataDir();
  const servers: ServerProcess[] = [];
  let fake: TelegramFake;

  afterAll(async () => {
    for (const server of servers) await server.kill();
    await fake?.close();
    data.remove();
  });

  it('sends the stored reply after the restart, once, and does not answer the message again', async () => {
    fake = await createTelegramFake();
    const env = {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATA_DIR: data.dir,
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: 'delivery-suite-admin-token-0123456789',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
    };
    const customer = 6_200_000_001;
    const first = await spawnServer(env);
    servers.push(first);
    await waitUntil(() => (fake.updates.isPolling ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the first run to poll Telegram',
    });
    // The reply is stored and its send fails; the process dies before the sweep retries it.
    fake.failNext('sendMessage', SLOW_DOWN);
    fake.pushUpdate(privateMessage(QUESTION, customer, 1));
    await sendAnswered(fake, customer, 429);
    await first.kill();
    expect(repliesTo(fake, customer)).toEqual([]);

    const second = await spawnServer(env);
    servers.push(second);
    await waitUntil(() => (repliesTo(fake, customer).length > 0 ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the restarted server to send the owed reply',
    });
    // Give a wrongly repeated send, or a second answer to a redelivered update, time to show.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(repliesTo(fake, customer), second.output()).toHaveLength(1);
    const sends = fake.calls.items.filter(
      (c) => c.method === 'sendMessage' && c.params.chat_id === customer,
    );
    expect(sends.map((c) => c.status)).toEqual([429, 200]);
  }, 60_000);
});
