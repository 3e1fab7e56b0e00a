/**
 * Issue 19's story, "the agent's side of a handoff", through the real SDKs against the fakes:
 * a Telegram customer who already has a bug ticket asks for a person; an agent claims the
 * handoff in Slack (HTTP mode, so every click is a signed request) and finds a card at the top
 * of the thread: the classification with its confidence, the ticket's cluster, the relevant
 * doc sections and a drafted reply. Send relays the draft to Telegram; Edit opens a modal
 * whose text is relayed; a forged click is refused. Resolving asks the customer for a rating
 * with Telegram inline buttons, and the press reaches the Slack thread and `GET /api/stats`.
 *
 * Each step names the piece it needs, so a missing one fails with that name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { privateMessage } from '../contract/telegram.ts';
import {
  buildBlockActions,
  buildViewSubmission,
  type FakeSlack,
  postSignedInteraction,
  type RecordedMessage,
} from '../fakes/slack/index.ts';
import type { SentTelegramMessage, TelegramFake } from '../fakes/telegram/index.ts';
import { buttonsOf, eventually, SIGNING_SECRET, textOf } from '../slack/helpers.ts';
import { type AllPlatforms, startAllPlatforms } from './world.ts';

const MAYA = 5_123_409_019;
const TOMAS = 5_123_409_020;
const TICKET = /T-\d{4}/;

/** Runs one step of the story; a failure says which piece of the feature it needed. */
async function step<T>(needs: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new Error(`${needs}: ${(error as Error).message}`, { cause: error });
  }
}

/** Text as a reader compares it: Markdown marks and spacing left out. */
const plain = (text: string) =>
  text
    .replace(/[*_`>#[\]()]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

describe("the agent's side of a handoff, from Telegram to Slack and back", () => {
  let slack: FakeSlack;
  let telegram: TelegramFake;
  let sb: Switchboard;
  let world: AllPlatforms | undefined;

  beforeAll(async () => {
    // HTTP mode: Slack's clicks are signed POSTs to /slack/events, so a forged one can be sent.
    world = await startAllPlatforms({ SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: SIGNING_SECRET });
    ({ slack, telegram, sb } = world);
  });
  afterAll(() => world?.stop());

  const events = () => `${sb.url}/slack/events`;
  /** An agent's click, signed like Slack signs it; resolves with the HTTP status. */
  const click = async (post: RecordedMessage, actionId: string, value: string) => {
    const payload = buildBlockActions({
      actionId,
      value,
      userId: slack.ids.agentId,
      messageTs: post.ts,
      ...(post.thread_ts ? { threadTs: post.thread_ts } : {}),
      responseUrl: slack.responseUrl(),
    });
    return (await postSignedInteraction(events(), payload, { signingSecret: SIGNING_SECRET }))
      .status;
  };
  const cardNow = (card: RecordedMessage) =>
    slack.updates.filter((u) => u.ts === card.ts).at(-1) ?? card;
  const suggestionOn = (post: RecordedMessage) =>
    /"value":"(suggestion_\d+_\d+)"/.exec(textOf(post))?.[1];
  const newDraft = (card: RecordedMessage, not?: string) =>
    eventually(() => {
      const value = suggestionOn(cardNow(card));
      return value && value !== not ? value : undefined;
    }, 'a drafted reply on the card');
  const toMaya = (match: (s: SentTelegramMessage) => boolean) =>
    telegram.waitFor((s) => s.chatId === MAYA && match(s));

  it('runs the story: card, Send, Edit, a forged click, and the rating', async () => {
    // Two customers report the same crash; Maya's ticket joins Tomas's cluster.
    telegram.pushUpdate(
      privateMessage(
        'Settings screen closes the app on my Pixel 7, Android 14, app version 3.2.1',
        TOMAS,
        1,
      ),
    );
    await telegram.waitFor((s) => s.chatId === TOMAS && TICKET.test(s.text));
    telegram.pushUpdate(
      privateMessage(
        'The app crashes every time I open settings on my iPhone 14 with iOS 17, version 3.2.1',
        MAYA,
        1,
      ),
    );
    const ticketed = await toMaya((s) => TICKET.test(s.text));
    const ref = TICKET.exec(ticketed.text)?.[0] as string;

    // She asks for a person; the handoff is posted to the agent channel.
    telegram.pushUpdate(
      privateMessage(
        'Also my password reset email never arrives. I want to talk to a person',
        MAYA,
        2,
      ),
    );
    const conversationId = `telegram:${MAYA}`;
    const handoff = await eventually(() => {
      const h = sb.store.handoffs.latestFor(conversationId);
      return h?.deskRef ? h : undefined;
    }, 'the handoff post');
    const post = await slack.waitFor((p) => p.ts === handoff.deskRef?.ts);
    expect(textOf(post)).toContain('Maya (Telegram)');

    // The agent claims; the card opens the thread.
    expect(await click(post, 'handoff_claim', `handoff_${handoff.id}`)).toBe(200);
    const card = await step('the engine shows the card on claim (desk.showCard)', () =>
      slack.waitFor((p) => p.thread_ts === post.ts && textOf(p).includes('Agent card')),
    );
    expect(slack.posts.find((p) => p.thread_ts === post.ts)?.ts).toBe(card.ts);
    const first = await step('the engine drafts a reply for the card', () => newDraft(card));
    const shown = textOf(cardNow(card));
    expect(shown).toContain('*Maya (Telegram)*');
    expect(shown).toMatch(
      /Category: \*[^*]+\* · Priority: \*\w+\* · Sentiment: \*\w+\* · Confidence: \*\d{1,3}%\*/,
    );
    expect(shown).toMatch(/Setup: [^"]*iPhone 14/);
    expect(shown).toMatch(new RegExp(`${ref} — one of 2 reports of \\*[^*]+\\*`));
    expect(shown).toMatch(/\*Relevant docs\*\\n• [^"]+\\n• /);
    expect(shown).toContain('Resetting your password');
    expect(shown).toContain('*Suggested reply*');
    expect(buttonsOf(cardNow(card))).toEqual([
      'suggestion_send',
      'suggestion_edit',
      'suggestion_dismiss',
    ]);

    // Send: the draft reaches Maya on Telegram, signed by the agent.
    const draft = sb.engine.desk.card(handoff.id)?.suggestion?.text as string;
    expect(await click(card, 'suggestion_send', first)).toBe(200);
    const relayed = await step('Send relays the draft to Telegram', () =>
      toMaya((s) => s.text.startsWith('alex.agent (support)')),
    );
    expect(plain(relayed.text)).toContain(plain(draft).slice(0, 60));

    // A forged click (wrong signature) is refused and does nothing.
    const telegramBefore = telegram.sent.length;
    const forged = await postSignedInteraction(
      events(),
      buildBlockActions({
        actionId: 'suggestion_send',
        value: first,
        userId: slack.ids.agentId,
        messageTs: card.ts,
        responseUrl: slack.responseUrl(),
      }),
      { signingSecret: SIGNING_SECRET, forgeSignature: true },
    );
    expect(forged.status).toBe(401);

    // Maya writes again; a new draft arrives, and the agent edits it before sending.
    telegram.pushUpdate(privateMessage('The reset link I got says it expired', MAYA, 3));
    await slack.waitFor((p) => p.thread_ts === post.ts && /reset link I got/.test(p.text ?? ''));
    const second = await step('a new customer message drafts a new suggestion', () =>
      newDraft(card, first),
    );
    expect(await click(card, 'suggestion_edit', second)).toBe(200);
    const modal = await step('Edit opens a modal (views.open)', () => slack.waitForView());
    const edited = 'Sorry about that! Request a new link: each one works for 30 minutes only.';
    const submitted = await postSignedInteraction(
      events(),
      buildViewSubmission(modal, { suggestion_text: { text: edited } }),
      { signingSecret: SIGNING_SECRET },
    );
    expect(submitted.status).toBe(200);
    const editedReply = await step('the edited reply reaches Telegram', () =>
      toMaya((s) => s.text.includes('Request a new link')),
    );
    expect(editedReply.text).toBe(`alex.agent (support)\n${edited}`);
    // Nothing reached Maya for the forged click: the only new messages are the edited reply.
    const since = telegram.sent.slice(telegramBefore).filter((s) => s.chatId === MAYA);
    expect(since.map((s) => s.text)).toEqual([editedReply.text]);

    // Resolve: Maya is asked for a rating with inline buttons, and presses 4.
    expect(await click(post, 'handoff_resolve', `handoff_${handoff.id}`)).toBe(200);
    const asked = await step('resolving asks the Telegram customer with inline buttons', () =>
      toMaya((s) => s.keyboard !== undefined),
    );
    expect(asked.keyboard?.flat().map((b) => b.text)).toEqual(['1', '2', '3', '4', '5']);
    telegram.pushUpdate(telegram.pressButton(asked, '4'));
    const note = await step('the rating reaches the Slack thread (desk.note)', () =>
      slack.waitFor((p) => p.thread_ts === post.ts && /rated this conversation/.test(p.text ?? '')),
    );
    expect(note.text).toBe('The customer rated this conversation 4/5.');

    const stats = await step('GET /api/stats has csat and suggestions', async () => {
      const res = await fetch(`${sb.url}/api/stats?days=1`, {
        headers: { authorization: `Bearer ${sb.adminToken}` },
      });
      const body = (await res.json()) as {
        totals: { csat?: Record<string, unknown>; suggestions?: Record<string, unknown> };
      };
      if (!body.totals.csat || !body.totals.suggestions) throw new Error('section missing');
      return body.totals;
    });
    expect(stats.csat).toMatchObject({ rated: 1, average: 4 });
    expect(stats.suggestions).toMatchObject({ sent: 1, edited: 1 });
  });
});
