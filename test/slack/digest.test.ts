import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type MarkFixed, type SlackAdapter } from '../../bots/slack/index.ts';
import { createLogger } from '../../src/log.ts';
import type { DeskActions, Digest, DigestEntry } from '../../src/types/index.ts';
import { buildBlockActions, type FakeSlack, startFakeSlack } from '../fakes/slack/index.ts';
import { webClient } from '../helpers/switchboard.ts';
import { buttonsOf, eventually, type SlackMode, startSlackWorld, textOf } from './helpers.ts';

const DIGEST_CHANNEL = 'C07DIGEST01';
const DEVELOPER = 'U07DEV00001';

function entry(rank: number, clusterId: number, title: string): DigestEntry {
  return {
    rank,
    clusterId,
    title,
    productArea: 'Mobile app',
    trend: rank === 1 ? 'new' : 'rising',
    urgency: 'urgent',
    impact: 14.2,
    reports: 9,
    uniqueReporters: 7,
    previousReports: 2,
    platforms: ['discord', 'slack', 'web'],
    priorityMix: { low: 0, medium: 3, high: 5, critical: 1 },
    quotes: ['since the update none of my photos upload', 'sync spinner forever on [email]'],
    ticketIds: [42, 43],
    ticketRefs: ['T-1042', 'T-1043'],
    environment: {
      appVersions: { '3.2.1': 4, '3.2.0': 1 },
      os: { iOS: 3, Android: 2 },
      devices: {},
      browsers: {},
    },
    sinceVersion: '3.2.1',
  };
}

const digest: Digest = {
  id: 31,
  since: '2025-03-13T09:00:00.000Z',
  until: '2025-03-14T09:00:00.000Z',
  generatedAt: '2025-03-14T09:00:02.000Z',
  activeClusters: 5,
  entries: [entry(1, 7, 'Photo sync stops after update'), entry(2, 9, 'Checkout <script> fails')],
};

/** The digest and Mark fixed through the real Bolt app (Socket Mode) against the fake. */
describe('the digest in Slack', () => {
  let fake: FakeSlack;
  let slack: SlackAdapter;
  const fixed: Array<{ clusterId: number; actor: string }> = [];
  const markFixed: MarkFixed = async (clusterId, actor) => {
    if (clusterId === 9) throw new Error('cluster 9 is already resolved');
    fixed.push({ clusterId, actor: actor.id });
    return { reporters: 7, notified: 6 };
  };

  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.addUser({ id: DEVELOPER, name: 'devi', real_name: 'Devi Developer' });
    fake.addChannel({
      id: DIGEST_CHANNEL,
      name: 'dev-digest',
      members: [fake.ids.botUserId, DEVELOPER],
    });
    slack = createSlackAdapter({
      botToken: fake.botToken,
      appToken: fake.appToken,
      digestChannel: DIGEST_CHANNEL,
      apiUrl: fake.apiUrl,
      slaMinutes: 15,
      logger: createLogger('silent'),
      deskActions: () => ({}) as DeskActions,
      markFixed,
      retryConfig: { retries: 0 },
    });
    await slack.start({ handle: async () => true, conversation: () => undefined });
  });
  afterAll(async () => {
    await slack?.stop();
    await fake?.close();
  });

  it('posts the digest as Block Kit with a Mark fixed button per cluster', async () => {
    await slack.desk.postDigest?.(digest);
    const post = await fake.waitFor((p) => p.channel === DIGEST_CHANNEL);
    const shown = textOf(post);
    expect(shown).toContain('Support digest');
    expect(shown).toContain('2025-03-13 09:00 → 2025-03-14 09:00 UTC');
    expect(shown).toContain('*1. Photo sync stops after update*');
    expect(shown).toContain('9 reports from 7 people');
    expect(shown).toContain('3.2.1 ×4, 3.2.0 ×1 (since 3.2.1) · iOS ×3, Android ×2');
    expect(shown).toContain('T-1042, T-1043 and 7 more');
    expect(shown).toContain('Checkout &lt;script&gt; fails');
    expect(buttonsOf(post)).toEqual(['cluster_mark_fixed', 'cluster_mark_fixed']);
  });

  it('marks a cluster fixed from its button, updates the post and tells the developer', async () => {
    const post = await fake.waitFor((p) => p.channel === DIGEST_CHANNEL);
    const click = buildBlockActions({
      actionId: 'cluster_mark_fixed',
      value: 'cluster_7',
      userId: DEVELOPER,
      channelId: DIGEST_CHANNEL,
      messageTs: post.ts,
      responseUrl: fake.responseUrl(),
    });
    click.message.blocks = post.blocks as typeof click.message.blocks;
    const ack = await fake.socket.sendInteractive(click);
    expect(ack.ackMs).toBeLessThan(1000);
    const updated = await fake.waitForUpdate((u) => u.ts === post.ts);
    expect(textOf(updated)).toContain(`Marked fixed by <@${DEVELOPER}>`);
    expect(textOf(updated)).not.toContain('"value":"cluster_7"');
    expect(textOf(updated)).toContain('"value":"cluster_9"');
    expect(fixed).toEqual([{ clusterId: 7, actor: DEVELOPER }]);
    const told = await fake.state.waitUntil(() => fake.responses[0], 5000, 'the confirmation');
    expect(told.body.text).toBe('Cluster 7 is marked fixed; 6 of 7 reporters were told.');
  });

  it('explains a refusal, and refuses people outside the digest channel', async () => {
    const post = await fake.waitFor((p) => p.channel === DIGEST_CHANNEL);
    const click = (userId: string) =>
      fake.socket.sendInteractive(
        buildBlockActions({
          actionId: 'cluster_mark_fixed',
          value: 'cluster_9',
          userId,
          channelId: DIGEST_CHANNEL,
          messageTs: post.ts,
          responseUrl: fake.responseUrl(),
        }),
      );
    const before = fake.responses.length;
    await click(DEVELOPER);
    await click(fake.ids.customerId);
    await fake.state.waitUntil(() => fake.responses[before + 1], 5000, 'two answers');
    const texts = fake.responses.slice(before).map((r) => String(r.body.text));
    expect(texts).toContain('Cluster 9 could not be marked fixed: cluster 9 is already resolved');
    expect(texts).toContain(`Only members of <#${DIGEST_CHANNEL}> can mark clusters fixed.`);
    expect(fixed).toHaveLength(1);
  });
});

describe.each<SlackMode>(['http', 'socket'])(
  'the scheduled digest, through the app (%s mode)',
  (mode) => {
    it('is posted to SLACK_DIGEST_CHANNEL, and Mark fixed tells the reporter the fix is out', async () => {
      const world = await startSlackWorld(mode, {
        SLACK_DIGEST_CHANNEL: DIGEST_CHANNEL,
        DIGEST_CRON: '* * * * * *',
      });
      try {
        const { fake, sb } = world;
        fake.addChannel({
          id: DIGEST_CHANNEL,
          name: 'dev-digest',
          members: [fake.ids.botUserId, fake.ids.agentId],
        });
        const web = webClient(sb.url);
        const { body } = await web.send(
          'Checkout fails with error 500 when I pay by card in Chrome 120 on Windows 11, every time',
        );
        await sb.engine.idle();
        const ticket = sb.store.tickets
          .list()
          .find((t) => t.conversationId === body.conversationId);
        const value = `cluster_${ticket?.clusterId}`;
        const post = await fake.waitFor(
          (p) => p.channel === DIGEST_CHANNEL && textOf(p).includes(`"value":"${value}"`),
          5000,
        );
        expect(textOf(post)).toContain('Support digest');
        expect(sb.store.digests.list(1, 0).total).toBeGreaterThan(0);

        const ackMs = await world.click({
          actionId: 'cluster_mark_fixed',
          value,
          userId: fake.ids.agentId,
          channelId: DIGEST_CHANNEL,
          messageTs: post.ts,
          blocks: post.blocks ?? [],
        });
        expect(ackMs).toBeLessThan(1000);
        const told = await eventually(async () => {
          const { messages } = await web.messages(body.conversationId);
          return messages.find((m) => m.role === 'system' && /fix .* is out/.test(m.text));
        }, 'the fix-is-out message in the web chat');
        expect(told.text).toContain(ticket?.ref);
        const updated = await fake.waitForUpdate((u) => u.ts === post.ts);
        expect(textOf(updated)).toContain(`Marked fixed by <@${fake.ids.agentId}>`);
        expect(sb.store.clusterViews.get(ticket?.clusterId as number)?.status).toBe('resolved');
      } finally {
        await world.stop();
      }
    });
  },
);
