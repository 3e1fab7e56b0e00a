import { slackConversationId, slackMessageId } from '../../bots/slack/ids.ts';
import { createSlackAdapter } from '../../bots/slack/index.ts';
import { createLogger } from '../../src/log.ts';
import type { ContractHarness, ContractPlatform } from '../contract/harness.ts';
import { recordingHooks } from '../contract/harness.ts';
import { buildDirectMessage, startFakeSlack } from '../fakes/slack/index.ts';

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
