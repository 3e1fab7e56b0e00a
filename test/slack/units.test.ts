import { LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestPosts, handoffPost, markFixedInBlocks } from '../../bots/slack/blocks.ts';
import { SlackApiError, SlackNetworkError, toSlackError } from '../../bots/slack/errors.ts';
import { fromMrkdwn, splitMessage, toMrkdwn } from '../../bots/slack/format.ts';
import {
  clusterValue,
  editModalRef,
  handoffPostRef,
  handoffValue,
  slackChoiceId,
  slackConversationId,
  suggestionValue,
} from '../../bots/slack/ids.ts';
import { type RouteContext, routeMention, routeMessage } from '../../bots/slack/inbound.ts';
import type { Digest, Handoff } from '../../src/types/index.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/slack/index.ts';
import appMention from '../fixtures/slack/app_mention.json' with { type: 'json' };
import threadReply from '../fixtures/slack/message.channels-thread-reply.json' with {
  type: 'json',
};
import messageIm from '../fixtures/slack/message.im.json' with { type: 'json' };

describe('Slack ids', () => {
  it('round-trips DM and thread conversation ids', () => {
    for (const ref of [
      { channel: 'D07DMCUST01' },
      { channel: 'C07COMMUNITY', threadTs: '1717000100.000200' },
    ]) {
      const id = slackConversationId.encode(ref);
      expect(slackConversationId.decode(id)).toEqual(ref);
    }
    expect(slackConversationId.encode({ channel: 'C1AB', threadTs: '1.2' })).toBe('slack:C1AB:1.2');
    for (const bad of [
      'discord:C1AB',
      'slack:',
      'slack:C1AB:notats',
      'slack:C1AB:1.2:3',
      'slack:x1',
    ]) {
      expect(slackConversationId.decode(bad)).toBeUndefined();
    }
  });

  it('round-trips button values and desk refs', () => {
    expect(handoffValue.decode(handoffValue.encode(42))).toBe(42);
    expect(clusterValue.decode(clusterValue.encode(7))).toBe(7);
    expect(handoffValue.decode('cluster_7')).toBeUndefined();
    const ref = {
      channel: 'C07AGENTS01',
      ts: '1.000001',
      shown: 12,
      reminders: ['2.000001', '3.000001'],
    };
    expect(handoffPostRef.decode(handoffPostRef.encode(ref))).toEqual(ref);
    expect(handoffPostRef.decode({ desk: 'web' })).toBeUndefined();
    expect(handoffPostRef.decode(null)).toBeUndefined();
  });

  it('round-trips the agent card button values and the edit modal metadata', () => {
    const ref = { handoffId: 12, suggestionId: 345 };
    expect(suggestionValue.encode(ref)).toBe('suggestion_12_345');
    expect(suggestionValue.decode(suggestionValue.encode(ref))).toEqual(ref);
    for (const bad of [
      'suggestion_12',
      'handoff_12',
      'suggestion_1_2_3',
      'suggestion_x_1',
      undefined,
    ]) {
      expect(suggestionValue.decode(bad)).toBeUndefined();
    }
    const modal = { ...ref, channel: 'C07AGENTS01', threadTs: '1717000200.000300' };
    expect(editModalRef.decode(editModalRef.encode(modal))).toEqual(modal);
    for (const bad of ['', 'not json', '[1,2,"C1","x"]', '["1",2,"C1","1.2"]', '{}']) {
      expect(editModalRef.decode(bad)).toBeUndefined();
    }
    // A press's id: the same press (same action_ts) gives the same id, another press another.
    expect(slackChoiceId('D07DMCUST01', '1.000001', '2.000002')).toBe(
      slackChoiceId('D07DMCUST01', '1.000001', '2.000002'),
    );
    expect(slackChoiceId('D07DMCUST01', '1.000001', '2.000003')).not.toBe(
      slackChoiceId('D07DMCUST01', '1.000001', '2.000002'),
    );
  });
});

describe('Slack formatting', () => {
  it('turns Markdown into mrkdwn and escapes control characters', () => {
    expect(
      toMrkdwn('**Reset** it at [Settings](https://example.com/a?b=1&c=2) <now> & *soon*'),
    ).toBe('*Reset* it at <https://example.com/a?b=1&c=2|Settings> &lt;now&gt; &amp; _soon_');
    expect(toMrkdwn('# Title\n- item with `a<b>` code')).toBe(
      '*Title*\n- item with `a&lt;b&gt;` code',
    );
  });

  it('turns what an agent typed back into Markdown for the customer', () => {
    const typed = '*Hi* <@U07AGNT0001>, see <https://x.io/a|the docs> &amp; <https://y.io> &lt;3';
    expect(fromMrkdwn(typed, () => 'Alex')).toBe(
      '**Hi** @Alex, see [the docs](https://x.io/a) & https://y.io <3',
    );
  });

  it('splits long text at paragraph and word boundaries under the limit', () => {
    const text = `${'word '.repeat(900)}\n\n${'more '.repeat(900)}`;
    const pieces = splitMessage(text, 4000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(4000);
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(text.trim().replace(/\s+/g, ' '));
    expect(splitMessage('x'.repeat(9000), 4000).join('')).toBe('x'.repeat(9000));
  });

  it('closes and reopens a code block that a split cuts in two', () => {
    const code = Array.from({ length: 400 }, (_, i) => `const line_${i} = ${i};`).join('\n');
    const pieces = splitMessage(`Run this:\n\n\`\`\`\n${code}\n\`\`\`\n\nDone.`, 4000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(4000);
      expect(p.split('```').length % 2).toBe(1);
    }
    expect(pieces.at(-1)).toMatch(/Done\.$/);
  });
});

describe('Slack inbound routing', () => {
  const ctx: RouteContext = {
    botUserId: 'U07SWBOT01',
    agentChannel: 'C07AGENTS01',
    isKnownConversation: (id) => id === 'slack:C07COMMUNITY:1717000100.000200',
  };

  it('routes a DM, a mention and a follow-up in a known thread to the customer side', () => {
    expect(routeMessage(messageIm.event, ctx)).toEqual({
      kind: 'customer',
      conversationId: 'slack:D07DMCUST01',
      messageId: 'D07DMCUST01:1717000000.000100',
      userId: 'U07CUST0001',
      text: 'Hi, my export to CSV keeps failing with error 500',
    });
    expect(routeMention(appMention.event, ctx)).toMatchObject({
      kind: 'customer',
      conversationId: 'slack:C07COMMUNITY:1717000100.000200',
      text: 'how do I rotate my API key?',
    });
    const followUp = {
      ...appMention.event,
      type: 'message',
      ts: '1717000101.000000',
      thread_ts: '1717000100.000200',
    };
    expect(routeMessage(followUp, ctx)).toMatchObject({
      kind: 'customer',
      messageId: 'C07COMMUNITY:1717000101.000000',
    });
  });

  it('routes agent thread replies to the desk and ignores the rest', () => {
    const broadcast = { ...threadReply.event, subtype: 'thread_broadcast' };
    expect(routeMessage(broadcast, ctx)).toMatchObject({
      kind: 'agent',
      text: threadReply.event.text,
    });
    expect(routeMessage(threadReply.event, ctx)).toMatchObject({
      kind: 'agent',
      threadTs: '1717000200.000300',
    });
    const ignored = [
      { ...threadReply.event, thread_ts: undefined },
      { ...messageIm.event, bot_id: 'B1' },
      { ...messageIm.event, subtype: 'message_changed' },
      { ...messageIm.event, user: 'U07SWBOT01' },
      { ...appMention.event, type: 'message' },
    ];
    for (const e of ignored) expect(routeMessage(e, ctx).kind).toBe('ignore');
    expect(routeMention({ ...appMention.event, channel: 'C07AGENTS01' }, ctx).kind).toBe('ignore');
  });
});

const handoff: Handoff = {
  id: 3,
  conversationId: 'discord:1:2',
  platform: 'discord',
  customerName: 'Mara <!channel>',
  status: 'open',
  summary: 'Wants a refund & an apology',
  classification: {
    state: 'ESCALATE_HUMAN',
    kind: 'billing',
    category: 'billing',
    priority: 'high',
    sentiment: 'angry',
    summary: 'Wants a refund',
    tags: [],
    productArea: null,
    confidence: 0.8,
  },
  agentId: null,
  agentName: null,
  deskRef: null,
  deskError: null,
  announceCount: 0,
  createdAt: 0,
  announcedAt: null,
  claimedAt: null,
  resolvedAt: null,
};

describe('Slack Block Kit', () => {
  it('shows the handoff with escaped customer text and the buttons its status allows', () => {
    const open = handoffPost(handoff, []);
    const json = JSON.stringify(open.blocks);
    expect(json).toContain('Mara &lt;!channel&gt; (Discord)');
    expect(json).toContain('Wants a refund &amp; an apology');
    expect(json).toContain('Priority: *high*');
    expect(json).toContain('handoff_claim');
    const claimed = JSON.stringify(
      handoffPost({ ...handoff, status: 'claimed', agentId: 'U07AGNT0001', agentName: 'Alex' }, [])
        .blocks,
    );
    expect(claimed).toContain('Claimed by <@U07AGNT0001>');
    expect(claimed).not.toContain('handoff_claim');
    expect(
      JSON.stringify(handoffPost({ ...handoff, status: 'resolved' }, []).blocks),
    ).not.toContain('"actions"');
  });

  it('lays out a digest under the block limit and marks one cluster fixed', () => {
    const entry = (i: number) => ({
      rank: i,
      clusterId: 100 + i,
      title: `Problem ${i}`,
      productArea: 'Checkout',
      trend: 'rising' as const,
      urgency: 'urgent',
      impact: 3.5,
      reports: 4,
      uniqueReporters: 3,
      previousReports: 1,
      platforms: ['discord', 'web'],
      priorityMix: { low: 0, medium: 2, high: 2, critical: 0 },
      quotes: ['it fails'],
      ticketIds: [1],
      ticketRefs: ['T-1001'],
      environment: {
        appVersions: { '3.2.1': 4, '3.2.0': 1 },
        os: { iOS: 3, Android: 2 },
        devices: {},
        browsers: {},
      },
      sinceVersion: '3.2.1',
    });
    const digest: Digest = {
      id: 1,
      since: '2025-03-13T09:00:00.000Z',
      until: '2025-03-14T09:00:00.000Z',
      generatedAt: '2025-03-14T09:00:00.000Z',
      activeClusters: 30,
      entries: Array.from({ length: 25 }, (_, i) => entry(i + 1)),
    };
    const posts = digestPosts(digest);
    expect(posts).toHaveLength(2);
    for (const p of posts) expect(p.blocks.length).toBeLessThanOrEqual(50);
    const first = posts[0]?.blocks ?? [];
    const fixed = JSON.stringify(markFixedInBlocks(first, 101, 'U07DEV0001'));
    expect(fixed).not.toContain('"value":"cluster_101"');
    expect(fixed).toContain('"value":"cluster_102"');
    expect(fixed).toContain('Marked fixed by <@U07DEV0001>');
    const withoutFixing = JSON.stringify(digestPosts(digest, false).map((p) => p.blocks));
    expect(withoutFixing).not.toContain('cluster_mark_fixed');
  });
});

describe('Slack error mapping', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(() => slack.close());

  it('maps refusals, rate limits and network failures to typed errors', async () => {
    const client = new webApi.WebClient(slack.botToken, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logLevel: LogLevel.ERROR,
    });
    const post = () =>
      client.chat
        .postMessage({ channel: slack.ids.agentChannel, text: 'x' })
        .catch((e: unknown) => toSlackError(e, 'chat.postMessage'));
    for (const code of ['channel_not_found', 'not_in_channel']) {
      slack.failNext('chat.postMessage', code);
      const error = await post();
      expect(error).toBeInstanceOf(SlackApiError);
      expect(error).toMatchObject({ code, method: 'chat.postMessage' });
    }
    slack.failNext('chat.postMessage', 'ratelimited', { retryAfterSec: 7 });
    expect(await post()).toMatchObject({ code: 'ratelimited', retryAfterSec: 7 });
    slack.failNext('chat.postMessage', 'drop');
    const dropped = await post();
    expect(dropped).toBeInstanceOf(SlackNetworkError);
    expect(dropped).toMatchObject({ code: 'network' });
  });
});
