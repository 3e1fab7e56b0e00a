import type { App, BlockAction, ButtonAction, types } from '@slack/bolt';
import type { Logger } from '../../src/log.ts';
import type { DeskActions, Handoff } from '../../src/types/index.ts';
import { agentLabel, markFixedInBlocks } from './blocks.ts';
import { clickReplies } from './clicks.ts';
import type { SlackDirectory } from './directory.ts';
import { slackCall } from './errors.ts';
import { fromMrkdwn } from './format.ts';
import { ACTIONS, clusterValue, handoffPostRef, handoffValue } from './ids.ts';
import type { RoutedEvent } from './inbound.ts';

/**
 * Resolves a cluster from the digest's Mark fixed button and tells its reporters; returns how
 * many were told. Throws an error with a message the developer can read when it cannot.
 */
export type MarkFixed = (
  clusterId: number,
  actor: { id: string; name: string },
) => Promise<{ reporters: number; notified: number }>;

export interface DeskActionDeps {
  app: App;
  logger: Logger;
  directory: SlackDirectory;
  actions: () => DeskActions;
  agentChannel: string | undefined;
  digestChannel: string | undefined;
  markFixed: MarkFixed | undefined;
}

const REFUSED: Record<string, string> = {
  not_found: 'This handoff no longer exists.',
  resolved: 'This handoff is already resolved.',
  not_claimed: 'Claim this handoff first; your reply was not sent to the customer.',
};

/** The handoff whose post starts this thread, newest first (active before resolved). */
export function handoffForThread(
  actions: DeskActions,
  channel: string,
  threadTs: string,
): Handoff | undefined {
  const statuses = ['claimed', 'open', 'resolved'] as const;
  for (const status of statuses) {
    const found = actions.handoffs({ status, limit: 200 }).find((h) => {
      const ref = handoffPostRef.decode(h.deskRef);
      return ref?.channel === channel && ref.ts === threadTs;
    });
    if (found) return found;
  }
  return undefined;
}

/**
 * The agents' side of the desk: Claim, Resolve and Mark fixed buttons, and replies in a
 * handoff's thread. Buttons are acked first; the work follows, and refusals reach the agent
 * as ephemeral messages. Only members of the agent channel can claim or resolve.
 */
export function registerDeskActions(deps: DeskActionDeps) {
  const { app, logger, directory } = deps;

  const { tell, mayAct, agentOf, inHandoffThread } = clickReplies(app, logger, directory);

  app.action<BlockAction<ButtonAction>>(ACTIONS.claim, async (args) => {
    const { ack, body, action } = args;
    await ack();
    const id = handoffValue.decode(action.value);
    if (id === undefined || !(await mayAct(args, deps.agentChannel, 'claim handoffs'))) return;
    const agent = await agentOf(body.user.id);
    const result = await deps.actions().claim(id, agent);
    // Claimed: the post now says by whom, and the engine opens the thread with the agent's
    // card (who holds it, how the thread works, the context and a drafted reply).
    if (result.ok) return;
    if (result.reason === 'already_claimed') {
      const holder = deps.actions().handoff(id);
      await tell(args, `Already claimed by ${holder ? agentLabel(holder) : result.by}.`);
    } else {
      await tell(args, REFUSED[result.reason] ?? 'That did not work.');
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.resolve, async (args) => {
    const { ack, body, action } = args;
    await ack();
    const id = handoffValue.decode(action.value);
    if (id === undefined || !(await mayAct(args, deps.agentChannel, 'resolve handoffs'))) return;
    const agent = await agentOf(body.user.id);
    const result = await deps.actions().resolve(id, agent);
    if (result.ok) {
      await inHandoffThread(
        result.handoff,
        `<@${agent.id}> resolved this handoff; the customer was told.`,
      );
    } else {
      await tell(args, REFUSED[result.reason] ?? 'That did not work.');
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.markFixed, async (args) => {
    const { ack, body, action } = args;
    await ack();
    const clusterId = clusterValue.decode(action.value);
    if (clusterId === undefined || !deps.markFixed) {
      await tell(args, 'Marking clusters fixed from Slack is not available on this server.');
      return;
    }
    if (!(await mayAct(args, deps.digestChannel, 'mark clusters fixed'))) return;
    const person = await agentOf(body.user.id);
    try {
      const told = await deps.markFixed(clusterId, person);
      const message = body.message;
      if (body.channel && message?.ts) {
        const blocks = markFixedInBlocks(
          message.blocks as types.KnownBlock[],
          clusterId,
          person.id,
        );
        const channel = body.channel.id;
        await slackCall('chat.update', logger, () =>
          app.client.chat.update({ channel, ts: message.ts, text: message.text ?? '', blocks }),
        ).catch(() => undefined);
      }
      await tell(
        args,
        `Cluster ${clusterId} is marked fixed; ${told.notified} of ${told.reporters} reporters were told.`,
      );
    } catch (error) {
      logger.warn({ err: error, clusterId }, 'mark fixed failed');
      await tell(
        args,
        `Cluster ${clusterId} could not be marked fixed: ${(error as Error).message}`,
      );
    }
  });

  /** An agent wrote in a thread of the agent channel: relay it if the thread is a handoff's. */
  return async function onAgentReply(reply: Extract<RoutedEvent, { kind: 'agent' }>) {
    const h = handoffForThread(deps.actions(), reply.channel, reply.threadTs);
    if (!h) return;
    const agent = await directory.person(reply.userId);
    const text = fromMrkdwn(reply.text, (id) => directory.cachedName(id)).trim();
    if (!text) return;
    // Slack retries a delivery it saw no ack for, possibly to the next process after a crash:
    // the reply's channel and ts identify it, and the engine relays it once.
    const result = await deps
      .actions()
      .reply(h.id, { id: agent.id, name: agent.name }, text, `slack:${reply.channel}:${reply.ts}`);
    if (result.ok) return;
    await slackCall('chat.postEphemeral', logger, () =>
      app.client.chat.postEphemeral({
        channel: reply.channel,
        user: reply.userId,
        thread_ts: reply.threadTs,
        text: REFUSED[result.reason] ?? 'Your reply was not sent.',
      }),
    ).catch(() => undefined);
  };
}
