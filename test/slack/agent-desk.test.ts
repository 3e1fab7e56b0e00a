import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildThreadReply, type RecordedMessage } from '../fakes/slack/index.ts';
import { webClient } from '../helpers/switchboard.ts';
import {
  buttonsOf,
  eventually,
  type SlackMode,
  type SlackWorld,
  startSlackWorld,
  textOf,
} from './helpers.ts';

const OTHER_AGENT = 'U07AGNT0002';
const OUTSIDER = 'U07OUTSIDE1';

describe.each<SlackMode>(['http', 'socket'])('the Slack agent desk (%s mode)', (mode) => {
  let world: SlackWorld;
  let web: ReturnType<typeof webClient>;

  beforeAll(async () => {
    world = await startSlackWorld(mode);
    web = webClient(world.sb.url);
    const { fake } = world;
    fake.addUser({ id: OTHER_AGENT, name: 'sam', real_name: 'Sam Second' });
    fake.addUser({ id: OUTSIDER, name: 'pat', real_name: 'Pat Outsider' });
    fake.setMembers(fake.ids.agentChannel, [fake.ids.botUserId, fake.ids.agentId, OTHER_AGENT]);
  });
  afterAll(() => world?.stop());

  /** A web customer asks for a human; resolves with the handoff post in the agent channel. */
  async function handoffFromWeb(text = 'I want to talk to a person') {
    const { body } = await web.send(text);
    const handoff = await eventually(() => {
      const h = world.sb.store.handoffs.latestFor(body.conversationId);
      return h?.deskRef ? h : undefined;
    }, 'the handoff post');
    const post = await world.fake.waitFor((p) => p.ts === handoff.deskRef?.ts);
    return { conversationId: body.conversationId, post, handoff, value: `handoff_${handoff.id}` };
  }

  const customerSees = (
    conversationId: string,
    match: (m: { role: string; text: string }) => boolean,
  ) =>
    eventually(
      async () => (await web.messages(conversationId)).messages.find(match),
      'a customer message',
    );

  const inThread = (post: RecordedMessage, match: (p: RecordedMessage) => boolean) =>
    world.fake.waitFor((p) => p.thread_ts === post.ts && match(p));

  it('runs the whole story: post, claim, two-way relay, notes, resolve', async () => {
    const { fake } = world;
    const { conversationId, post, value } = await handoffFromWeb();

    // The post: customer and platform, summary, classification, last messages, buttons.
    const shown = textOf(post);
    expect(shown).toContain('Web visitor (web chat)');
    expect(shown).toMatch(
      /Category: \*[^*]+\* · Priority: \*(low|medium|high|critical)\* · Sentiment/,
    );
    expect(shown).toContain('I want to talk to a person');
    expect(buttonsOf(post)).toEqual(['handoff_claim', 'handoff_resolve']);

    // Claim: acked at once, post updated, the thread opened with a note to the agents.
    const ackMs = await world.click({ value, messageTs: post.ts, userId: fake.ids.agentId });
    expect(ackMs).toBeLessThan(1000);
    const claimed = await fake.waitForUpdate(
      (u) => u.ts === post.ts && textOf(u).includes('Claimed by'),
    );
    expect(textOf(claimed)).toContain(`Claimed by <@${fake.ids.agentId}>`);
    expect(buttonsOf(claimed)).toEqual(['handoff_resolve']);
    // The thread opens with the agent's card, which says who claimed it.
    const card = await inThread(post, (p) => textOf(p).includes('Agent card'));
    expect(textOf(card)).toContain(`Claimed by <@${fake.ids.agentId}>`);
    await customerSees(conversationId, (m) => m.role === 'system' && /joined/.test(m.text));

    // The agent's thread reply reaches the web customer, signed with the agent's name.
    const agentReply = buildThreadReply({
      thread_ts: post.ts,
      user: fake.ids.agentId,
      text: "Hi, I'm Alex. *What* happened?",
    });
    await world.deliver(agentReply);
    await world.deliver(agentReply, 1); // Slack's retry of the same event is relayed once.
    const reply = await customerSees(conversationId, (m) => m.role === 'agent');
    expect(reply).toMatchObject({ text: "Hi, I'm Alex. **What** happened?", author: 'alex.agent' });

    // The customer's next message appears in the thread, escaped.
    const agentLines = (await web.messages(conversationId)).messages.filter(
      (m) => m.role === 'agent',
    );
    expect(agentLines).toHaveLength(1);
    await web.send('My order <#4411> never arrived', conversationId);
    const relayed = await inThread(post, (p) => textOf(p).includes('never arrived'));
    expect(relayed.text).toBe('*Web visitor:* My order &lt;#4411&gt; never arrived');

    // An internal note stays internal.
    await world.deliver(
      buildThreadReply({
        thread_ts: post.ts,
        user: fake.ids.agentId,
        text: '// refund looks likely',
      }),
    );
    await eventually(
      () =>
        world.sb.store.conversations
          .messages(conversationId)
          .find((m) => m.text.includes('refund looks')),
      'the stored note',
    );
    const seen = (await web.messages(conversationId)).messages;
    expect(seen.some((m) => m.text.includes('refund looks likely'))).toBe(false);

    // Resolve: the customer is told and the post loses its buttons.
    await world.click({
      value,
      actionId: 'handoff_resolve',
      messageTs: post.ts,
      userId: fake.ids.agentId,
    });
    await customerSees(conversationId, (m) => m.role === 'system' && /resolved/i.test(m.text));
    const resolved = await fake.waitForUpdate(
      (u) => u.ts === post.ts && textOf(u).includes('Resolved'),
    );
    expect(buttonsOf(resolved)).toEqual([]);
    expect(world.sb.store.handoffs.latestFor(conversationId)?.status).toBe('resolved');
  });

  it('tells a second claimer who has it, and refuses claims from outside the channel', async () => {
    const { fake } = world;
    const { post, value, handoff } = await handoffFromWeb('Can a human help me with billing?');

    await world.click({ value, messageTs: post.ts, userId: OUTSIDER });
    const refused = await fake.state.waitUntil(
      () => fake.responses.find((r) => String(r.body.text).includes('Only members')),
      5000,
      'the refusal',
    );
    expect(refused.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(world.sb.store.handoffs.get(handoff.id)?.status).toBe('open');

    await world.click({ value, messageTs: post.ts, userId: OTHER_AGENT });
    await fake.waitForUpdate((u) => u.ts === post.ts && textOf(u).includes(`<@${OTHER_AGENT}>`));
    await world.click({ value, messageTs: post.ts, userId: fake.ids.agentId });
    const told = await fake.state.waitUntil(
      () => fake.responses.find((r) => String(r.body.text).startsWith('Already claimed')),
      5000,
      'the already-claimed notice',
    );
    expect(told.body.text).toBe(`Already claimed by <@${OTHER_AGENT}>.`);
    expect(world.sb.store.handoffs.get(handoff.id)?.agentId).toBe(OTHER_AGENT);
  });

  it('tells an agent who replies before claiming that nothing was sent', async () => {
    const { fake } = world;
    const { conversationId, post } = await handoffFromWeb('I need a human agent please');
    await world.deliver(
      buildThreadReply({ thread_ts: post.ts, user: fake.ids.agentId, text: 'On it' }),
    );
    const notice = await fake.state.waitUntil(
      () => fake.ephemerals.find((e) => e.thread_ts === post.ts),
      5000,
      'the ephemeral notice',
    );
    expect(notice).toMatchObject({
      user: fake.ids.agentId,
      text: expect.stringMatching(/Claim this handoff first/),
    });
    const seen = (await web.messages(conversationId)).messages;
    expect(seen.some((m) => m.text === 'On it')).toBe(false);
  });

  it('re-announces a handoff still unclaimed after the SLA, in its thread and the channel', async () => {
    const { fake } = world;
    const { post, handoff } = await handoffFromWeb('I need to speak with a person please');
    const slaMs = world.sb.config.handoffSlaMinutes * 60_000;
    await world.sb.engine.announceDueHandoffs(Date.now() + slaMs + 1000);
    const reminder = await inThread(post, (p) =>
      textOf(p).includes('waited past the 15-minute SLA'),
    );
    expect(String(reminder.args.reply_broadcast)).toBe('true');
    expect(buttonsOf(reminder)).toEqual(['handoff_claim', 'handoff_resolve']);
    expect(world.sb.store.handoffs.get(handoff.id)).toMatchObject({
      status: 'open',
      announceCount: 2,
    });

    // Claiming from the reminder updates both the post and the reminder.
    await world.click({
      value: `handoff_${handoff.id}`,
      messageTs: reminder.ts,
      userId: fake.ids.agentId,
    });
    await fake.waitForUpdate((u) => u.ts === post.ts && textOf(u).includes('Claimed by'));
    const updated = await fake.waitForUpdate(
      (u) => u.ts === reminder.ts && textOf(u).includes('Claimed by'),
    );
    expect(buttonsOf(updated)).toEqual(['handoff_resolve']);
    await inThread(post, (p) => textOf(p).includes('Agent card'));
  });

  it('records a post Slack refused (not_in_channel), keeps it on the desk API, and retries it', async () => {
    const { fake } = world;
    await world.sb.engine.idle();
    fake.failNext('chat.postMessage', 'not_in_channel');
    const { body } = await web.send('Let me talk to a real person');
    const failed = await eventually(() => {
      const h = world.sb.store.handoffs.latestFor(body.conversationId);
      return h?.deskError ? h : undefined;
    }, 'the recorded failure');
    expect(failed.deskError).toMatch(/not_in_channel/);
    expect(failed.deskRef).toBeNull();

    const res = await fetch(`${world.sb.url}/desk/api/handoffs?status=open`, {
      headers: { authorization: `Bearer ${world.sb.adminToken}` },
    });
    const listed = (await res.json()) as { handoffs: Array<{ id: number }> };
    expect(listed.handoffs.map((h) => h.id)).toContain(failed.id);

    await world.sb.engine.announceDueHandoffs();
    const posted = world.sb.store.handoffs.get(failed.id);
    expect(posted).toMatchObject({ deskError: null, announceCount: 1 });
    const post = fake.posts.find((p) => p.ts === posted?.deskRef?.ts);
    expect(post && textOf(post)).toContain('New handoff');
    expect(post && textOf(post)).toContain('Let me talk to a real person');
  });
});
