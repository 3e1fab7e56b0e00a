/**
 * The agent card and the customer's choice buttons at the adapter's edge: the real Bolt app
 * in Socket Mode against the fake Slack, with a desk that records what the buttons ask of it
 * (the engine's side is covered with the real engine in assist.test.ts). This pins what each
 * click hands the engine: which handoff, which suggestion, which agent, which text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cardPost } from '../../bots/slack/card.ts';
import { createSlackAdapter, type SlackAdapter } from '../../bots/slack/index.ts';
import { createLogger } from '../../src/log.ts';
import type {
  Agent,
  AssistCard,
  DeskActions,
  Handoff,
  InboundMessage,
  Suggestion,
  SuggestionResult,
} from '../../src/types/index.ts';
import { messageBlocksProblem } from '../fakes/slack/block-kit.ts';
import {
  buildBlockActions,
  buildViewSubmission,
  type FakeSlack,
  type RecordedMessage,
  startFakeSlack,
} from '../fakes/slack/index.ts';
import { buttonsOf, eventually, textOf } from './helpers.ts';

const OUTSIDER = 'U07OUTSIDE1';

function handoffAt(channel: string, ts: string): Handoff {
  return {
    id: 7,
    conversationId: 'telegram:5123409877',
    platform: 'telegram',
    customerName: 'Maya',
    status: 'claimed',
    summary: 'The app crashes when opening Settings',
    classification: {
      state: 'ESCALATE_HUMAN',
      kind: 'bug',
      category: 'bug',
      priority: 'high',
      sentiment: 'negative',
      summary: 'The app crashes when opening Settings',
      tags: [],
      productArea: 'Settings',
      confidence: 0.82,
    },
    agentId: 'U07AGNT0001',
    agentName: 'alex.agent',
    deskRef: { channel, ts },
    deskError: null,
    announceCount: 1,
    createdAt: Date.now() - 60_000,
    announcedAt: Date.now() - 60_000,
    claimedAt: Date.now(),
    resolvedAt: null,
  };
}

const CARD: AssistCard = {
  handoffId: 7,
  customer: { name: 'Maya', platform: 'telegram' },
  classification: { category: 'bug', priority: 'high', sentiment: 'negative', confidence: 0.82 },
  environment: { device: 'iPhone 14', os: 'iOS 17.2', appVersion: '3.2.1', browser: null },
  tickets: [
    {
      ref: 'T-1042',
      status: 'open',
      summary: 'Crash when opening Settings',
      cluster: { id: 3, title: 'App crashes when opening Settings', reports: 14 },
    },
  ],
  sections: ['Troubleshooting › App crashes', 'Settings › Resetting the app'],
  suggestion: {
    id: 3,
    handoffId: 7,
    text: 'Sorry about that! Update to **3.2.2**, which fixes the crash in Settings.',
    sources: ['Troubleshooting › App crashes'],
    confidence: 0.7,
    createdAt: Date.now(),
  },
};

/** A desk that records the card buttons' calls and answers with `result`. */
class RecordingDesk {
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  result: SuggestionResult = { ok: true };
  handoffs = new Map<number, Handoff>();
  cards = new Map<number, AssistCard>();

  readonly actions = {
    handoff: (id: number) => this.handoffs.get(id),
    card: (id: number) => this.cards.get(id),
    sendSuggestion: async (...args: [number, number, Agent, string?]) => {
      this.calls.push({ method: 'sendSuggestion', args });
      return this.result;
    },
    dismissSuggestion: async (...args: [number, number, Agent]) => {
      this.calls.push({ method: 'dismissSuggestion', args });
      return this.result;
    },
  } as unknown as DeskActions;
}

describe('the agent card and choice buttons at the Slack adapter', () => {
  let fake: FakeSlack;
  let adapter: SlackAdapter;
  const desk = new RecordingDesk();
  const handled: InboundMessage[] = [];
  let handoff: Handoff;
  let card: RecordedMessage;
  const agent = { id: 'U07AGNT0001', name: 'alex.agent' };

  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.addUser({ id: OUTSIDER, name: 'pat', real_name: 'Pat Outsider' });
    adapter = createSlackAdapter({
      botToken: fake.botToken,
      appToken: fake.appToken,
      apiUrl: fake.apiUrl,
      agentChannel: fake.ids.agentChannel,
      slaMinutes: 15,
      logger: createLogger('silent'),
      deskActions: () => desk.actions,
      retryConfig: { retries: 0 },
    });
    await adapter.start({
      // Like the engine: a delivery it has seen is a duplicate.
      handle: async (m) => {
        const seen = handled.some((h) => h.messageId === m.messageId);
        handled.push(m);
        return !seen;
      },
      conversation: () => undefined,
    });
  });
  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  beforeEach(async () => {
    desk.calls.length = 0;
    desk.result = { ok: true };
    handoff = handoffAt(fake.ids.agentChannel, fake.seedMessage(fake.ids.agentChannel, 'post'));
    desk.handoffs.set(7, handoff);
    desk.cards.set(7, CARD);
    const ref = await adapter.desk.showCard(handoff, CARD);
    card = await fake.waitFor((p) => p.ts === ref?.ts);
  });

  const click = (actionId: string, userId = agent.id, value = 'suggestion_7_3') =>
    fake.socket.sendInteractive(
      buildBlockActions({
        actionId,
        value,
        userId,
        messageTs: card.ts,
        threadTs: handoff.deskRef?.ts as string,
        responseUrl: fake.responseUrl(),
        blocks: card.blocks as unknown[],
      }),
    );
  const told = (needle: string) =>
    fake.state.waitUntil(
      () => fake.responses.find((r) => String(r.body.text).includes(needle)),
      5000,
      `"${needle}" told to the clicker`,
    );

  it("opens the handoff's thread with the card: context, the draft and three buttons", () => {
    expect(card).toMatchObject({ channel: fake.ids.agentChannel, thread_ts: handoff.deskRef?.ts });
    expect(card.args.reply_broadcast).toBeUndefined();
    const shown = textOf(card);
    expect(shown).toContain('*Maya (Telegram)*');
    expect(shown).toContain(
      'Category: *bug* · Priority: *high* · Sentiment: *negative* · Confidence: *82%*',
    );
    expect(shown).toContain('Setup: iPhone 14 · iOS 17.2 · app 3.2.1');
    expect(shown).toContain('T-1042 — one of 14 reports of *App crashes when opening Settings*');
    expect(shown).toContain('• Troubleshooting › App crashes\\n• Settings › Resetting the app');
    expect(shown).toContain('>Sorry about that! Update to *3.2.2*, which fixes the crash');
    expect(shown).toContain('drafted with 70% confidence');
    expect(buttonsOf(card)).toEqual(['suggestion_send', 'suggestion_edit', 'suggestion_dismiss']);
    expect(shown.match(/"value":"suggestion_7_3"/g)).toHaveLength(3);
  });

  it('updates the card in place, and shows it again if it was deleted', async () => {
    const ref = { channel: card.channel, ts: card.ts };
    const without = { ...CARD, suggestion: null };
    expect(await adapter.desk.showCard(handoff, without, ref)).toEqual(ref);
    const updated = await fake.waitForUpdate((u) => u.ts === card.ts);
    expect(textOf(updated)).toContain('No suggestion right now.');
    expect(buttonsOf(updated)).toEqual([]);

    fake.failNext('chat.update', 'message_not_found');
    const again = await adapter.desk.showCard(handoff, CARD, ref);
    expect(again?.ts).not.toBe(card.ts);
    const reposted = await fake.waitFor((p) => p.ts === again?.ts);
    expect(reposted.thread_ts).toBe(handoff.deskRef?.ts);
  });

  it("posts the engine's notes into the thread, escaped", async () => {
    await adapter.desk.note(handoff, 'The customer rated this conversation 4/5: “<b>quick</b>”');
    const note = await fake.waitFor(
      (p) => p.thread_ts === handoff.deskRef?.ts && /rated/.test(p.text ?? ''),
    );
    expect(note.text).toBe('The customer rated this conversation 4/5: “&lt;b&gt;quick&lt;/b&gt;”');
  });

  it('keeps a huge card within Block Kit limits (the fake refuses what Slack would)', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      ...CARD.tickets[0],
      ref: `T-${2000 + i}`,
      cluster: { id: i, title: 'x'.repeat(400), reports: i + 2 },
    })) as AssistCard['tickets'];
    const huge: AssistCard = {
      ...CARD,
      customer: { name: 'M'.repeat(500), platform: 'telegram' },
      tickets: many,
      sections: Array.from({ length: 9 }, (_, i) => `Section ${i} ${'y'.repeat(900)}`),
      suggestion: { ...(CARD.suggestion as Suggestion), text: 'word '.repeat(2000) },
    };
    expect(messageBlocksProblem(cardPost(huge).blocks)).toBeUndefined();
    const ref = await adapter.desk.showCard(handoff, huge);
    expect(ref?.ts).toBeDefined();
    expect(
      messageBlocksProblem([{ type: 'section', text: { type: 'mrkdwn', text: 'z'.repeat(3001) } }]),
    ).toMatch(/3000/);
  });

  it('Send hands the engine the handoff, the suggestion and the clicking agent', async () => {
    const ack = await click('suggestion_send');
    expect(ack.ackMs).toBeLessThan(1000);
    await eventually(() => desk.calls[0], 'the send');
    expect(desk.calls).toEqual([{ method: 'sendSuggestion', args: [7, 3, agent] }]);
    const line = await fake.waitFor(
      (p) => p.thread_ts === handoff.deskRef?.ts && /sent the suggested reply/.test(p.text ?? ''),
    );
    expect(line.text).toContain(`<@${agent.id}> sent the suggested reply:\n>Sorry about that!`);
  });

  it('Dismiss hands the engine the suggestion to put away', async () => {
    await click('suggestion_dismiss');
    await eventually(() => desk.calls[0], 'the dismissal');
    expect(desk.calls).toEqual([{ method: 'dismissSuggestion', args: [7, 3, agent] }]);
  });

  it('Edit opens a prefilled modal; its submission sends the edited text', async () => {
    const before = fake.views.length;
    await click('suggestion_edit');
    const opened = await fake.waitForView((v) => fake.views.indexOf(v) >= before);
    const input = (opened.view.blocks as Array<{ element?: unknown }>)[0];
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'suggestion_edit_modal' });
    expect(input?.element).toMatchObject({
      type: 'plain_text_input',
      multiline: true,
      initial_value: CARD.suggestion?.text,
    });
    expect(desk.calls).toEqual([]);

    const submit = (text: string) =>
      fake.socket.sendInteractive(
        buildViewSubmission(opened, { suggestion_text: { text } }, { userId: agent.id }),
      );
    // An empty box keeps the modal open with a reason, and sends nothing.
    const empty = await submit('   ');
    expect(empty.payload).toMatchObject({
      response_action: 'errors',
      errors: { suggestion_text: 'Write a reply, or cancel.' },
    });
    expect(desk.calls).toEqual([]);

    const ack = await submit('Update to **3.2.2** please, it fixes Settings.');
    expect(ack.payload ?? {}).not.toHaveProperty('response_action');
    await eventually(() => desk.calls[0], 'the edited send');
    expect(desk.calls).toEqual([
      {
        method: 'sendSuggestion',
        args: [7, 3, agent, 'Update to **3.2.2** please, it fixes Settings.'],
      },
    ]);
    await fake.waitFor((p) => /sent an edited version/.test(p.text ?? ''));
  });

  it('a submission for a suggestion that is no longer current stays in the modal, unsent', async () => {
    const before = fake.views.length;
    await click('suggestion_edit');
    const opened = await fake.waitForView((v) => fake.views.indexOf(v) >= before);
    desk.cards.set(7, { ...CARD, suggestion: { ...(CARD.suggestion as Suggestion), id: 4 } });
    const ack = await fake.socket.sendInteractive(
      buildViewSubmission(opened, { suggestion_text: { text: 'Hello' } }),
    );
    expect(ack.payload).toMatchObject({
      response_action: 'errors',
      errors: { suggestion_text: expect.stringMatching(/no longer the current one/) },
    });
    expect(desk.calls).toEqual([]);
  });

  it('tells the clicker when the engine refuses, and refuses people outside the agent channel', async () => {
    desk.result = { ok: false, reason: 'stale' };
    await click('suggestion_send');
    await told('no longer the current one; nothing was sent');
    expect(
      fake.posts.some((p) => /sent the suggested reply/.test(p.text ?? '') && p.at > card.at),
    ).toBe(false);

    desk.calls.length = 0;
    await click('suggestion_send', OUTSIDER);
    await told(`Only members of <#${fake.ids.agentChannel}> can send replies.`);
    await click('suggestion_edit', OUTSIDER);
    await click('suggestion_dismiss', OUTSIDER);
    await told(`Only members of <#${fake.ids.agentChannel}> can dismiss suggestions.`);
    expect(desk.calls).toEqual([]);

    // A value that names no suggestion does nothing at all.
    await click('suggestion_send', agent.id, 'suggestion_x');
    await new Promise((r) => setTimeout(r, 100));
    expect(desk.calls).toEqual([]);
  });

  describe('a customer choosing with buttons', () => {
    const choices = ['1', '2', '3', '4', '5'].map((label) => ({
      label,
      value: `rate.${label}.signed-by-the-engine`,
    }));

    const press = (post: RecordedMessage, index: number, threadTs?: string) =>
      buildBlockActions({
        actionId: `switchboard_choice_${index}`,
        value: choices[index]?.value as string,
        label: choices[index]?.label as string,
        blockId: 'switchboard_choices',
        userId: fake.ids.customerId,
        channelId: post.channel,
        messageTs: post.ts,
        messageText: post.text as string,
        blocks: post.blocks as unknown[],
        responseUrl: fake.responseUrl(),
        ...(threadTs ? { threadTs } : {}),
      });

    it('renders the buttons under the text, hands a press to the engine once, then shows the choice', async () => {
      const text = 'How did we do? Tap a number from 1 (poor) to 5 (great), or reply with one.';
      await adapter.send('slack:D07DMCUST01', { text, from: 'system', choices });
      const post = await fake.waitFor((p) => p.channel === fake.ids.customerDm && p.text === text);
      expect(buttonsOf(post)).toEqual([0, 1, 2, 3, 4].map((i) => `switchboard_choice_${i}`));
      type Button = { text: { text: string }; value: string };
      const actions = (post.blocks as Array<{ elements?: Button[] }>).at(-1);
      expect(actions?.elements?.map((e) => [e.text.text, e.value])).toEqual(
        choices.map((c) => [c.label, c.value]),
      );

      const payload = press(post, 3);
      const ack = await fake.socket.sendInteractive(payload);
      expect(ack.ackMs).toBeLessThan(1000);
      const chosen = await eventually(() => handled.find((m) => m.choice), 'the press');
      expect(chosen).toMatchObject({
        platform: 'slack',
        conversationId: 'slack:D07DMCUST01',
        author: { id: fake.ids.customerId, name: 'dana' },
        text: '4',
        choice: choices[3]?.value,
      });
      const updated = await fake.waitForUpdate((u) => u.ts === post.ts);
      expect(buttonsOf(updated)).toEqual([]);
      expect(textOf(updated)).toContain('You chose *4*');
      expect(textOf(updated)).toContain('How did we do?');

      // Slack delivers the same press again: same id, so the engine drops it; nothing changes.
      await fake.socket.sendInteractive(payload, { retryAttempt: 1, retryReason: 'timeout' });
      await eventually(
        () => (handled.filter((m) => m.choice).length === 2 ? true : undefined),
        'the retried press',
      );
      const presses = handled.filter((m) => m.choice);
      expect(presses[1]?.messageId).toBe(presses[0]?.messageId);
      expect(fake.updates.filter((u) => u.ts === post.ts)).toHaveLength(1);
    });

    it("answers a press in a mention's thread in that thread's conversation", async () => {
      const threadTs = '1717000100.000200';
      const text = 'Rate this conversation from 1 to 5.';
      await adapter.send(`slack:${fake.ids.communityChannel}:${threadTs}`, {
        text,
        from: 'system',
        choices,
      });
      const post = await fake.waitFor((p) => p.text === text);
      expect(post.thread_ts).toBe(threadTs);
      const before = handled.length;
      await fake.socket.sendInteractive(press(post, 0, threadTs));
      const chosen = await eventually(() => handled[before], 'the press');
      expect(chosen).toMatchObject({
        conversationId: `slack:${fake.ids.communityChannel}:${threadTs}`,
        text: '1',
        choice: choices[0]?.value,
      });
    });
  });
});
