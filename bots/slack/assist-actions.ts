import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { Logger } from '../../src/log.ts';
import type { DeskActions, Suggestion, SuggestionResult } from '../../src/types/index.ts';
import { editModal } from './card.ts';
import { type Clicked, clickReplies } from './clicks.ts';
import type { SlackDirectory } from './directory.ts';
import { slackCall } from './errors.ts';
import { toMrkdwn, truncate } from './format.ts';
import {
  ACTIONS,
  EDIT_INPUT,
  editModalRef,
  handoffPostRef,
  type SuggestionRef,
  suggestionValue,
} from './ids.ts';

export interface AssistActionDeps {
  app: App;
  logger: Logger;
  directory: SlackDirectory;
  actions: () => DeskActions;
  agentChannel: string | undefined;
}

type Refusal = Extract<SuggestionResult, { ok: false }>['reason'];

const REFUSED: Record<Refusal, string> = {
  not_found: 'This handoff no longer exists; nothing was sent.',
  resolved: 'This handoff is already resolved; nothing was sent.',
  not_claimed: 'Claim this handoff first; nothing was sent.',
  stale:
    'This suggestion is no longer the current one; nothing was sent. The card shows the newest.',
};

/** "<@U…> sent the suggested reply:" and the text as a quote, for the thread's record. */
function sentLine(userId: string, how: 'as drafted' | 'edited', text: string): string {
  const quote = truncate(toMrkdwn(text).trim(), 2900)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
  const what =
    how === 'edited' ? 'an edited version of the suggested reply' : 'the suggested reply';
  return `<@${userId}> sent ${what}:\n${quote}`;
}

/**
 * The agent card's buttons: **Send** sends the drafted reply as the agent's own, **Edit**
 * opens a modal to change it first (sent on Submit), **Dismiss** puts it away. Each is acked
 * at once; the engine decides whether the suggestion named by the button is still current,
 * and a refusal reaches the clicker ephemerally. Only members of the agent channel may act.
 */
export function registerAssistActions(deps: AssistActionDeps): void {
  const { app, logger, directory } = deps;
  const { tell, tellIn, mayAct, agentOf, inHandoffThread } = clickReplies(app, logger, directory);

  /** The suggestion a button names, when it is still the card's current one; else why not. */
  const current = (ref: SuggestionRef): Suggestion | Refusal => {
    const h = deps.actions().handoff(ref.handoffId);
    if (!h) return 'not_found';
    if (h.status === 'resolved') return 'resolved';
    if (h.status !== 'claimed') return 'not_claimed';
    const s = deps.actions().card(ref.handoffId)?.suggestion;
    return s?.id === ref.suggestionId ? s : 'stale';
  };

  /** Decodes the button and checks the clicker; undefined when there is nothing to do. */
  const clicked = async (args: Clicked, verb: string): Promise<SuggestionRef | undefined> => {
    await args.ack();
    const ref = suggestionValue.decode(args.action.value);
    if (!ref) {
      logger.warn({ value: args.action.value }, 'agent card button with an unknown value');
      return undefined;
    }
    return (await mayAct(args, deps.agentChannel, verb)) ? ref : undefined;
  };

  app.action<BlockAction<ButtonAction>>(ACTIONS.sendSuggestion, async (args) => {
    const ref = await clicked(args, 'send replies');
    if (!ref) return;
    const drafted = current(ref);
    const agent = await agentOf(args.body.user.id);
    const result = await deps.actions().sendSuggestion(ref.handoffId, ref.suggestionId, agent);
    if (!result.ok) {
      await tell(args, REFUSED[result.reason]);
      return;
    }
    if (typeof drafted !== 'string') {
      const h = deps.actions().handoff(ref.handoffId);
      await inHandoffThread(h, sentLine(agent.id, 'as drafted', drafted.text));
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.dismissSuggestion, async (args) => {
    const ref = await clicked(args, 'dismiss suggestions');
    if (!ref) return;
    const agent = await agentOf(args.body.user.id);
    const result = await deps.actions().dismissSuggestion(ref.handoffId, ref.suggestionId, agent);
    if (!result.ok) await tell(args, REFUSED[result.reason]);
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.editSuggestion, async (args) => {
    const ref = await clicked(args, 'send replies');
    if (!ref) return;
    const drafted = current(ref);
    if (typeof drafted === 'string') {
      await tell(args, REFUSED[drafted]);
      return;
    }
    const h = deps.actions().handoff(ref.handoffId);
    const post = handoffPostRef.decode(h?.deskRef);
    if (!h || !post) return;
    const metadata = editModalRef.encode({ ...ref, channel: post.channel, threadTs: post.ts });
    // Slack's trigger_id is good for 3 seconds: the modal opens before anything slower.
    await slackCall('views.open', logger, () =>
      app.client.views.open({
        trigger_id: args.body.trigger_id,
        view: editModal(drafted, h.customerName, metadata),
      }),
    ).catch(() => tell(args, 'Slack could not open the editor; try Edit again.'));
  });

  app.view<ViewSubmitAction>(ACTIONS.editModal, async ({ ack, body, view }) => {
    const ref = editModalRef.decode(view.private_metadata);
    const text = view.state.values[EDIT_INPUT.block]?.[EDIT_INPUT.action]?.value?.trim() ?? '';
    if (!ref) {
      logger.warn('edit modal submitted without its metadata');
      await ack();
      return;
    }
    // What can be told at once stays in the modal, so the agent keeps what they wrote.
    const drafted = current(ref);
    const error = !text
      ? 'Write a reply, or cancel.'
      : typeof drafted === 'string'
        ? REFUSED[drafted]
        : undefined;
    if (error) {
      await ack({ response_action: 'errors', errors: { [EDIT_INPUT.block]: error } });
      return;
    }
    await ack();
    const target = { channel: ref.channel, threadTs: ref.threadTs, user: body.user.id };
    if (!(await directory.isMember(ref.channel, body.user.id))) {
      await tellIn(target, `Only members of <#${ref.channel}> can send replies.`);
      return;
    }
    const agent = await agentOf(body.user.id);
    const result = await deps
      .actions()
      .sendSuggestion(ref.handoffId, ref.suggestionId, agent, text);
    if (!result.ok) {
      await tellIn(target, REFUSED[result.reason]);
      return;
    }
    const h = deps.actions().handoff(ref.handoffId);
    await inHandoffThread(h, sentLine(agent.id, 'edited', text));
  });
}
