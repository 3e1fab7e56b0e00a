/**
 * The agent's side of a handoff in the running engine, through the web chat and the web
 * desk's actions: the card on claim (classification, setup, the customer's ticket and its
 * cluster, the relevant sections, a drafted reply), Send / Dismiss, a refresh on each new
 * customer message, and the customer's verdict after the resolution: asked once, answered
 * by a signed button or a typed number, a forged button doing nothing, the rating in
 * `conversation.rated` and `/api/stats`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { type Choice, choicesOf } from '../../src/types/index.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

const ANA = { id: 'ana', name: 'Ana' };

describe('the agent card, drafted replies and the customer verdict', () => {
  const data = tempDataDir();
  let sb: Switchboard;
  let conversationId: string;
  let handoffId: number;

  const say = async (text: string, extra: { choice?: string } = {}) => {
    const id = conversationId;
    if (extra.choice !== undefined) {
      await sb.engine.handle({
        platform: 'web',
        conversationId: id,
        messageId: `press-${Math.random()}`,
        author: { id: id.slice(4), name: 'Web visitor' },
        text,
        choice: extra.choice,
        receivedAt: new Date(),
      });
    } else {
      const { body } = await webClient(sb.url).send(text, id);
      conversationId = body.conversationId;
    }
    await sb.engine.idle();
  };
  const messages = () => sb.store.conversations.messages(conversationId);
  const stats = async () =>
    (await fetch(`${sb.url}/api/stats?days=1`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
    }).then((r) => r.json())) as {
      totals: { suggestions: Record<string, number>; csat: Record<string, number> };
      csatByAgent: Array<{ agent: { name: string } | null; rated: number; average: number }>;
    };

  beforeAll(async () => {
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    const { body } = await webClient(sb.url).send(
      'The app crashes every time I open settings, Android 14, app 3.2.1',
    );
    conversationId = body.conversationId;
    await sb.engine.idle();
    await say('Also my password reset email never arrives. I want to talk to a person');
    handoffId = sb.store.handoffs.activeFor(conversationId)?.id as number;
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
  });

  it('shows the agent a card on claim: who, how it was classified, setup, tickets, sections, a draft', async () => {
    expect(sb.engine.desk.card(handoffId)).toBeUndefined();
    expect((await sb.engine.desk.claim(handoffId, ANA)).ok).toBe(true);
    await sb.engine.idle();
    const card = sb.engine.desk.card(handoffId);
    expect(card?.customer).toEqual({ name: 'Web visitor', platform: 'web' });
    expect(card?.classification.confidence).toBeGreaterThan(0);
    expect(card?.environment).toMatchObject({ os: 'Android 14', appVersion: '3.2.1' });
    expect(card?.tickets).toHaveLength(1);
    expect(card?.tickets[0]?.cluster).toMatchObject({ reports: 1 });
    expect(card?.tickets[0]?.cluster?.title).toMatch(/settings/i);
    expect(card?.sections.length).toBeGreaterThanOrEqual(2);
    expect(card?.sections.some((s) => /password/i.test(s))).toBe(true);
    expect(card?.suggestion?.sources.some((s) => /password/i.test(s))).toBe(true);
    // Nothing reached the customer but the join notice.
    expect(messages().filter((m) => m.role === 'agent')).toEqual([]);
  });

  it('sends a suggestion only when the agent does, as the agent, and drafts anew on each message', async () => {
    const first = sb.engine.desk.card(handoffId)?.suggestion;
    expect(await sb.engine.desk.sendSuggestion(handoffId, first?.id as number, ANA)).toEqual({
      ok: true,
    });
    const sent = messages().filter((m) => m.role === 'agent');
    expect(sent.map((m) => [m.authorName, m.text])).toEqual([['Ana', first?.text]]);
    // Used once: a second click on the same suggestion does nothing.
    expect(await sb.engine.desk.sendSuggestion(handoffId, first?.id as number, ANA)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(sb.engine.desk.card(handoffId)?.suggestion).toBeNull();

    await say('I checked spam, nothing there. Can you check my account?');
    const second = sb.engine.desk.card(handoffId)?.suggestion;
    expect(second?.id).toBeGreaterThan(first?.id as number);
    expect(await sb.engine.desk.dismissSuggestion(handoffId, second?.id as number, ANA)).toEqual({
      ok: true,
    });
    await say('Still waiting');
    const third = sb.engine.desk.card(handoffId)?.suggestion;
    await sb.engine.desk.sendSuggestion(
      handoffId,
      third?.id as number,
      ANA,
      'Let me look at your account now.',
    );
    expect(messages().at(-1)).toMatchObject({
      role: 'agent',
      text: 'Let me look at your account now.',
    });
    expect((await stats()).totals.suggestions).toMatchObject({
      shown: 3,
      sent: 1,
      edited: 1,
      dismissed: 1,
    });
  });

  it('asks once after the resolution, ignores a forged button, and takes a signed one', async () => {
    await sb.engine.desk.resolve(handoffId, ANA);
    await sb.engine.idle();
    const question = messages().at(-1);
    const choices = choicesOf(question as NonNullable<typeof question>);
    expect(choices.map((c: Choice) => c.label)).toEqual(['1', '2', '3', '4', '5']);

    const four = choices[3] as Choice;
    const forged = four.value.replace(/\.4\./, '.5.');
    await say('5', { choice: forged });
    expect((await stats()).totals.csat.rated).toBe(0);

    await say('4', { choice: four.value });
    await say('The agent was quick and kind');
    const rated = sb.store.events.list({ type: 'conversation.rated' });
    expect(rated.map((e) => e.data.rating)).toMatchObject([
      { score: 4, comment: null, agent: { name: 'Ana' }, handoffId },
      { score: 4, comment: 'The agent was quick and kind', agent: { name: 'Ana' } },
    ]);
    // A second press of the same question changes nothing.
    await say('1', { choice: (choices[0] as Choice).value });
    const s = await stats();
    expect(s.totals.csat).toMatchObject({ rated: 1, average: 4, satisfiedRate: 1 });
    expect(s.csatByAgent).toEqual([
      expect.objectContaining({ agent: { id: 'ana', name: 'Ana' }, rated: 1 }),
    ]);
    // The same resolution is never asked about again.
    expect(await sb.engine.desk.resolve(handoffId, ANA)).toMatchObject({ ok: false });
    expect(messages().filter((m) => choicesOf(m).length > 0)).toHaveLength(1);
  });

  it('asks about a conversation the bot resolved alone, answered with a typed number', async () => {
    const { body } = await webClient(sb.url).send('How do I reset my password?');
    conversationId = body.conversationId;
    await sb.engine.idle();
    const before = (await stats()).totals as unknown as { conversations: number };
    await say('Thanks, that solved it!');
    const asked = () => messages().filter((m) => choicesOf(m).length > 0);
    expect(asked()).toHaveLength(1);
    // A new message that happens to start with a digit is not a rating: it gets an answer.
    await say('2 of my devices no longer sync photos');
    expect((await stats()).csatByAgent.some((r) => r.agent === null)).toBe(false);
    expect(messages().at(-1)?.role).toBe('bot');

    await say('5 - great answer');
    const s = await stats();
    expect(s.csatByAgent).toContainEqual(
      expect.objectContaining({ agent: null, rated: 1, average: 5 }),
    );
    expect(messages().at(-1)?.text).toMatch(/thank you for your rating/i);
    // Thanking again resolves the conversation again, but the customer is not asked twice.
    await say('Thanks again!');
    expect(asked()).toHaveLength(1);
    // The rating itself is not a conversation of its own in the stats.
    const after = (await stats()).totals as unknown as { conversations: number };
    expect(after.conversations - before.conversations).toBeLessThanOrEqual(1);
  });

  it('keeps the remark after a rating as its comment, and still answers it', async () => {
    const { body } = await webClient(sb.url).send('How do I reset my password?');
    conversationId = body.conversationId;
    await sb.engine.idle();
    await say('Thanks, that solved it!');
    await say('4');
    await say('Also the CSV export is broken on my laptop');
    const rating = sb.store.events
      .list({ type: 'conversation.rated', limit: 100 })
      .map((e) => e.data.rating as { conversationId: string; comment: string | null })
      .filter((r) => r.conversationId === conversationId)
      .at(-1);
    expect(rating?.comment).toBe('Also the CSV export is broken on my laptop');
    // The remark was not swallowed: the bot answered it like any message.
    const last = messages().at(-1);
    expect(last?.role).toBe('bot');
    expect(last?.text).not.toMatch(/passed that on/i);
  });
});
