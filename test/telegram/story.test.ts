import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import type { Switchboard } from '../../src/main.ts';
import { deskClient, logLines } from '../contract/desk.ts';
import { privateMessage } from '../contract/telegram.ts';
import { createTelegramFake, type TelegramFake } from '../fakes/telegram/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';

const MAYA = 5123409876;

describe('a Telegram customer, long polling, through the real app', () => {
  let fake: TelegramFake;
  let sb: Switchboard;
  let stopped = false;
  const log = logLines();

  beforeAll(async () => {
    fake = await createTelegramFake();
    sb = await startTestSwitchboard(
      { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot },
      { logger: createLogger('info', log) },
    );
  });
  afterAll(async () => {
    if (!stopped) await sb?.stop();
    await fake?.close();
  });

  it('starts polling at startup and says so in the log', async () => {
    expect(log.lines).toContain('channel telegram: on (long polling)');
    expect(log.lines).toContain('telegram: connected as @switchboard_support_bot');
    const health = (await (await fetch(`${sb.url}/health`)).json()) as { channels: object };
    expect(health.channels).toMatchObject({ telegram: 'on' });
    await expect.poll(() => fake.updates.isPolling).toBe(true);
    // Long polling needs no webhook, and the webhook route is not mounted.
    expect((await fetch(`${sb.url}/telegram/webhook`, { method: 'POST' })).status).toBe(404);
  });

  it('hands a customer who asks for a person to the desk, and brings the agent back to Telegram', async () => {
    const conversationId = `telegram:${MAYA}`;
    fake.pushUpdate(privateMessage('I want to talk to a person', MAYA, 10));
    await fake.waitFor((s) => s.chatId === MAYA && /human/i.test(s.text));
    const desk = deskClient(sb);
    const handoff = await desk.openHandoff(conversationId);

    await desk.claim(handoff, 'Sam');
    await fake.waitFor(
      (s) => s.chatId === MAYA && /Sam from the support team has joined/.test(s.text),
    );
    await desk.reply(
      handoff,
      'Sam',
      'Found it: **order #4471** ships today & costs < $5.\n\n- step one\n- step two',
    );
    const agent = await fake.waitFor((s) => s.chatId === MAYA && /order #4471/.test(s.text));
    expect(agent.text).toBe(
      'Sam (support)\nFound it: order #4471 ships today & costs < $5.\n\n• step one\n• step two',
    );
    expect(agent.rawText).toContain('<b>Sam</b> (support)');
    expect(agent.rawText).toContain('costs &lt; $5');
    const offset = agent.text.indexOf('order #4471');
    expect(agent.message.entities).toContainEqual({ offset, length: 11, type: 'bold' });

    // The customer's answer reaches the agent, and the bot stays out of it.
    const before = fake.sent.length;
    fake.pushUpdate(privateMessage('Great, thanks Sam', MAYA, 11));
    await expect.poll(() => desk.messages(handoff)).toContain('Great, thanks Sam');
    await sb.engine.idle();
    expect(fake.sent.length).toBe(before);

    await desk.resolve(handoff, 'Sam');
    await fake.waitFor(
      (s) => s.chatId === MAYA && /marked this conversation as resolved/.test(s.text),
    );
  });

  it('delivers "the fix is out" to a reporter on Telegram, even after the conversation expired', async () => {
    expect(await sb.engine.notify(`telegram:${MAYA}`, 'The fix for **T-1001** is out.')).toBe(true);
    const notice = await fake.waitFor((s) => s.chatId === MAYA && /T-1001/.test(s.text));
    expect(notice.rawText).toBe('The fix for <b>T-1001</b> is out.');

    const gone = 'telegram:-1001987654321:6234567012';
    fake.world.chats.set(-1001987654321, {
      id: -1001987654321,
      type: 'supergroup',
      title: 'Acme Community',
    });
    expect(sb.store.conversations.get(gone)).toBeUndefined();
    expect(await sb.engine.notify(gone, 'The fix for T-1002 is out.')).toBe(true);
    await fake.waitFor((s) => s.chatId === -1001987654321 && /T-1002/.test(s.text));
  });

  it('stops polling when Switchboard stops', async () => {
    await sb.stop();
    stopped = true;
    expect(fake.updates.isPolling).toBe(false);
    const polls = fake.calls.items.filter((c) => c.method === 'getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls.items.filter((c) => c.method === 'getUpdates').length).toBe(polls);
  });
});
