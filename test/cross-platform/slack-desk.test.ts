import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { privateMessage } from '../contract/telegram.ts';
import type { DiscordFake } from '../fakes/discord/index.ts';
import {
  buildBlockActions,
  buildThreadReply,
  type FakeSlack,
  type RecordedMessage,
} from '../fakes/slack/index.ts';
import type { TelegramFake } from '../fakes/telegram/index.ts';
import { buttonsOf, eventually, textOf } from '../slack/helpers.ts';
import { type AllPlatforms, startAllPlatforms } from './world.ts';

const MAYA = 5123409877;

/**
 * Issue 5's cross-platform story: customers on Telegram and Discord ask for a person, and
 * agents work the handoff from the Slack agent channel (Socket Mode), with all three
 * platforms' fakes and the real app running together.
 */
describe('a Slack agent desk serving Telegram and Discord customers', () => {
  let slack: FakeSlack;
  let telegram: TelegramFake;
  let discord: DiscordFake;
  let sb: Switchboard;
  let world: AllPlatforms | undefined;

  beforeAll(async () => {
    world = await startAllPlatforms();
    ({ slack, telegram, discord, sb } = world);
  });
  afterAll(() => world?.stop());

  /** Resolves with the Slack agent-channel post for the conversation's handoff. */
  async function handoffPost(conversationId: string) {
    const handoff = await eventually(() => {
      const h = sb.store.handoffs.latestFor(conversationId);
      return h?.deskRef ? h : undefined;
    }, `the handoff of ${conversationId}`);
    const post = await slack.waitFor((p) => p.ts === handoff.deskRef?.ts);
    return { post, value: `handoff_${handoff.id}` };
  }

  /** An agent in the channel clicks a button on the post, over Socket Mode. */
  async function click(post: RecordedMessage, value: string, actionId?: string) {
    const payload = buildBlockActions({
      value,
      ...(actionId ? { actionId } : {}),
      messageTs: post.ts,
      userId: slack.ids.agentId,
      responseUrl: slack.responseUrl(),
    });
    await slack.socket.sendInteractive(payload);
  }

  async function claim(post: RecordedMessage, value: string) {
    await click(post, value);
    await slack.waitForUpdate((u) => u.ts === post.ts && textOf(u).includes('Claimed by'));
  }

  /** The agent writes in the post's thread, as a Slack `message` event (text as Slack escapes it). */
  async function agentReplies(post: RecordedMessage, text: string) {
    await slack.socket.sendEvent(
      buildThreadReply({ thread_ts: post.ts, user: slack.ids.agentId, text }),
    );
  }

  const inThread = (post: RecordedMessage, needle: string) =>
    slack.waitFor((p) => p.thread_ts === post.ts && textOf(p).includes(needle));

  it('hands a Telegram customer to Slack and relays both ways until resolved', async () => {
    const conversationId = `telegram:${MAYA}`;
    telegram.pushUpdate(privateMessage('I want to talk to a person', MAYA, 20));

    const { post, value } = await handoffPost(conversationId);
    expect(post.channel).toBe(slack.ids.agentChannel);
    expect(textOf(post)).toContain('(Telegram)');
    expect(textOf(post)).toContain('I want to talk to a person');
    expect(buttonsOf(post)).toEqual(['handoff_claim', 'handoff_resolve']);

    await claim(post, value);
    await telegram.waitFor((s) => s.chatId === MAYA && /has joined/.test(s.text));

    await agentReplies(post, '*Order 4471* ships today &amp; costs &lt; $5');
    const reply = await telegram.waitFor((s) => s.chatId === MAYA && /Order 4471/.test(s.text));
    expect(reply.parseMode).toBe('HTML');
    expect(reply.text).toBe('alex.agent (support)\nOrder 4471 ships today & costs < $5');
    expect(reply.rawText).toBe(
      '<b>alex.agent</b> (support)\n<b>Order 4471</b> ships today &amp; costs &lt; $5',
    );

    telegram.pushUpdate(privateMessage('Great, thanks!', MAYA, 21));
    const relayed = await inThread(post, 'Great, thanks!');
    expect(relayed).toMatchObject({
      channel: slack.ids.agentChannel,
      text: '*Maya:* Great, thanks!',
    });
    // No "typing…": the bot's own answer came faster than the indicator's delay, and a
    // person's replies are never announced by it.
    const typing = telegram.methods.chatActions.items.filter(
      (a) => a.chatId === MAYA && a.action === 'typing',
    );
    expect(typing).toHaveLength(0);

    await click(post, value, 'handoff_resolve');
    await telegram.waitFor((s) => s.chatId === MAYA && /resolved/i.test(s.text));
    expect(sb.store.handoffs.latestFor(conversationId)?.status).toBe('resolved');
  });

  it('hands a Discord DM customer to Slack and relays both ways', async () => {
    const dm = discord.sendMessageCreate({ content: 'I want to talk to a person', dm: true });
    const conversationId = `discord:dm:${dm.channel_id}`;

    const { post, value } = await handoffPost(conversationId);
    expect(textOf(post)).toContain('(Discord)');

    await claim(post, value);
    await agentReplies(post, 'Run `acme reset` and tell me what it *says*');
    const reply = await discord.waitFor(
      (s) => s.channelId === dm.channel_id && /acme reset/.test(s.body.content ?? ''),
    );
    expect(reply.dm).toBe(true);
    expect(reply.body.content).toMatch(/\nRun `acme reset` and tell me what it \*\*says\*\*$/);

    discord.sendMessageCreate({ content: 'It says done', channel_id: dm.channel_id, dm: true });
    await inThread(post, 'It says done');
  });
});
