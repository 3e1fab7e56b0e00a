import type { App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Logger } from '../../src/log.ts';
import type { Agent, Handoff } from '../../src/types/index.ts';
import type { SlackDirectory } from './directory.ts';
import { slackCall } from './errors.ts';
import { handoffPostRef } from './ids.ts';
import { postText } from './outbound.ts';

/** A button click as Bolt hands it to a listener. */
export type Clicked = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Where to tell someone something only they see, when there is no `response_url`. */
export interface EphemeralTarget {
  user: string;
  channel: string;
  threadTs?: string | undefined;
}

/**
 * How the desk answers the person who clicked: ephemerally (only they see it), and only
 * when they may act. Shared by the handoff buttons and the agent card's buttons.
 */
export function clickReplies(app: App, logger: Logger, directory: SlackDirectory) {
  /** Tells someone something only they see, in a channel (and thread). Never throws. */
  const tellIn = async (to: EphemeralTarget, text: string) => {
    await slackCall('chat.postEphemeral', logger, () =>
      app.client.chat.postEphemeral({
        channel: to.channel,
        user: to.user,
        text,
        ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
      }),
    ).catch((error: unknown) => {
      logger.warn({ err: error, user: to.user }, 'could not tell the agent');
    });
  };

  /** Tells the clicking person something only they see: via `respond()`, else ephemerally. */
  const tell = async ({ body, respond }: Clicked, text: string) => {
    try {
      if (body.response_url) {
        await respond({ response_type: 'ephemeral', replace_original: false, text });
      } else if (body.channel) {
        await tellIn({ channel: body.channel.id, user: body.user.id }, text);
      }
    } catch (error) {
      logger.warn({ err: error, user: body.user.id }, 'could not tell the agent');
    }
  };

  /** Whether the clicker is a member of `channel`; if not, they are told who may `verb`. */
  const mayAct = async (clicked: Clicked, channel: string | undefined, verb: string) => {
    if (channel && (await directory.isMember(channel, clicked.body.user.id))) return true;
    await tell(clicked, `Only members of <#${channel ?? 'the agent channel'}> can ${verb}.`);
    return false;
  };

  /** The Slack user as the engine's agent: their id and display name. */
  const agentOf = async (userId: string): Promise<Agent> => {
    const person = await directory.person(userId);
    return { id: person.id, name: person.name };
  };

  /** Posts a line into the handoff's thread, for its agents. Never throws. */
  const inHandoffThread = async (h: Handoff | undefined, text: string) => {
    const ref = handoffPostRef.decode(h?.deskRef);
    if (!ref) return;
    await postText(app.client, logger, { channel: ref.channel, threadTs: ref.ts, text }).catch(
      () => undefined,
    );
  };

  return { tell, tellIn, mayAct, agentOf, inHandoffThread };
}
