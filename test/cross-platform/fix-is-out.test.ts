/**
 * "The fix is out", through the whole app: customers on Telegram, Discord and Slack report
 * the same crash, the tickets gather in one cluster, and a developer resolves it, either
 * with the digest's Mark fixed button in Slack (issue 4) or through the admin API
 * (issue 3). Every reporter is told on the platform they wrote from (issue 5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { privateMessage } from '../contract/telegram.ts';
import type { DiscordFake } from '../fakes/discord/index.ts';
import {
  buildBlockActions,
  buildDirectMessage,
  type FakeSlack,
  type RecordedMessage,
} from '../fakes/slack/index.ts';
import { readTelegramFixture, type TelegramFake } from '../fakes/telegram/index.ts';
import { eventually, textOf } from '../slack/helpers.ts';
import { type AllPlatforms, startAllPlatforms } from './world.ts';

const DIGEST_CHANNEL = 'C07DIGEST01';
const TICKET = /T-\d{4}/;
const FIX_IS_OUT = /The fix for the problem you reported \(T-\d{4}\) is out/;

interface ClusterJson {
  id: number;
  status: string;
  reports: number;
  platforms: string[];
}

describe('the fix is out, told on every platform', () => {
  let slack: FakeSlack;
  let telegram: TelegramFake;
  let discord: DiscordFake;
  let sb: Switchboard;
  let world: AllPlatforms | undefined;

  beforeAll(async () => {
    // The digest every second, so the test sees one soon after the reports arrive.
    world = await startAllPlatforms(
      { SLACK_DIGEST_CHANNEL: DIGEST_CHANNEL, DIGEST_CRON: '* * * * * *' },
      (fake) =>
        fake.addChannel({
          id: DIGEST_CHANNEL,
          name: 'dev-digest',
          members: [fake.ids.botUserId, fake.ids.agentId],
        }),
    );
    ({ slack, telegram, discord, sb } = world);
  });
  afterAll(() => world?.stop());

  const api = async <T>(path: string, init: RequestInit = {}) => {
    const res = await fetch(`${sb.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  /** The open cluster holding the conversation's ticket. */
  const clusterOf = (conversationId: string) =>
    eventually(() => {
      const row = sb.store.db
        .prepare('SELECT cluster_id AS id FROM tickets WHERE conversation_id = ?')
        .get(conversationId) as { id: number | null } | undefined;
      return row?.id ?? undefined;
    }, `the cluster of ${conversationId}`);

  it('resolves a cluster from the Slack digest and tells the Telegram, Discord and Slack reporters', async () => {
    const maya = 5_123_409_001;
    telegram.pushUpdate(
      privateMessage(
        'The app dies when I open settings, on my iPhone 14 with iOS 17 and app version 3.2.1',
        maya,
        1,
      ),
    );
    await telegram.waitFor((s) => s.chatId === maya && TICKET.test(s.text));

    const mention = discord.sendMessageCreate({
      content: `<@${discord.world.bot.id}> The app crashes whenever I tap Settings on my Pixel 7 with Android 14, version 3.2.0`,
    });
    await discord.waitFor((s) => s.channelId === mention.id && TICKET.test(s.body.content ?? ''));

    await slack.socket.sendEvent(
      buildDirectMessage({
        text: 'Settings screen closes the app on my Samsung Galaxy S23 with Android 13, app version 3.2.1, every single time',
      }),
    );
    await slack.waitFor((p) => p.channel === slack.ids.customerDm && TICKET.test(p.text ?? ''));

    const clusterId = await clusterOf(`telegram:${maya}`);
    expect(await clusterOf(`discord:${mention.id}`)).toBe(clusterId);
    expect(await clusterOf(`slack:${slack.ids.customerDm}`)).toBe(clusterId);
    const before = await api<{ cluster: ClusterJson }>(`/clusters/${clusterId}`);
    expect(before.body.cluster).toMatchObject({ status: 'open', reports: 3 });
    expect(before.body.cluster.platforms.sort()).toEqual(['discord', 'slack', 'telegram']);

    // The scheduled digest reaches the digest channel with a Mark fixed button on the cluster.
    const value = `cluster_${clusterId}`;
    const post: RecordedMessage = await slack.waitFor(
      (p) => p.channel === DIGEST_CHANNEL && textOf(p).includes(`"value":"${value}"`),
      10_000,
    );
    const click = buildBlockActions({
      actionId: 'cluster_mark_fixed',
      value,
      userId: slack.ids.agentId,
      channelId: DIGEST_CHANNEL,
      messageTs: post.ts,
      responseUrl: slack.responseUrl(),
      blocks: post.blocks ?? [],
    });
    await slack.socket.sendInteractive(click);

    const told = await telegram.waitFor((s) => s.chatId === maya && FIX_IS_OUT.test(s.text));
    expect(told.text).toMatch(/if it still happens, just reply here/);
    await discord.waitFor(
      (s) => s.channelId === mention.id && FIX_IS_OUT.test(s.body.content ?? ''),
    );
    await slack.waitFor((p) => p.channel === slack.ids.customerDm && FIX_IS_OUT.test(p.text ?? ''));
    const updated = await slack.waitForUpdate((u) => u.ts === post.ts);
    expect(textOf(updated)).toContain(`Marked fixed by <@${slack.ids.agentId}>`);
    const answer = await slack.state.waitUntil(
      () => slack.responses.find((r) => String(r.body.text).startsWith(`Cluster ${clusterId}`)),
      5_000,
      'the confirmation to the developer',
    );
    expect(answer.body.text).toBe(
      `Cluster ${clusterId} is marked fixed; 3 of 3 reporters were told.`,
    );

    const after = await api<{ cluster: ClusterJson }>(`/clusters/${clusterId}`);
    expect(after.body.cluster.status).toBe('resolved');
    // Told once: the desk's own notice is not doubled by the cluster's.
    const tellings = () =>
      telegram.sent.filter((s) => s.chatId === maya && FIX_IS_OUT.test(s.text)).length;
    expect(tellings()).toBe(1);
  });

  it('resolves a cluster through the API and tells a Telegram group member and a Discord DM', async () => {
    const base = readTelegramFixture('group-mention.json');
    const group = base.message as NonNullable<typeof base.message>;
    telegram.pushUpdate({
      message: {
        ...group,
        message_id: 2001,
        text: '@switchboard_support_bot since the update the product photo upload fails with error 500 in Chrome 120 on Windows 11, every time',
      },
    });
    const groupTicket = await telegram.waitFor(
      (s) => s.chatId === group.chat.id && TICKET.test(s.text),
    );
    expect(groupTicket.replyToMessageId).toBe(2001);

    const dm = discord.sendMessageCreate({
      content:
        'Uploading a product photo fails with error 500 since the update, Firefox 121 on macOS 14, every single time',
      dm: true,
    });
    await discord.waitFor(
      (s) => s.channelId === dm.channel_id && TICKET.test(s.body.content ?? ''),
    );

    const groupConversation = `telegram:${group.chat.id}:${group.from?.id}`;
    const clusterId = await clusterOf(groupConversation);
    expect(await clusterOf(`discord:dm:${dm.channel_id}`)).toBe(clusterId);

    const resolved = await api<{ notified: number; reporters: number }>(
      `/clusters/${clusterId}/resolve`,
      { method: 'POST', body: JSON.stringify({ resolution: 'Fixed in 3.2.2' }) },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ reporters: 2, notified: 2 });

    const inGroup = await telegram.waitFor(
      (s) => s.chatId === group.chat.id && FIX_IS_OUT.test(s.text),
    );
    expect(inGroup.text).toContain('Fixed in 3.2.2');
    const inDm = await discord.waitFor(
      (s) => s.channelId === dm.channel_id && FIX_IS_OUT.test(s.body.content ?? ''),
    );
    expect(inDm.dm).toBe(true);
  });
});
