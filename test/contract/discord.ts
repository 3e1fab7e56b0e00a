import { createDiscordAdapter, discordConversationId } from '../../bots/discord/index.ts';
import { createLogger } from '../../src/log.ts';
import { createDiscordFake } from '../fakes/discord/index.ts';
import type { ChoiceHarness, ChoicePlatform } from './choices.ts';
import { type ContractHarness, type ContractPlatform, recordingHooks } from './harness.ts';

/**
 * Discord through discord.js and the loopback gateway/REST fake. A customer mentions the bot
 * in #support; the conversation is the thread opened from that message.
 */
export const discordHarness: ContractHarness = {
  platform: 'discord',
  limit: 2000,
  refuses: true,
  sampleIds: [
    'discord:dm:1191655986167939082',
    'discord:1262707309327548428',
    'discord:1191655986167939001:1100000000000000001',
  ],
  roundTrip(id) {
    const target = discordConversationId.decode(id);
    return target && discordConversationId.encode(target);
  },

  async start(sb): Promise<ContractPlatform> {
    const fake = await createDiscordFake();
    const logger = createLogger('silent');
    const config = { botToken: fake.token, apiUrl: fake.restOptions.api, logger };
    const adapter = createDiscordAdapter(config);
    const { hooks, handled } = recordingHooks(sb);
    sb.engine.register(adapter);
    await adapter.start(hooks);
    const channelOf = (id: string) => {
      const target = discordConversationId.decode(id);
      return target && discordConversationId.channelOf(target);
    };
    const mention = (text: string) => {
      const message = fake.sendMessageCreate({ content: `<@${fake.world.bot.id}> ${text}` });
      return { conversationId: `discord:${message.id}`, messageId: message.id };
    };
    return {
      adapter,
      handled,
      async customerWrites(text) {
        const sent = mention(text);
        await handled.waitFor((h) => h.messageId === sent.messageId, 5_000);
        return sent;
      },
      async customerWritesTwice(text) {
        // A second process on the same token (a rolling deploy) receives the same event.
        const second = createDiscordAdapter(config);
        await second.start(hooks);
        try {
          const sent = mention(text);
          await expectHandledTwice(handled, sent.messageId);
          return sent;
        } finally {
          await second.stop();
        }
      },
      async seen(conversationId) {
        const channelId = channelOf(conversationId);
        return fake.sent
          .filter((s) => s.channelId === channelId)
          .map((s) => ({ text: s.body.content ?? '', raw: s.body.content ?? '' }));
      },
      wellFormed: (part) => (part.raw.match(/```/g) ?? []).length % 2 === 0,
      refusals: [
        {
          name: 'missing permissions',
          code: 'forbidden',
          arrange: () =>
            fake.failRoute('POST /channels/:id/messages', { kind: 'missing-permissions' }),
        },
        {
          name: 'unknown channel',
          code: 'not_found',
          arrange: () =>
            fake.failRoute('POST /channels/:id/messages', {
              kind: 'error',
              status: 404,
              code: 10003,
              message: 'Unknown Channel',
            }),
        },
      ],
      async stop() {
        await adapter.stop();
        await fake.close();
      },
    };
  },
};

async function expectHandledTwice(
  handled: ContractPlatform['handled'],
  messageId: string,
): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (handled.items.filter((h) => h.messageId === messageId).length < 2) {
    if (Date.now() > deadline) throw new Error(`message ${messageId} was not delivered twice`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ---------------------------------------------------------------------------------------
// Choices (buttons under a message): the Discord case of choices.test.ts.

/** Discord's buttons, pressed through INTERACTION_CREATE; redelivered as the same payload. */
export const discordChoiceHarness: ChoiceHarness = {
  platform: 'discord',
  async start(hooks): Promise<ChoicePlatform> {
    const fake = await createDiscordFake();
    const adapter = createDiscordAdapter({
      botToken: fake.token,
      apiUrl: fake.restOptions.api,
      logger: createLogger('silent'),
    });
    await adapter.start(hooks);
    const sentIn = (conversationId: string) => {
      const target = discordConversationId.decode(conversationId);
      const channelId = target && discordConversationId.channelOf(target);
      return fake.sent.filter((s) => s.channelId === channelId);
    };
    const latest = (conversationId: string) => sentIn(conversationId).at(-1);
    const withButtons = (conversationId: string) =>
      sentIn(conversationId).findLast((s) => !!s.body.components?.length);
    return {
      adapter,
      async customerWrites(text) {
        const message = fake.sendMessageCreate({ content: `<@${fake.world.bot.id}> ${text}` });
        return `discord:${message.id}`;
      },
      async buttons(conversationId) {
        const sent = latest(conversationId);
        const rows = (sent && fake.world.messages.get(sent.message.id)?.components) || [];
        return rows.flatMap((row) =>
          'components' in row
            ? row.components.flatMap((c) =>
                c.type === 2 && 'custom_id' in c
                  ? [{ label: c.label ?? '', value: c.custom_id }]
                  : [],
              )
            : [],
        );
      },
      async press(conversationId, label) {
        const sent = withButtons(conversationId);
        if (!sent) throw new Error(`no message with buttons in ${conversationId}`);
        const payload = fake.pressButton({ messageId: sent.message.id, label });
        return {
          async redeliver() {
            fake.dispatch('INTERACTION_CREATE', payload);
          },
        };
      },
      async stop() {
        await adapter.stop();
        await fake.close();
      },
    };
  },
};
