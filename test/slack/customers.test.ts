import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAppMention,
  buildDirectMessage,
  buildEvent,
  buildThreadReply,
  buildUrlVerification,
  freshTs,
  postSignedEvent,
} from '../fakes/slack/index.ts';
import {
  eventually,
  SIGNING_SECRET,
  type SlackMode,
  type SlackWorld,
  startSlackWorld,
} from './helpers.ts';

const ANSWER = /Resetting your password/;

describe.each<SlackMode>(['http', 'socket'])('customers in Slack (%s mode)', (mode) => {
  let world: SlackWorld;

  beforeAll(async () => {
    world = await startSlackWorld(mode);
  });
  afterAll(() => world?.stop());

  const replies = (channel: string, threadTs?: string) =>
    world.fake.posts.filter((p) => p.channel === channel && p.thread_ts === threadTs);

  it('answers a DM in the DM, and acks at once', async () => {
    const { fake, sb } = world;
    const ackMs = await world.deliver(buildDirectMessage({ text: 'How do I reset my password?' }));
    expect(ackMs).toBeLessThan(1000);
    const reply = await fake.waitFor(
      (p) => p.channel === fake.ids.customerDm && ANSWER.test(p.text ?? ''),
    );
    expect(reply.thread_ts).toBeUndefined();
    // mrkdwn, not Markdown: no double asterisks reach Slack.
    expect(reply.text).not.toContain('**');
    const conversation = sb.store.conversations.get(`slack:${fake.ids.customerDm}`);
    expect(conversation).toMatchObject({
      platform: 'slack',
      authorId: fake.ids.customerId,
      authorName: 'dana',
    });
  });

  it('answers a mention in its thread, and follows up in that thread without a mention', async () => {
    const { fake, sb } = world;
    const channel = fake.ids.communityChannel;
    const mention = buildAppMention({
      text: `<@${fake.ids.botUserId}> how do I reset my password?`,
    });
    await world.deliver(mention);
    const threadTs = mention.event.ts as string;
    const reply = await fake.waitFor((p) => p.channel === channel && p.thread_ts === threadTs);
    expect(reply.text).toMatch(ANSWER);
    const id = `slack:${channel}:${threadTs}`;
    expect(sb.store.conversations.messages(id)[0]?.text).toBe('how do I reset my password?');

    const followUp = buildEvent({
      type: 'message',
      channel,
      channel_type: 'channel',
      user: fake.ids.customerId,
      text: 'Where do I find my invoices?',
      ts: freshTs(),
      thread_ts: threadTs,
    });
    await world.deliver(followUp);
    await eventually(
      () => (replies(channel, threadTs).length >= 2 ? true : undefined),
      'a second reply',
    );
    expect(sb.store.conversations.messages(id).filter((m) => m.role === 'customer')).toHaveLength(
      2,
    );
    // A channel message that is neither a mention nor in a known thread is left alone.
    const before = fake.posts.length;
    await world.deliver(
      buildEvent({
        type: 'message',
        channel,
        channel_type: 'channel',
        user: fake.ids.customerId,
        text: 'hello all',
        ts: freshTs(),
      }),
    );
    await sb.engine.idle();
    expect(fake.posts.length).toBe(before);
  });

  it('processes a retried delivery once', async () => {
    const { fake, sb } = world;
    const event = buildDirectMessage({ text: 'Do you support Apple Pay?' });
    await world.deliver(event);
    await world.deliver(event, 1);
    await sb.engine.idle();
    const id = `slack:${fake.ids.customerDm}`;
    const asked = sb.store.conversations
      .messages(id)
      .filter((m) => m.text === 'Do you support Apple Pay?');
    expect(asked).toHaveLength(1);
    const answers = sb.store.conversations
      .messages(id)
      .filter((m) => m.role === 'bot' && m.id > (asked[0]?.id ?? 0));
    expect(answers).toHaveLength(1);
  });

  it('ignores bots, edits and chatter in the agent channel', async () => {
    const { fake, sb } = world;
    const before = fake.posts.length;
    await world.deliver(buildDirectMessage({ text: 'from a bot', bot_id: 'B0OTHER' }));
    await world.deliver(buildDirectMessage({ text: 'edited', subtype: 'message_changed' }));
    await world.deliver(
      buildThreadReply({
        thread_ts: undefined,
        text: 'top-level chatter among agents',
        user: fake.ids.agentId,
      }),
    );
    await world.deliver(
      buildThreadReply({ thread_ts: '1700000000.000001', text: 'thread on something else' }),
    );
    await sb.engine.idle();
    expect(fake.posts.length).toBe(before);
    const texts = sb.store.conversations
      .messages(`slack:${fake.ids.customerDm}`)
      .map((m) => m.text);
    expect(texts).not.toContain('from a bot');
    expect(texts).not.toContain('edited');
  });

  it.runIf(mode === 'http')('rejects forged and stale signatures with 401', async () => {
    const { fake, sb } = world;
    const url = `${sb.url}/slack/events`;
    const forged = await postSignedEvent(url, buildDirectMessage({ text: 'forged one' }), {
      signingSecret: SIGNING_SECRET,
      forgeSignature: true,
    });
    expect(forged.status).toBe(401);
    const stale = await postSignedEvent(url, buildDirectMessage({ text: 'stale one' }), {
      signingSecret: SIGNING_SECRET,
      ageSec: 6 * 60,
    });
    expect(stale.status).toBe(401);
    const texts = sb.store.conversations
      .messages(`slack:${fake.ids.customerDm}`)
      .map((m) => m.text);
    expect(texts).not.toContain('forged one');
    expect(texts).not.toContain('stale one');
    // Saving the request URL in the app settings sends a signed challenge.
    const challenge = await postSignedEvent(url, buildUrlVerification('c-42'), {
      signingSecret: SIGNING_SECRET,
    });
    expect(JSON.parse(challenge.body)).toEqual({ challenge: 'c-42' });
    // The rest of the app still parses JSON as before.
    const web = await fetch(`${sb.url}/web/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'still fine?' }),
    });
    expect(web.status).toBe(202);
  });
});
