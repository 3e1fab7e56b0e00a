import { slackConversationId, slackMessageId } from '../../bots/slack/ids.ts';
import { createSlackAdapter } from '../../bots/slack/index.ts';
import { createLogger } from '../../src/log.ts';
import type { ChoiceHarness, ChoicePlatform } from '../contract/choices.ts';
import type { ContractHarness, ContractPlatform } from '../contract/harness.ts';
import { recordingHooks } from '../contract/harness.ts';
import { buildBlockActions, buildDirectMessage, startFakeSlack } from '../fakes/slack/index.ts';

/**
 * Slack for the adapter contract suite (test/contract/adapters.test.ts): the real Bolt app in
 * Socket Mode against the loopback fake. A customer DMs the bot; a repeated delivery is
 * Slack's retry of the same envelope (`retry_attempt: 1`).
 */
export const slackHarness: ContractHarness = {
  platform: 'slack',
  limit: 4000,
  refuses: true,
  sampleIds: [
    'slack:D07DMCUST01',
    'slack:C07COMMUNITY:1717000100.000200',
    'slack:G07PRIVATE1:1.000001',
  ],
  roundTrip(id) {
    const ref = slackConversationId.decode(id);
    return ref && slackConversationId.encode(ref);
  },

  async start(sb): Promise<ContractPlatform> {
    const fake = await startFakeSlack();
    const adapter = createSlackAdapter({
      botToken: fake.botToken,
      appToken: fake.appToken,
      apiUrl: fake.apiUrl,
      slaMinutes: 15,
      logger: createLogger('silent'),
      deskActions: () => sb.engine.desk,
      retryConfig: { retries: 0 },
    });
    const { hooks, handled } = recordingHooks(sb);
    sb.engine.register(adapter);
    await adapter.start(hooks);
    let customers = 0;

    // Each write comes from a new customer in their own DM, so conversations start empty.
    const deliver = async (text: string, times: number) => {
      customers += 1;
      const user = `U07CONTRACT${customers}`;
      fake.addUser({ id: user, name: `customer${customers}`, real_name: `Customer ${customers}` });
      const dm = fake.state.openDm(user);
      const conversationId = slackConversationId.encode({ channel: dm.id });
      const event = buildDirectMessage({ text, user, channel: dm.id });
      const messageId = slackMessageId(dm.id, event.event.ts as string);
      for (let attempt = 0; attempt < times; attempt++) {
        await fake.socket.sendEvent(
          event,
          attempt ? { retryAttempt: attempt, retryReason: 'timeout' } : {},
        );
        await handled.waitFor((h) => h.messageId === messageId, 5_000);
      }
      if (times > 1) {
        const deadline = Date.now() + 5_000;
        while (handled.items.filter((h) => h.messageId === messageId).length < times) {
          if (Date.now() > deadline) throw new Error(`${messageId} was not handled ${times} times`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      return { conversationId, messageId };
    };

    return {
      adapter,
      handled,
      customerWrites: (text) => deliver(text, 1),
      customerWritesTwice: (text) => deliver(text, 2),
      async seen(id) {
        const ref = slackConversationId.decode(id);
        return fake.posts
          .filter((p) => p.channel === ref?.channel && p.thread_ts === ref.threadTs)
          .map((p) => ({ text: p.text ?? '', raw: p.text ?? '' }));
      },
      wellFormed: (part) => part.raw.split('```').length % 2 === 1,
      refusals: [
        {
          name: 'bot removed from the channel',
          code: 'not_in_channel',
          arrange: () => fake.failNext('chat.postMessage', 'not_in_channel'),
        },
        {
          name: 'unknown channel',
          code: 'channel_not_found',
          arrange: () => fake.failNext('chat.postMessage', 'channel_not_found'),
        },
        {
          name: 'network failure',
          code: 'network',
          arrange: () => fake.failNext('chat.postMessage', 'drop'),
        },
      ],
      async stop() {
        await adapter.stop();
        await fake.close();
      },
    };
  },
};

type ChoiceButton = { action_id?: string; value?: string; text?: { text?: string } };
type Block = { type?: string; block_id?: string; elements?: ChoiceButton[] };

/**
 * Slack for the choices contract (test/contract/choices.test.ts): the real Bolt app in Socket
 * Mode; each customer DMs the bot, the rating arrives as buttons under the message, a press
 * is a `block_actions` from that customer, and Slack's redelivery is the same envelope
 * payload again with `retry_attempt: 1`.
 */
export const slackChoiceHarness: ChoiceHarness = {
  platform: 'slack',
  async start(hooks): Promise<ChoicePlatform> {
    const fake = await startFakeSlack();
    const adapter = createSlackAdapter({
      botToken: fake.botToken,
      appToken: fake.appToken,
      apiUrl: fake.apiUrl,
      slaMinutes: 15,
      logger: createLogger('silent'),
      deskActions: () => {
        throw new Error('no desk in the choices contract');
      },
      retryConfig: { retries: 0 },
    });
    await adapter.start(hooks);
    const customers = new Map<string, string>();
    /** The newest bot message in the DM, as it is now (after any chat.update). */
    const latest = (conversationId: string) => {
      const channel = slackConversationId.decode(conversationId)?.channel;
      const post = fake.posts.findLast((p) => p.channel === channel);
      return post && fake.state.messages.get(`${post.channel}:${post.ts}`);
    };
    const buttonsOf = (blocks: unknown[] | undefined) =>
      ((blocks ?? []) as Block[])
        .filter((b) => b.type === 'actions' && b.block_id === 'switchboard_choices')
        .flatMap((b) => b.elements ?? []);
    return {
      adapter,
      async customerWrites(text) {
        const user = `U07CHOICE${customers.size + 1}`;
        fake.addUser({ id: user, name: `rater${customers.size + 1}`, real_name: 'Rater' });
        const dm = fake.state.openDm(user);
        const conversationId = slackConversationId.encode({ channel: dm.id });
        customers.set(conversationId, user);
        await fake.socket.sendEvent(buildDirectMessage({ text, user, channel: dm.id }));
        return conversationId;
      },
      async buttons(conversationId) {
        return buttonsOf(latest(conversationId)?.blocks).map((b) => ({
          label: b.text?.text ?? '',
          value: b.value ?? '',
        }));
      },
      async press(conversationId, label) {
        const message = latest(conversationId);
        const index = buttonsOf(message?.blocks).findIndex((b) => b.text?.text === label);
        const button = buttonsOf(message?.blocks)[index];
        if (!message || !button) throw new Error(`no button "${label}" in ${conversationId}`);
        const payload = buildBlockActions({
          actionId: button.action_id ?? `switchboard_choice_${index}`,
          value: button.value ?? '',
          label,
          blockId: 'switchboard_choices',
          userId: customers.get(conversationId) ?? fake.ids.customerId,
          channelId: message.channel,
          messageTs: message.ts,
          messageText: message.text ?? '',
          blocks: message.blocks ?? [],
          responseUrl: fake.responseUrl(),
        });
        await fake.socket.sendInteractive(payload);
        return {
          async redeliver() {
            await fake.socket.sendInteractive(payload, { retryAttempt: 1, retryReason: 'timeout' });
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
