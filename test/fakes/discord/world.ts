import { readFileSync } from 'node:fs';
import type {
  APIChannel,
  APIDMChannel,
  APIGuildMember,
  APIMessage,
  APIUser,
  ChannelFlags,
  GatewayDispatchPayload,
  GatewayGuildCreateDispatchData,
  GatewayReadyDispatchData,
} from 'discord.js';

const fixtureDir = new URL('../../fixtures/discord/', import.meta.url);
const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** Reads a gateway payload fixture (`{ op, t, s, d }`) from `test/fixtures/discord/`. */
export function readDiscordFixture<T = GatewayDispatchPayload>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8')) as T;
}

/** A fresh snowflake whose timestamp part is now, so ids sort by creation like Discord's. */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | increment).toString();
}

/** Discord's timestamp format: ISO 8601 with microseconds and an explicit offset. */
export function discordTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '000+00:00');
}

/** A message as the fake stores it: the REST shape plus MESSAGE_CREATE's extra fields. */
export type StoredMessage = APIMessage & {
  guild_id?: string;
  channel_type?: number;
  member?: Omit<APIGuildMember, 'user'>;
};

/**
 * Everything the fake Discord knows: the bot, one guild (from `guild-create.json`), its users
 * and channels, DM channels, threads and messages. Fixtures seed it; REST calls and helpers
 * grow it, so a message id the SDK replies to has to exist, like on Discord.
 */
export class DiscordWorld {
  readonly bot: APIUser;
  readonly application: GatewayReadyDispatchData['application'];
  readonly guild: GatewayGuildCreateDispatchData;
  readonly users = new Map<string, APIUser>();
  readonly members = new Map<string, Omit<APIGuildMember, 'user'>>();
  readonly channels = new Map<string, APIChannel & { guild_id?: string }>();
  readonly messages = new Map<string, StoredMessage>();
  readonly dmChannelByUser = new Map<string, string>();

  constructor() {
    const ready = readDiscordFixture<{ d: GatewayReadyDispatchData }>('ready.json').d;
    this.bot = ready.user;
    this.application = ready.application;
    this.guild = readDiscordFixture<{ d: GatewayGuildCreateDispatchData }>('guild-create.json').d;
    this.users.set(this.bot.id, this.bot);
    for (const { user, ...member } of this.guild.members) {
      this.users.set(user.id, user);
      this.members.set(user.id, member);
    }
    for (const channel of this.guild.channels) {
      this.channels.set(channel.id, { ...channel, guild_id: this.guild.id } as APIChannel);
    }
    // A user has one DM channel with the bot: the customer's is the one the DM fixture uses.
    const dm = readDiscordFixture<{ d: APIMessage }>('message-create-dm.json').d;
    this.dmChannelFor(this.addUser(dm.author), dm.channel_id);
  }

  /** The first guild text channel (`#support` in the fixture). */
  get supportChannelId(): string {
    const text = this.guild.channels.find((channel) => channel.type === 0);
    if (!text) throw new Error('guild-create.json has no text channel');
    return text.id;
  }

  /** The first human member of the guild (Alice in the fixture). */
  get customer(): APIUser {
    const human = [...this.users.values()].find((user) => !user.bot);
    if (!human) throw new Error('guild-create.json has no human member');
    return human;
  }

  guildIdOf(channelId: string): string | undefined {
    return this.channels.get(channelId)?.guild_id;
  }

  addUser(user: APIUser): APIUser {
    const known = this.users.get(user.id);
    if (known) return known;
    this.users.set(user.id, user);
    return user;
  }

  /** The DM channel between the bot and `userId`, created on first use like `POST /users/@me/channels`. */
  dmChannelFor(user: APIUser, channelId: string = snowflake()): APIChannel {
    const existing = this.dmChannelByUser.get(user.id);
    const known = existing ? this.channels.get(existing) : undefined;
    if (known) return known;
    const channel: APIDMChannel = {
      id: channelId,
      type: 1,
      name: null,
      last_message_id: null,
      flags: 0 as ChannelFlags,
      recipients: [user],
    };
    this.channels.set(channel.id, channel);
    this.dmChannelByUser.set(user.id, channel.id);
    return channel;
  }

  /** Users named by `<@id>` / `<@!id>` in `content`, as Discord computes `mentions` server-side. */
  mentionsIn(content: string): APIUser[] {
    const ids = new Set([...content.matchAll(/<@!?(\d{15,21})>/g)].map((match) => match[1]));
    return [...ids].flatMap((id) => {
      const user = id === undefined ? undefined : this.users.get(id);
      return user ? [user] : [];
    });
  }

  /** Adds `member` to each user, as MESSAGE_CREATE does for guild messages. */
  withMembers(users: APIUser[], guildId: string | undefined): APIUser[] {
    if (!guildId) return users;
    return users.map((user) => {
      const member = this.members.get(user.id);
      return member ? { ...user, member } : user;
    });
  }

  /** The GUILD_CREATE payload for the current state (active threads included). */
  guildCreatePayload(): GatewayGuildCreateDispatchData {
    const threads = [...this.channels.values()].filter(
      (channel) => channel.type === 11 || channel.type === 12,
    );
    return { ...this.guild, threads: threads as GatewayGuildCreateDispatchData['threads'] };
  }

  storeMessage(message: StoredMessage): StoredMessage {
    this.messages.set(message.id, message);
    const channel = this.channels.get(message.channel_id);
    if (channel && 'last_message_id' in channel) channel.last_message_id = message.id;
    return message;
  }
}
