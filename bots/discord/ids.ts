/**
 * Where a Discord conversation lives:
 * - `dm`: a DM channel with one customer, `discord:dm:<channelId>`;
 * - `thread`: the thread the bot opened from a customer's mention (its id is the starter
 *   message's id), `discord:<threadId>`;
 * - `channel`: a guild channel where no thread could be opened (e.g. the bot lacks Create
 *   Public Threads), one conversation per customer, `discord:<channelId>:<userId>`.
 */
export type DiscordTarget =
  | { kind: 'dm'; channelId: string }
  | { kind: 'thread'; threadId: string }
  | { kind: 'channel'; channelId: string; userId: string };

const SNOWFLAKE = '(\\d{1,25})';
const DM = new RegExp(`^discord:dm:${SNOWFLAKE}$`);
const THREAD = new RegExp(`^discord:${SNOWFLAKE}$`);
const CHANNEL = new RegExp(`^discord:${SNOWFLAKE}:${SNOWFLAKE}$`);

/** Encodes and decodes Discord conversation ids; the only place their shape is known. */
export const discordConversationId = {
  encode(target: DiscordTarget): string {
    switch (target.kind) {
      case 'dm':
        return `discord:dm:${target.channelId}`;
      case 'thread':
        return `discord:${target.threadId}`;
      case 'channel':
        return `discord:${target.channelId}:${target.userId}`;
    }
  },

  /** The target of a conversation id, or undefined when it is not a Discord id. */
  decode(id: string): DiscordTarget | undefined {
    const dm = DM.exec(id);
    if (dm?.[1]) return { kind: 'dm', channelId: dm[1] };
    const thread = THREAD.exec(id);
    if (thread?.[1]) return { kind: 'thread', threadId: thread[1] };
    const channel = CHANNEL.exec(id);
    if (channel?.[1] && channel[2])
      return { kind: 'channel', channelId: channel[1], userId: channel[2] };
    return undefined;
  },

  /** The channel messages for this conversation are posted in. */
  channelOf(target: DiscordTarget): string {
    return target.kind === 'thread' ? target.threadId : target.channelId;
  },
};
