import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import type { AssistCard } from '../../src/types/index.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

/** Polls the conversation until a message matching `match` appears after `after`. */
async function waitForMessage(
  client: ReturnType<typeof webClient>,
  conversationId: string,
  match: (m: { role: string; text: string }) => boolean,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { messages } = await client.messages(conversationId);
    const found = messages.find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no matching message in ${conversationId} after ${timeoutMs} ms`);
}

describe('the web chat story, through the HTTP API', () => {
  const data = tempDataDir();
  let sb: Switchboard;
  let client: ReturnType<typeof webClient>;

  beforeAll(async () => {
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    client = webClient(sb.url);
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
  });

  it('reports healthy with the channels once ready', async () => {
    const res = await fetch(`${sb.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; channels: Record<string, string> };
    expect(body.status).toBe('ok');
    expect(body.channels.web).toBe('on');
    expect(body.channels.slack).toMatch(/off \(SLACK_BOT_TOKEN is not set\)/);
  });

  it('answers a docs question with a citation, in well under a second', async () => {
    const started = Date.now();
    const { status, body } = await client.send('How do I reset my password?');
    expect(status).toBe(202);
    const answer = await waitForMessage(client, body.conversationId, (m) => m.role === 'bot');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(answer.text).toMatch(/Source: Accounts and login › Resetting your password/);
    expect(answer.text.toLowerCase()).toContain('reset');
  });

  it('hands a conversation to a human on the desk and relays both ways', async () => {
    const { body } = await client.send('I want to talk to a person');
    const id = body.conversationId;
    const bot = await waitForMessage(client, id, (m) => m.role === 'bot');
    expect(bot.text).toMatch(/human/i);

    const auth = { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' };
    const list = (await (
      await fetch(`${sb.url}/desk/api/handoffs?status=open`, { headers: auth })
    ).json()) as {
      handoffs: Array<{ id: number; conversationId: string }>;
    };
    const handoff = list.handoffs.find((h) => h.conversationId === id);
    expect(handoff).toBeDefined();
    const hid = handoff?.id;
    const post = (path: string, payload: object) =>
      fetch(`${sb.url}/desk/api/handoffs/${hid}/${path}`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(payload),
      });

    expect((await post('claim', { agent: { name: 'Sam' } })).status).toBe(200);
    const second = await post('claim', { agent: { name: 'Alex' } });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { message: string }).message).toContain('Sam');

    expect(
      (await post('reply', { agent: { name: 'Sam' }, text: "Hi, I'm Sam. How can I help?" }))
        .status,
    ).toBe(200);
    expect(
      (await post('reply', { agent: { name: 'Sam' }, text: '// customer seems new' })).status,
    ).toBe(200);
    const agentLine = await waitForMessage(client, id, (m) => m.role === 'agent');
    expect(agentLine.text).toBe("Hi, I'm Sam. How can I help?");

    await client.send('My order #4411 never arrived', id);
    const deskView = async () =>
      (await (
        await fetch(`${sb.url}/desk/api/handoffs/${hid}/messages`, { headers: auth })
      ).json()) as {
        messages: Array<{ role: string; text: string }>;
      };
    await expect
      .poll(async () => (await deskView()).messages.map((m) => m.text), { timeout: 5000 })
      .toContain('My order #4411 never arrived');
    // While a human has the conversation, the bot stays quiet.
    const afterRelay = await client.messages(id);
    expect(afterRelay.messages.filter((m) => m.role === 'bot')).toHaveLength(1);
    // Internal notes never reach the customer.
    expect(afterRelay.messages.some((m) => m.text.includes('customer seems new'))).toBe(false);

    expect((await post('resolve', { agent: { name: 'Sam' } })).status).toBe(200);
    await waitForMessage(client, id, (m) => m.role === 'system' && /resolved/i.test(m.text));
  });

  it("serves the agent's card and uses its suggestion only while it is the current one", async () => {
    const { body } = await client.send('I want to talk to a person');
    const id = body.conversationId;
    await waitForMessage(client, id, (m) => m.role === 'bot');
    const auth = { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' };
    const list = (await (
      await fetch(`${sb.url}/desk/api/handoffs?status=open`, { headers: auth })
    ).json()) as { handoffs: Array<{ id: number; conversationId: string }> };
    const hid = list.handoffs.find((h) => h.conversationId === id)?.id;
    const desk = (path: string, payload?: object) =>
      fetch(`${sb.url}/desk/api/handoffs/${hid}/${path}`, {
        method: payload ? 'POST' : 'GET',
        headers: auth,
        ...(payload ? { body: JSON.stringify(payload) } : {}),
      });
    const card = async () => ((await (await desk('card')).json()) as { card: AssistCard }).card;
    const agent = { name: 'Sam' };

    expect((await desk('card')).status).toBe(404);
    expect((await desk('claim', { agent })).status).toBe(200);
    expect(await card()).toMatchObject({ handoffId: hid, customer: { platform: 'web' } });

    await client.send('How do I reset my password?', id);
    await sb.engine.idle();
    const first = (await card()).suggestion;
    expect(first?.sources).toContain('Accounts and login › Resetting your password');
    await client.send('Also, how do I change the email on my account?', id);
    await sb.engine.idle();
    const second = (await card()).suggestion;
    expect(second?.id).toBeGreaterThan(first?.id ?? 0);

    // Only the current draft can be used, once.
    const stale = await desk(`suggestions/${first?.id}/send`, { agent });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: string }).error).toBe('stale');
    const dismissed = await desk(`suggestions/${second?.id}/dismiss`, { agent });
    expect(dismissed.status).toBe(200);
    expect(((await dismissed.json()) as { card: AssistCard }).card.suggestion?.id).not.toBe(
      second?.id,
    );
    expect((await desk(`suggestions/${second?.id}/send`, { agent })).status).toBe(409);
    expect((await desk(`suggestions/${second?.id}/send`, { agent: {} })).status).toBe(400);
    const none = await fetch(`${sb.url}/desk/api/handoffs/999999/suggestions/1/send`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ agent }),
    });
    expect(none.status).toBe(404);
    const { messages } = await client.messages(id);
    expect(messages.filter((m) => m.role === 'agent')).toEqual([]);

    // The resolution asks for a rating with buttons, in the history the chat page reads.
    expect((await desk('resolve', { agent })).status).toBe(200);
    const asked = (await waitForMessage(client, id, (m) => /how did we do/i.test(m.text))) as {
      choices?: Array<{ label: string; value: string }>;
    };
    expect(asked.choices?.map((c) => c.label)).toEqual(['1', '2', '3', '4', '5']);
    expect((await desk(`suggestions/${second?.id}/send`, { agent })).status).toBe(409);
  });

  it('asks for details about a bug, then raises a ticket with its reference', async () => {
    const first = await client.send('The app crashes every time I open settings');
    const id = first.body.conversationId;
    const ask = await waitForMessage(client, id, (m) => m.role === 'bot');
    expect(ask.text).toMatch(/device or browser/i);

    await client.send('iPhone 14 on iOS 17, app version 3.2.1. It just closes, no error.', id);
    const filed = await waitForMessage(
      client,
      id,
      (m) => m.role === 'bot' && /T-\d{4}/.test(m.text),
    );
    const ref = /T-\d{4}/.exec(filed.text)?.[0] as string;
    const ticket = sb.store.tickets.byRef(ref);
    expect(ticket).toMatchObject({
      kind: 'bug',
      category: 'bug',
      priority: 'high',
      sentiment: 'negative',
    });
    expect(ticket?.summary).toMatch(/crashes every time I open settings/);
    expect(ticket?.tags).toEqual(expect.arrayContaining(['crash', 'ios']));
  });

  it('processes a repeated client message id once', async () => {
    const first = await client.send('Do you support Apple Pay?', undefined, 'client-1');
    const again = await client.send(
      'Do you support Apple Pay?',
      first.body.conversationId,
      'client-1',
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, messageId: first.body.messageId });
    await waitForMessage(client, first.body.conversationId, (m) => m.role === 'bot');
    await sb.engine.idle();
    const { messages } = await client.messages(first.body.conversationId);
    expect(messages.filter((m) => m.role === 'customer')).toHaveLength(1);
    expect(messages.filter((m) => m.role === 'bot')).toHaveLength(1);
  });

  it("shows a visitor web conversations only, never another platform's", async () => {
    // A Telegram chat id is the user's id, easy to guess: the web chat must not serve it.
    await sb.engine.handle({
      platform: 'telegram',
      conversationId: 'telegram:4242',
      messageId: '4242:1',
      author: { id: '4242', name: 'Maya' },
      text: 'my address is 1 Main St',
      receivedAt: new Date(),
    });
    await sb.engine.idle();
    expect(sb.store.conversations.messages('telegram:4242').length).toBeGreaterThan(0);
    const read = await fetch(`${sb.url}/web/conversations/telegram:4242/messages`);
    expect(read.status).toBe(404);
    expect(JSON.stringify(await read.json())).not.toContain('Main St');
    const stream = await fetch(`${sb.url}/web/conversations/telegram:4242/stream`);
    expect(stream.status).toBe(400);
    // A well-formed web id that names no conversation opens no stream either.
    const unknown = await fetch(
      `${sb.url}/web/conversations/web:0123456789abcdef0123456789abcdef/stream`,
    );
    expect(unknown.status).toBe(404);
  });

  it('answers malformed input with a 400 and a reason, never a 500', async () => {
    const post = (body: string) =>
      fetch(`${sb.url}/web/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const cases: Array<[string, RegExp]> = [
      ['{"text":"   "}', /empty/],
      [JSON.stringify({ text: 'x'.repeat(4001) }), /at most 4000/],
      ['{"text": "unterminated', /not valid JSON/],
      ['{}', /text/],
      [JSON.stringify({ text: 'hi', conversationId: '../etc' }), /conversationId/],
      [JSON.stringify({ text: '4', choice: 'x'.repeat(101) }), /choice must be at most 100/],
    ];
    for (const [body, reason] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(reason);
    }
  });

  it('keeps the admin API behind the bearer token', async () => {
    expect((await fetch(`${sb.url}/desk/api/handoffs`)).status).toBe(401);
    expect(
      (await fetch(`${sb.url}/desk/api/handoffs`, { headers: { authorization: 'Bearer nope' } }))
        .status,
    ).toBe(401);
  });
});
