/**
 * Slack's namespaced ids, encoded and decoded only here.
 * - A DM with the bot: `slack:<D…>`; the bot answers in the DM itself.
 * - A mention in a channel: `slack:<C…|G…>:<thread ts>`; the bot answers in that thread.
 */

/** Where a Slack conversation lives: a DM, or a thread of a channel. */
export interface SlackConversationRef {
  channel: string;
  /** The thread the conversation happens in; absent for a DM. */
  threadTs?: string;
}

const CHANNEL = /^[CDG][A-Z0-9]{2,}$/;
const TS = /^\d+\.\d+$/;

export const slackConversationId = {
  encode(ref: SlackConversationRef): string {
    return ref.threadTs === undefined
      ? `slack:${ref.channel}`
      : `slack:${ref.channel}:${ref.threadTs}`;
  },
  /** The channel and thread of a conversation id, or undefined when it is not a Slack id. */
  decode(id: string): SlackConversationRef | undefined {
    const [platform, channel, threadTs, ...rest] = id.split(':');
    if (platform !== 'slack' || channel === undefined || !CHANNEL.test(channel) || rest.length)
      return undefined;
    if (threadTs === undefined) return { channel };
    return TS.test(threadTs) ? { channel, threadTs } : undefined;
  },
};

/**
 * The `messageId` the engine dedupes on. A message's `ts` is unique within its channel and
 * stays the same when Slack retries the event, or sends it as both `message` and `app_mention`.
 */
export const slackMessageId = (channel: string, ts: string): string => `${channel}:${ts}`;

function numberedValue(prefix: string) {
  const pattern = new RegExp(`^${prefix}_(\\d{1,12})$`);
  return {
    encode: (id: number): string => `${prefix}_${id}`,
    decode(value: string | undefined): number | undefined {
      const match = pattern.exec(value ?? '');
      return match?.[1] === undefined ? undefined : Number(match[1]);
    },
  };
}

/** The value of a handoff post's Claim and Resolve buttons: `handoff_<id>`. */
export const handoffValue = numberedValue('handoff');

/** The value of a digest entry's Mark fixed button: `cluster_<id>`. */
export const clusterValue = numberedValue('cluster');

/**
 * The value of an agent card's Send, Edit and Dismiss buttons: `suggestion_<handoff>_<id>`.
 * Naming the suggestion lets the engine refuse a click on a card that was since updated.
 */
export const suggestionValue = {
  encode: (ref: SuggestionRef): string => `suggestion_${ref.handoffId}_${ref.suggestionId}`,
  decode(value: string | undefined): SuggestionRef | undefined {
    const match = /^suggestion_(\d{1,12})_(\d{1,12})$/.exec(value ?? '');
    if (match?.[1] === undefined || match[2] === undefined) return undefined;
    return { handoffId: Number(match[1]), suggestionId: Number(match[2]) };
  },
};

/** Which suggestion of which handoff a card button (or the edit modal) acts on. */
export interface SuggestionRef {
  handoffId: number;
  suggestionId: number;
}

/**
 * The edit modal's `private_metadata`: the suggestion, and the handoff's thread so a refusal
 * can be told to the agent there (a view submission carries no channel).
 */
export interface EditModalRef extends SuggestionRef {
  channel: string;
  threadTs: string;
}

export const editModalRef = {
  encode: (ref: EditModalRef): string =>
    JSON.stringify([ref.handoffId, ref.suggestionId, ref.channel, ref.threadTs]),
  decode(metadata: string | undefined): EditModalRef | undefined {
    try {
      const [handoffId, suggestionId, channel, threadTs] = JSON.parse(metadata ?? '') as unknown[];
      if (!Number.isInteger(handoffId) || !Number.isInteger(suggestionId)) return undefined;
      if (typeof channel !== 'string' || typeof threadTs !== 'string' || !TS.test(threadTs))
        return undefined;
      return {
        handoffId: handoffId as number,
        suggestionId: suggestionId as number,
        channel,
        threadTs,
      };
    } catch {
      return undefined;
    }
  },
};

/** The action ids of the buttons this app posts, and the edit modal's callback id. */
export const ACTIONS = {
  claim: 'handoff_claim',
  resolve: 'handoff_resolve',
  markFixed: 'cluster_mark_fixed',
  sendSuggestion: 'suggestion_send',
  editSuggestion: 'suggestion_edit',
  dismissSuggestion: 'suggestion_dismiss',
  editModal: 'suggestion_edit_modal',
} as const;

/** The edit modal's text box: its block and action ids, where the submission's text is read. */
export const EDIT_INPUT = { block: 'suggestion_text', action: 'text' } as const;

/**
 * A customer's choice buttons (a rating) are `switchboard_choice_<i>`: apart from the desk's
 * actions, so a customer's press never reaches a desk listener and the other way round.
 */
export const choiceActionId = (index: number): string => `switchboard_choice_${index}`;
export const CHOICE_ACTION = /^switchboard_choice_\d{1,2}$/;
export const CHOICES_BLOCK = 'switchboard_choices';

/**
 * The `messageId` of a press on a choice button. `action_ts` is unique per press and stays the
 * same when Slack delivers the same press again, so a retried delivery is dropped.
 */
export const slackChoiceId = (channel: string, messageTs: string, actionTs: string): string =>
  `${channel}:${messageTs}:choice:${actionTs}`;

/**
 * Where a handoff was posted, as stored in `handoffs.desk_ref`: the post (whose thread is
 * the conversation with the customer), the last message shown in it, and the reminders
 * posted into the thread when the SLA passed.
 */
export interface HandoffPostRef {
  channel: string;
  ts: string;
  /** Id of the newest conversation message shown in the post. */
  shown?: number;
  reminders: string[];
}

export const handoffPostRef = {
  encode(ref: HandoffPostRef): Record<string, string> {
    return {
      channel: ref.channel,
      ts: ref.ts,
      ...(ref.shown === undefined ? {} : { shown: String(ref.shown) }),
      ...(ref.reminders.length ? { reminders: ref.reminders.join(',') } : {}),
    };
  },
  /** The post of a stored desk ref, or undefined when the handoff is not posted in Slack. */
  decode(ref: Record<string, string> | null | undefined): HandoffPostRef | undefined {
    if (!ref?.channel || !ref.ts || !TS.test(ref.ts)) return undefined;
    const shown = ref.shown === undefined ? undefined : Number(ref.shown);
    return {
      channel: ref.channel,
      ts: ref.ts,
      ...(shown !== undefined && Number.isInteger(shown) ? { shown } : {}),
      reminders: (ref.reminders ?? '').split(',').filter((ts) => TS.test(ts)),
    };
  },
};
