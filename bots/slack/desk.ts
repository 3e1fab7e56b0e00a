import type { App } from '@slack/bolt';
import type { Logger } from '../../src/log.ts';
import type { Agent, Desk, DeskActions, Handoff, StoredMessage } from '../../src/types/index.ts';
import { digestPosts, handoffPost, reminderPost, type SlackMessage } from './blocks.ts';
import { cardPost } from './card.ts';
import type { SlackDirectory } from './directory.ts';
import { SlackApiError, slackCall } from './errors.ts';
import { escapeMrkdwn } from './format.ts';
import { type HandoffPostRef, handoffPostRef } from './ids.ts';
import { inThread, postText } from './outbound.ts';

type Client = App['client'];

/**
 * The desk as Slack implements it: the agent's card and notes always, `postDigest` when a
 * digest channel is configured.
 */
export type SlackDesk = Desk & Required<Pick<Desk, 'showCard' | 'note'>>;

export interface SlackDeskDeps {
  client: Client;
  logger: Logger;
  directory: SlackDirectory;
  /** The engine's desk actions (bound late: the engine is built with this desk). */
  actions: () => DeskActions;
  /** The bot's own user id, known once the app is initialized. */
  botUserId: () => string | undefined;
  agentChannel: string | undefined;
  digestChannel: string | undefined;
  slaMinutes: number;
  /** Assign a re-announced handoff to the channel member with the fewest open handoffs. */
  autoAssign: boolean;
  /** Whether digest entries get a Mark fixed button (the server can resolve clusters). */
  markFixed: boolean;
}

/** Messages of the conversation up to the newest one the post showed. */
function shownMessages(actions: DeskActions, h: Handoff, shown: number | undefined) {
  const all = actions.transcript(h);
  return shown === undefined ? all : all.filter((m) => m.id <= shown);
}

/**
 * The agent desk in `SLACK_AGENT_CHANNEL`: each handoff is a Block Kit post whose thread is
 * the conversation; status changes edit the post; SLA reminders go into the thread and are
 * broadcast to the channel. The digest goes to `SLACK_DIGEST_CHANNEL`.
 */
export function createSlackDesk(deps: SlackDeskDeps): SlackDesk {
  const { client, logger } = deps;

  const agentChannel = (): string => {
    if (!deps.agentChannel) throw new Error('SLACK_AGENT_CHANNEL is not set');
    return deps.agentChannel;
  };

  const post = async (channel: string, message: SlackMessage, thread?: string) => {
    const posted = await slackCall('chat.postMessage', logger, () =>
      client.chat.postMessage({
        channel,
        ...message,
        ...inThread(thread, true),
        unfurl_links: false,
      }),
    );
    return { channel: posted.channel ?? channel, ts: posted.ts ?? '' };
  };

  const edit = (channel: string, ts: string, message: SlackMessage) =>
    slackCall('chat.update', logger, () => client.chat.update({ channel, ts, ...message }));

  /** A reply in the handoff's thread, not broadcast: the card and notes are for its agents. */
  const postInThread = async (ref: HandoffPostRef, message: SlackMessage) => {
    const posted = await slackCall('chat.postMessage', logger, () =>
      client.chat.postMessage({
        channel: ref.channel,
        thread_ts: ref.ts,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    return { channel: posted.channel ?? ref.channel, ts: posted.ts ?? '' };
  };

  /** The human member of the agent channel with the fewest claimed handoffs. */
  const leastLoaded = async (): Promise<Agent | undefined> => {
    const load = deps.actions().loadByAgent();
    const members = (await deps.directory.members(agentChannel())).filter(
      (id) => id !== deps.botUserId(),
    );
    let best: { agent: Agent; load: number } | undefined;
    for (const id of members) {
      const person = await deps.directory.person(id);
      const n = load.get(id) ?? 0;
      if (!person.isBot && (best === undefined || n < best.load))
        best = { agent: { id, name: person.name }, load: n };
    }
    return best?.agent;
  };

  const reannounce = async (h: Handoff, ref: HandoffPostRef) => {
    let current = h;
    let assignedTo: string | undefined;
    const agent = deps.autoAssign ? await leastLoaded() : undefined;
    if (agent) {
      const claimed = await deps.actions().claim(h.id, agent);
      if (claimed.ok) {
        current = claimed.handoff;
        assignedTo = agent.id;
        logger.info({ handoffId: h.id, agentId: agent.id }, 'handoff auto-assigned');
      }
    }
    const reminder = reminderPost(current, { slaMinutes: deps.slaMinutes, assignedTo });
    const posted = await post(ref.channel, reminder, ref.ts);
    return handoffPostRef.encode({ ...ref, reminders: [...ref.reminders, posted.ts] });
  };

  const desk: SlackDesk = {
    name: 'slack',

    async announce(h, recent, isReannounce) {
      const ref = handoffPostRef.decode(h.deskRef);
      if (isReannounce && ref) return reannounce(h, ref);
      const posted = await post(agentChannel(), handoffPost(h, recent));
      const shown = recent.at(-1)?.id;
      return handoffPostRef.encode({ ...posted, reminders: [], ...(shown ? { shown } : {}) });
    },

    async update(h) {
      const ref = handoffPostRef.decode(h.deskRef);
      if (!ref) return;
      await edit(ref.channel, ref.ts, handoffPost(h, shownMessages(deps.actions(), h, ref.shown)));
      for (const ts of ref.reminders) {
        await edit(ref.channel, ts, reminderPost(h, { slaMinutes: deps.slaMinutes }));
      }
    },

    async relay(h, message: StoredMessage) {
      const ref = handoffPostRef.decode(h.deskRef);
      // Not posted yet: the retried post will show this message among the last ones.
      if (!ref) return;
      const who = escapeMrkdwn(message.authorName ?? h.customerName);
      const text = `*${who}:* ${escapeMrkdwn(message.text)}`;
      await postText(client, logger, { channel: ref.channel, text, threadTs: ref.ts });
    },

    async showCard(h, card, shown) {
      const ref = handoffPostRef.decode(h.deskRef);
      // Not posted yet: there is no thread to open with the card.
      if (!ref) return undefined;
      const message = cardPost(card, h);
      if (shown?.channel && shown.ts) {
        try {
          await edit(shown.channel, shown.ts, message);
          return { channel: shown.channel, ts: shown.ts };
        } catch (error) {
          // Someone deleted the card: show it again rather than leave the agent without one.
          if (!(error instanceof SlackApiError && error.code === 'message_not_found')) throw error;
        }
      }
      return postInThread(ref, message);
    },

    async note(h, text) {
      const ref = handoffPostRef.decode(h.deskRef);
      if (!ref) return;
      await postText(client, logger, {
        channel: ref.channel,
        text: escapeMrkdwn(text),
        threadTs: ref.ts,
      });
    },
  };

  const digestChannel = deps.digestChannel;
  if (digestChannel) {
    desk.postDigest = async (digest) => {
      for (const message of digestPosts(digest, deps.markFixed)) await post(digestChannel, message);
    };
  }
  return desk;
}
