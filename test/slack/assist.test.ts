/**
 * The agent's side of a handoff in Slack (issue 19), with the real engine and the real Bolt
 * app against the fake Slack in both modes: the card that opens a claimed handoff's thread,
 * its Send / Edit (a modal) / Dismiss buttons, a forged click refused, and a Slack customer
 * rating the conversation with buttons after it is resolved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildBlockActions,
  buildDirectMessage,
  buildViewSubmission,
  postSignedInteraction,
  type RecordedMessage,
} from '../fakes/slack/index.ts';
import { webClient } from '../helpers/switchboard.ts';
import {
  buttonsOf,
  eventually,
  SIGNING_SECRET,
  type SlackMode,
  type SlackWorld,
  startSlackWorld,
  textOf,
} from './helpers.ts';

const CARD_BUTTONS = ['suggestion_send', 'suggestion_edit', 'suggestion_dismiss'];

describe.each<SlackMode>(['http', 'socket'])("the agent's card in Slack (%s mode)", (mode) => {
  let world: SlackWorld;
  let web: ReturnType<typeof webClient>;

  beforeAll(async () => {
    world = await startSlackWorld(mode);
    web = webClient(world.sb.url);
  });
  afterAll(() => world?.stop());

  const agentId = () => world.fake.ids.agentId;
  const inThread = (post: RecordedMessage, match: (p: RecordedMessage) => boolean) =>
    world.fake.waitFor((p) => p.thread_ts === post.ts && match(p));
  /** The card as it stands: its first post, or its latest update. */
  const cardNow = (card: RecordedMessage) =>
    world.fake.updates.filter((u) => u.ts === card.ts).at(-1) ?? card;
  const suggestionOn = (card: RecordedMessage) =>
    /"value":"(suggestion_\d+_\d+)"/.exec(textOf(card))?.[1];
  /** Waits for the card to offer a suggestion other than `not` (a fresh draft). */
  const freshDraft = (card: RecordedMessage, not?: string) =>
    eventually(() => {
      const now = cardNow(card);
      const value = suggestionOn(now);
      return value && value !== not ? { now, value } : undefined;
    }, 'a new suggestion on the card');
  const agentLines = async (conversationId: string) =>
    (await web.messages(conversationId)).messages.filter((m) => m.role === 'agent');
  const clickCard = (card: RecordedMessage, actionId: string, value: string, userId = agentId()) =>
    world.click({ actionId, value, userId, messageTs: card.ts, threadTs: card.thread_ts });
  const told = (needle: string) =>
    world.fake.state.waitUntil(
      () => world.fake.responses.find((r) => String(r.body.text).includes(needle)),
      5000,
      `"${needle}" told to the agent`,
    );

  /** A web customer with a bug ticket asks for a person; an agent claims it in Slack. */
  async function claimedWithCard() {
    const { fake, sb } = world;
    const first = await web.send(
      'The app crashes every time I open settings, Android 14, app 3.2.1',
    );
    const conversationId = first.body.conversationId;
    await sb.engine.idle();
    await web.send(
      'Also my password reset email never arrives. I want to talk to a person',
      conversationId,
    );
    const handoff = await eventually(() => {
      const h = sb.store.handoffs.latestFor(conversationId);
      return h?.deskRef ? h : undefined;
    }, 'the handoff post');
    const post = await fake.waitFor((p) => p.ts === handoff.deskRef?.ts);
    await world.click({ value: `handoff_${handoff.id}`, messageTs: post.ts, userId: agentId() });
    const card = await inThread(post, (p) => textOf(p).includes('Agent card')).catch(() => {
      throw new Error(
        'no agent card in the thread after the claim: does the engine call desk.showCard?',
      );
    });
    return { conversationId, handoff, post, card };
  }

  it('opens the claimed thread with the card, and Send relays the draft as the agent', async () => {
    const { fake, sb } = world;
    const { conversationId, handoff, post, card } = await claimedWithCard();

    // What the agent sees first in the thread.
    const thread = fake.posts.filter((p) => p.thread_ts === post.ts);
    expect(thread[0]?.ts).toBe(card.ts);
    const { now: shown, value } = await freshDraft(card);
    const text = textOf(shown);
    expect(text).toContain('*Web visitor (web chat)*');
    expect(text).toContain(`Claimed by <@${agentId()}>`);
    expect(text).toMatch(
      /Category: \*[^*]+\* · Priority: \*\w+\* · Sentiment: \*\w+\* · Confidence: \*\d{1,3}%\*/,
    );
    expect(text).toMatch(/Setup: [^"]*Android 14[^"]*app 3\.2\.1/);
    expect(text).toMatch(/T-\d{4} — the only report of \*[^*]*settings[^*]*\*/i);
    expect(text).toMatch(/\*Relevant docs\*\\n• [^"]+\\n• /);
    expect(text).toContain('Resetting your password');
    expect(text).toContain('*Suggested reply*\\n>');
    expect(buttonsOf(shown)).toEqual(CARD_BUTTONS);

    // Send: acked at once; the customer gets the draft as the agent's reply.
    const draft = sb.engine.desk.card(handoff.id)?.suggestion?.text as string;
    expect(draft).toBeTruthy();
    expect(await clickCard(card, 'suggestion_send', value)).toBeLessThan(1000);
    const sent = await eventually(
      async () => (await agentLines(conversationId))[0],
      'the sent draft',
    );
    expect(sent.text).toBe(draft);
    await inThread(post, (p) => textOf(p).includes(`<@${agentId()}> sent the suggested reply`));
    await fake.waitForUpdate(
      (u) => u.ts === card.ts && textOf(u).includes('No suggestion right now'),
    );

    // The same button again: no longer the current suggestion, so nothing more is sent.
    await clickCard(card, 'suggestion_send', value);
    await told('no longer the current one; nothing was sent');
    expect(await agentLines(conversationId)).toHaveLength(1);
  });

  it('Edit opens the draft in a modal and sends what the agent changed; Dismiss sends nothing', async () => {
    const { fake, sb } = world;
    const { conversationId, post, card } = await claimedWithCard();
    const { value } = await freshDraft(card);

    const opened = fake.views.length;
    await clickCard(card, 'suggestion_edit', value);
    const modal = await fake.waitForView((v) => fake.views.indexOf(v) >= opened);
    const draft = sb.engine.desk.card(Number(value.split('_')[1]))?.suggestion?.text;
    expect(JSON.stringify(modal.view.blocks)).toContain(JSON.stringify(draft).slice(1, 40));
    const edited = 'Hi! Check your spam folder first, then request a **new** reset link.';
    const ack = await world.interact(
      buildViewSubmission(modal, { suggestion_text: { text: edited } }, { userId: agentId() }),
    );
    expect(ack.body ?? {}).not.toHaveProperty('response_action');
    const sent = await eventually(async () => (await agentLines(conversationId))[0], 'the edit');
    expect(sent.text).toBe(edited);
    await inThread(post, (p) => textOf(p).includes('sent an edited version'));

    // A new customer message brings a new draft; Dismiss puts it away unsent.
    await web.send('The reset link I got last week says it expired', conversationId);
    const next = await freshDraft(card, value);
    await clickCard(card, 'suggestion_dismiss', next.value);
    await eventually(
      () => (textOf(cardNow(card)).includes('No suggestion right now') ? true : undefined),
      'the dismissed card',
    );
    await sb.engine.idle();
    expect(await agentLines(conversationId)).toHaveLength(1);

    const res = await fetch(`${sb.url}/api/stats?days=1`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
    });
    const { totals } = (await res.json()) as { totals: { suggestions?: Record<string, number> } };
    expect(totals.suggestions, 'GET /api/stats has a suggestions section').toMatchObject({
      edited: expect.any(Number),
      dismissed: expect.any(Number),
    });
    expect(totals.suggestions?.edited).toBeGreaterThanOrEqual(1);
    expect(totals.suggestions?.dismissed).toBeGreaterThanOrEqual(1);
  });

  it.runIf(mode === 'http')(
    'refuses a forged click with 401, and a click naming no current suggestion does nothing',
    async () => {
      const { fake, sb } = world;
      const { conversationId, handoff, card } = await claimedWithCard();
      const { value } = await freshDraft(card);
      const calls = fake.calls().length;

      const forged = buildBlockActions({
        actionId: 'suggestion_send',
        value,
        userId: agentId(),
        messageTs: card.ts,
        responseUrl: fake.responseUrl(),
      });
      const res = await postSignedInteraction(`${sb.url}/slack/events`, forged, {
        signingSecret: SIGNING_SECRET,
        forgeSignature: true,
      });
      expect(res.status).toBe(401);
      await new Promise((r) => setTimeout(r, 200));
      expect(fake.calls().slice(calls)).toEqual([]);
      expect(await agentLines(conversationId)).toEqual([]);

      // Signed, but naming a suggestion that is not the current one, or no handoff at all.
      await clickCard(card, 'suggestion_send', `suggestion_${handoff.id}_999999`);
      await told('no longer the current one; nothing was sent');
      await clickCard(card, 'suggestion_send', 'suggestion_999999_1');
      await told('This handoff no longer exists');
      expect(await agentLines(conversationId)).toEqual([]);
      expect(suggestionOn(cardNow(card))).toBe(value);
    },
  );

  it('asks a Slack customer to rate with buttons after the resolve; a press reaches the thread once', async () => {
    const { fake, sb } = world;
    const dm = fake.ids.customerDm;
    await world.deliver(
      buildDirectMessage({ text: 'I want to talk to a person about my invoice' }),
    );
    const handoff = await eventually(() => {
      const h = sb.store.handoffs.latestFor(`slack:${dm}`);
      return h?.deskRef && h.status !== 'resolved' ? h : undefined;
    }, 'the Slack customer handoff');
    const post = await fake.waitFor((p) => p.ts === handoff.deskRef?.ts);
    const value = `handoff_${handoff.id}`;
    await world.click({ value, messageTs: post.ts, userId: agentId() });
    await inThread(post, (p) => textOf(p).includes('Agent card'));
    await world.click({
      value,
      actionId: 'handoff_resolve',
      messageTs: post.ts,
      userId: agentId(),
    });

    const question = await fake
      .waitFor((p) => p.channel === dm && buttonsOf(p).includes('switchboard_choice_0'))
      .catch(() => {
        throw new Error(
          'no rating buttons in the DM after the resolve: does the engine send choices?',
        );
      });
    expect(buttonsOf(question)).toEqual([0, 1, 2, 3, 4].map((i) => `switchboard_choice_${i}`));
    expect(question.text).toMatch(/1 \(poor\) to 5 \(great\)/);
    const blocks = question.blocks as Array<{
      elements?: Array<{ value: string; text: { text: string } }>;
    }>;
    const four = blocks.at(-1)?.elements?.[3];
    expect(four?.text.text).toBe('4');

    const press = buildBlockActions({
      actionId: 'switchboard_choice_3',
      value: four?.value as string,
      label: '4',
      blockId: 'switchboard_choices',
      userId: fake.ids.customerId,
      channelId: dm,
      messageTs: question.ts,
      messageText: question.text as string,
      blocks: question.blocks as unknown[],
      responseUrl: fake.responseUrl(),
    });
    await world.interact(press);
    const note = await inThread(post, (p) => /rated this conversation 4\/5/.test(p.text ?? ''));
    expect(note.text).toBe('The customer rated this conversation 4/5.');
    const chosen = await fake.waitForUpdate((u) => u.ts === question.ts);
    expect(buttonsOf(chosen)).toEqual([]);
    expect(textOf(chosen)).toContain('You chose *4*');

    // Slack delivering the same press again changes nothing.
    await world.interact(press);
    await sb.engine.idle();
    await new Promise((r) => setTimeout(r, 200));
    const notes = fake.posts.filter(
      (p) => p.thread_ts === post.ts && /rated this/.test(p.text ?? ''),
    );
    expect(notes).toHaveLength(1);
    expect(fake.updates.filter((u) => u.ts === question.ts)).toHaveLength(1);
  });
});
