import { webConversationId } from '../../bots/web/ids.ts';
import { createWebAdapter } from '../../bots/web/index.ts';
import { Recorder } from '../fakes/recorder.ts';
import { webClient } from '../helpers/switchboard.ts';
import type { ContractHarness, ContractPlatform } from './harness.ts';

/** The built-in web chat: the customer posts over HTTP and reads the stored conversation. */
export const webHarness: ContractHarness = {
  platform: 'web',
  limit: undefined,
  refuses: false,
  sampleIds: ['web:0123456789abcdef0123456789abcdef', 'web:visitor_42-x'],
  roundTrip: (id) =>
    webConversationId.isValid(id) ? `web:${webConversationId.visitor(id)}` : undefined,

  async start(sb): Promise<ContractPlatform> {
    const client = webClient(sb.url);
    const handled = new Recorder<{ messageId: string; accepted: boolean }>('web handled');
    let n = 0;
    const post = async (text: string, messageId: string, conversationId?: string) => {
      const res = await client.send(text, conversationId, messageId);
      handled.push({
        messageId: `${res.body.conversationId}:${messageId}`,
        accepted: !res.body.duplicate,
      });
      return {
        conversationId: res.body.conversationId,
        messageId: `${res.body.conversationId}:${messageId}`,
      };
    };
    return {
      adapter: createWebAdapter({ adminToken: sb.adminToken, deskActions: () => sb.engine.desk }),
      handled,
      customerWrites: (text) => post(text, `m${++n}`),
      async customerWritesTwice(text) {
        const id = `m${++n}`;
        const first = await post(text, id);
        return post(text, id, first.conversationId);
      },
      async seen(conversationId) {
        const { messages } = await client.messages(conversationId);
        return messages
          .filter((m) => m.role !== 'customer')
          .map((m) => ({ text: m.text, raw: m.text }));
      },
      wellFormed: () => true,
      refusals: [],
      async stop() {},
    };
  },
};
