import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import {
  createTelegramFake,
  readTelegramFixture,
  type TelegramFake,
} from '../fakes/telegram/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';

const SECRET = 'sb_webhook-secret_01';
const GROUP = -1001987654321;
const ANSWER = /Source: Accounts and login › Resetting your password/;

describe('Telegram in webhook mode, through the real app', () => {
  let fake: TelegramFake;
  let sb: Switchboard;
  let hook: string;

  beforeAll(async () => {
    fake = await createTelegramFake();
    sb = await startTestSwitchboard({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      PUBLIC_URL: 'https://support.acme.example/',
    });
    hook = `${sb.url}/telegram/webhook`;
  });
  afterAll(async () => {
    await sb?.stop();
    await fake?.close();
  });

  /** Posts exactly this update, as Telegram does when it delivers one again. */
  const deliver = (update: object, secret?: string) =>
    fetch(hook, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret !== undefined && { 'X-Telegram-Bot-Api-Secret-Token': secret }),
      },
      body: JSON.stringify(update),
    });

  it('registers the webhook with its secret at startup, and never polls', () => {
    expect(fake.methods.webhook.state).toMatchObject({
      url: 'https://support.acme.example/telegram/webhook',
      secretToken: SECRET,
      allowedUpdates: ['message', 'callback_query'],
    });
    expect(fake.calls.items.some((c) => c.method === 'getUpdates')).toBe(false);
  });

  it('answers a group mention posted with the right secret', async () => {
    const accepted = await fake.postWebhookUpdate(
      hook,
      readTelegramFixture('group-mention.json'),
      SECRET,
    );
    expect(accepted.status).toBe(200);
    const answer = await fake.waitFor((s) => s.chatId === GROUP && ANSWER.test(s.text));
    expect(answer.replyToMessageId).toBe(1203);
  });

  it('answers 401 to a forged or missing secret, and processes nothing', async () => {
    const update = { ...readTelegramFixture('private-message.json'), update_id: 1 };
    const forged = await deliver(update, 'forged-secret');
    const missing = await deliver(update);
    expect([forged.status, missing.status]).toEqual([401, 401]);
    expect(await forged.text()).toBe('secret token is wrong');
    await sb.engine.idle();
    expect(sb.store.conversations.get('telegram:5123409876')).toBeUndefined();
  });

  it('processes an update delivered twice once', async () => {
    const update = readTelegramFixture('private-message.json');
    fake.world.observe(update);
    const first = await deliver({ ...update, update_id: 900001 }, SECRET);
    const again = await deliver({ ...update, update_id: 900001 }, SECRET);
    expect([first.status, again.status]).toEqual([200, 200]);
    await fake.waitFor((s) => s.chatId === 5123409876);
    await sb.engine.idle();
    const customer = sb.store.conversations
      .messages('telegram:5123409876')
      .filter((m) => m.role === 'customer');
    expect(customer).toHaveLength(1);
    expect(fake.sent.filter((s) => s.chatId === 5123409876)).toHaveLength(1);
  });
});
