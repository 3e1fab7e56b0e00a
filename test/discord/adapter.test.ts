import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../bots/discord/index.ts';
import { createLogger } from '../../src/log.ts';
import type { Switchboard } from '../../src/main.ts';
import type { ChannelAdapter } from '../../src/types/index.ts';
import type { ContractPlatform } from '../contract/harness.ts';
import { createDiscordFake, type DiscordFake } from '../fakes/discord/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';
import { postedIn, startDiscordAdapter } from './helpers.ts';

const ANSWER = /Source: Accounts and login › Resetting your password/;

describe('the Discord adapter through discord.js', () => {
  let sb: Switchboard;
  let fake: DiscordFake;
  let adapter: ChannelAdapter;
  let handled: ContractPlatform['handled'];
  const mention = (text: string) => `<@${fake.world.bot.id}> ${text}`;

  beforeAll(async () => {
    sb = await startTestSwitchboard();
  });
  afterAll(async () => {
    await sb?.stop();
  });
  afterEach(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  async function start(options: Parameters<typeof createDiscordFake>[0] = {}) {
    fake = await createDiscordFake(options);
    ({ adapter, handled } = await startDiscordAdapter(sb, fake));
  }

  it('answers a guild mention in a thread opened from it, and follow-ups there without a mention', async () => {
    await start();
    const question = fake.sendMessageCreate({ content: mention('How do I reset my password?') });
    const answer = await fake.waitFor(
      (s) => s.channelId === question.id && ANSWER.test(s.body.content ?? ''),
    );
    expect(answer.guildId).toBe(fake.world.guild.id);
    expect(fake.rest.threads.items).toMatchObject([
      {
        parentId: fake.world.supportChannelId,
        messageId: question.id,
        name: 'How do I reset my password?',
      },
    ]);
    // The channel itself stays clean: nothing was posted there.
    expect(postedIn(fake, fake.world.supportChannelId)).toEqual([]);
    expect(sb.store.conversations.get(`discord:${question.id}`)?.authorName).toBe(
      fake.world.customer.global_name ?? fake.world.customer.username,
    );

    const followUp = fake.sendMessageCreate({
      content: 'I want to talk to a person',
      channel_id: question.id,
    });
    await handled.waitFor((h) => h.messageId === followUp.id);
    await expect.poll(() => postedIn(fake, question.id).length).toBe(2);
    expect(postedIn(fake, question.id)[1]).toMatch(/human|person|team/i);
    expect(sb.store.handoffs.activeFor(`discord:${question.id}`)).toBeDefined();
  });

  it('ignores guild messages that do not mention it, its own echoes and other bots', async () => {
    await start();
    fake.sendMessageCreate({ content: 'just chatting about the weather' });
    const bot = {
      id: '1300000000000000001',
      username: 'OtherBot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    };
    fake.sendMessageCreate({ content: mention('ping from a bot'), author: bot });
    const marker = fake.sendMessageCreate({ content: mention('How do I reset my password?') });
    await fake.waitFor((s) => s.channelId === marker.id && ANSWER.test(s.body.content ?? ''));
    await sb.engine.idle();
    // Only the one mention reached the engine; the bot's own answer echoed back was ignored.
    expect(handled.items.map((h) => h.messageId)).toEqual([marker.id]);
    expect(fake.rest.threads.items).toHaveLength(1);
  });

  it('answers a DM in the DM channel', async () => {
    await start();
    const dm = fake.sendMessageCreate({ content: 'How do I reset my password?', dm: true });
    const answer = await fake.waitFor((s) => s.dm && ANSWER.test(s.body.content ?? ''));
    expect(answer.channelId).toBe(dm.channel_id);
    expect(sb.store.conversations.get(`discord:dm:${dm.channel_id}`)?.platform).toBe('discord');
    expect(fake.rest.threads.items).toEqual([]);
  });

  it('answers each message once across an op 7 reconnect and a dropped socket', async () => {
    await start();
    const identifies = fake.gateway.identifyCount;
    const first = fake.sendMessageCreate({ content: mention('How do I reset my password?') });
    await fake.waitFor((s) => s.channelId === first.id);

    await fake.requestReconnect();
    const duringReconnect = fake.sendMessageCreate({
      content: mention('How do I reset my password?'),
    });
    await fake.waitFor((s) => s.channelId === duringReconnect.id, 5_000);

    await fake.disconnect(4000);
    const whileDown = fake.sendMessageCreate({ content: mention('How do I reset my password?') });
    await fake.waitFor((s) => s.channelId === whileDown.id, 5_000);
    await sb.engine.idle();

    for (const message of [first, duringReconnect, whileDown]) {
      expect(postedIn(fake, message.id)).toHaveLength(1);
      expect(handled.items.filter((h) => h.messageId === message.id)).toHaveLength(1);
    }
    expect(fake.gateway.identifyCount).toBe(identifies);
  });

  it('answers in the channel, naming the customer, when it may not open threads', async () => {
    await start();
    fake.failRoute('POST /channels/:id/messages/:id/threads', { kind: 'missing-permissions' });
    const question = fake.sendMessageCreate({ content: mention('How do I reset my password?') });
    const answer = await fake.waitFor((s) => s.channelId === fake.world.supportChannelId);
    expect(answer.body.content).toMatch(new RegExp(`^<@${fake.world.customer.id}> `));
    expect((answer.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({
      parse: [],
      users: [fake.world.customer.id],
    });
    expect(
      sb.store.conversations.get(
        `discord:${fake.world.supportChannelId}:${fake.world.customer.id}`,
      ),
    ).toBeDefined();
    expect(sb.store.conversations.get(`discord:${question.id}`)).toBeUndefined();
  });

  it('refuses to start with a wrong token, or without the Message Content intent', async () => {
    fake = await createDiscordFake({ privilegedIntents: 0 });
    const logger = createLogger('silent');
    const hooks = { handle: async () => true, conversation: () => undefined };
    const wrong = createDiscordAdapter({ botToken: 'wrong', apiUrl: fake.restOptions.api, logger });
    await expect(wrong.start(hooks)).rejects.toMatchObject({
      code: 'unauthorized',
      message: /DISCORD_BOT_TOKEN/,
    });
    adapter = createDiscordAdapter({ botToken: fake.token, apiUrl: fake.restOptions.api, logger });
    await expect(adapter.start(hooks)).rejects.toMatchObject({
      code: 'forbidden',
      message: /Message Content/,
    });
  });
});
