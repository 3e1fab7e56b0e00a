import type { Message, Update } from 'grammy/types';
import { createTelegramAdapter, telegramConversationId } from '../../bots/telegram/index.ts';
import { createLogger } from '../../src/log.ts';
import { createTelegramFake, type UpdateInput } from '../fakes/telegram/index.ts';
import type { ChoiceHarness, ChoicePlatform } from './choices.ts';
import { type ContractHarness, type ContractPlatform, recordingHooks } from './harness.ts';

let nextUser = 900_000_001;

/** A private-chat text message from a new customer, shaped like Telegram's. */
export function privateMessage(text: string, userId = nextUser++, messageId = 1): UpdateInput {
  const from = { id: userId, is_bot: false, first_name: 'Maya', username: `maya_${userId}` };
  const message = {
    message_id: messageId,
    from,
    chat: { id: userId, type: 'private', first_name: 'Maya', username: from.username },
    date: Math.floor(Date.now() / 1000),
    text,
  } as NonNullable<UpdateInput['message']>;
  return { message };
}

/** Telegram through grammY (long polling) and the loopback Bot API fake; private chats. */
export const telegramHarness: ContractHarness = {
  platform: 'telegram',
  limit: 4096,
  refuses: true,
  sampleIds: [
    'telegram:5123409876',
    'telegram:-1001987654321:6234567012',
    'telegram:-1001987654321:6234567012:17',
  ],
  roundTrip(id) {
    const target = telegramConversationId.decode(id);
    return target && telegramConversationId.encode(target);
  },

  async start(sb): Promise<ContractPlatform> {
    const fake = await createTelegramFake();
    const adapter = createTelegramAdapter({
      botToken: fake.token,
      apiRoot: fake.apiRoot,
      mode: 'polling',
      logger: createLogger('silent'),
    });
    const { hooks, handled } = recordingHooks(sb);
    sb.engine.register(adapter);
    await adapter.start(hooks);
    const idsOf = (update: Update) => {
      const m = update.message as Message;
      return { conversationId: `telegram:${m.chat.id}`, messageId: `${m.chat.id}:${m.message_id}` };
    };
    return {
      adapter,
      handled,
      async customerWrites(text) {
        const ids = idsOf(fake.pushUpdate(privateMessage(text)));
        await handled.waitFor((h) => h.messageId === ids.messageId, 5_000);
        return ids;
      },
      async customerWritesTwice(text) {
        // Telegram redelivers an update it thinks was not received: same message, again.
        const update = privateMessage(text);
        const ids = idsOf(fake.pushUpdate(update));
        fake.pushUpdate(update);
        const deadline = Date.now() + 5_000;
        while (handled.items.filter((h) => h.messageId === ids.messageId).length < 2) {
          if (Date.now() > deadline) throw new Error('the update was not delivered twice');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return ids;
      },
      async seen(conversationId) {
        const target = telegramConversationId.decode(conversationId);
        return fake.sent
          .filter((s) => s.chatId === target?.chatId)
          .map((s) => ({ text: s.text, raw: s.rawText }));
      },
      // The fake parses HTML like Telegram and refuses unbalanced tags, so a sent part is well-formed.
      wellFormed: (part) => part.raw.split('<pre').length === part.raw.split('</pre>').length,
      refusals: [
        {
          name: 'bot blocked by the user',
          code: 'forbidden',
          arrange: () =>
            fake.failNext('sendMessage', {
              kind: 'error',
              code: 403,
              description: 'Forbidden: bot was blocked by the user',
            }),
        },
        {
          name: 'chat not found',
          code: 'not_found',
          arrange: () =>
            fake.failNext('sendMessage', {
              kind: 'error',
              code: 400,
              description: 'Bad Request: chat not found',
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

// ---------------------------------------------------------------------------------------
// Choices (buttons under a message): the Telegram case of choices.test.ts.

/** Telegram's inline keyboard, pressed through a callback_query; redelivered as the same update. */
export const telegramChoiceHarness: ChoiceHarness = {
  platform: 'telegram',
  async start(hooks): Promise<ChoicePlatform> {
    const fake = await createTelegramFake();
    const adapter = createTelegramAdapter({
      botToken: fake.token,
      apiRoot: fake.apiRoot,
      mode: 'polling',
      logger: createLogger('silent'),
    });
    await adapter.start(hooks);
    const chatOf = (conversationId: string) =>
      telegramConversationId.decode(conversationId)?.chatId;
    const latest = (conversationId: string) =>
      fake.sent.findLast((s) => s.chatId === chatOf(conversationId));
    const withButtons = (conversationId: string) =>
      fake.sent.findLast((s) => s.chatId === chatOf(conversationId) && s.keyboard !== undefined);
    return {
      adapter,
      async customerWrites(text) {
        const update = fake.pushUpdate(privateMessage(text));
        return `telegram:${(update.message as Message).chat.id}`;
      },
      async buttons(conversationId) {
        const sent = latest(conversationId);
        const keyboard = sent ? (fake.keyboardOf(sent) ?? []) : [];
        return keyboard.flat().map((b) => ({
          label: b.text,
          value: 'callback_data' in b ? (b.callback_data ?? '') : '',
        }));
      },
      async press(conversationId, label) {
        const sent = withButtons(conversationId);
        if (!sent) throw new Error(`no message with buttons in ${conversationId}`);
        const update = fake.pressButton(sent, label);
        fake.pushUpdate(update);
        return {
          async redeliver() {
            fake.pushUpdate(update);
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
