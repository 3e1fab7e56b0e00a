import { once } from 'node:events';
import {
  type ButtonInteraction,
  Client,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type Message,
  Partials,
  PermissionsBitField,
} from 'discord.js';
import type { Logger } from '../../src/log.ts';
import type { AdapterHooks, ChannelAdapter } from '../../src/types/index.ts';
import { toDiscordError } from './errors.ts';
import { discordConversationId } from './ids.ts';
import { customerText, routeMessage, routePress, toInbound } from './inbound.ts';
import {
  acknowledgeDiscordPress,
  openThread,
  sendDiscordTyping,
  sendToDiscord,
  settleDiscordPress,
} from './outbound.ts';
import { interactionProblem } from './schema.ts';

export { DiscordError, type DiscordErrorCode, toDiscordError } from './errors.ts';
export { type DiscordTarget, discordConversationId } from './ids.ts';

export interface DiscordAdapterConfig {
  botToken: string;
  /** REST base, e.g. `https://discord.com/api` (the default) or a proxy; the gateway URL is discovered from it. */
  apiUrl?: string | undefined;
  logger: Logger;
  /** How long `start` waits for the gateway's READY before giving up (default 30 s). */
  connectTimeoutMs?: number;
}

const NOT_THEIRS = 'These buttons are for the person I answered.';
/** The event name a dropped packet is given: one discord.js has no handler for. */
const DROPPED = 'SWITCHBOARD_DROPPED';

/**
 * Intents the bot asks for. Message Content is privileged: switch it on in the Developer
 * Portal, or follow-ups in threads arrive blank (mentions and DMs still carry content).
 */
export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
];

/**
 * The permissions the invite URL asks for (docs/discord.md): see channels, send, read
 * history, open public threads and answer in them.
 */
export const DISCORD_PERMISSIONS = PermissionsBitField.resolve([
  PermissionsBitField.Flags.ViewChannel,
  PermissionsBitField.Flags.SendMessages,
  PermissionsBitField.Flags.ReadMessageHistory,
  PermissionsBitField.Flags.CreatePublicThreads,
  PermissionsBitField.Flags.SendMessagesInThreads,
]);

/**
 * The Discord adapter on discord.js: answers DMs, and mentions in guild channels, each in a
 * thread of its own opened from the customer's message; presses of the buttons under its
 * messages go to the engine as the button's label and value. Duplicate deliveries are dropped
 * by the engine by message (or interaction) id; discord.js resumes gateway sessions, so a
 * reconnect replays only what was missed.
 */
export function createDiscordAdapter(config: DiscordAdapterConfig): ChannelAdapter {
  const log = config.logger.child({ platform: 'discord' });
  const client = new Client({
    intents: DISCORD_INTENTS,
    // DM channels are not cached before their first message; without this, DMs are dropped.
    partials: [Partials.Channel],
    ...(config.apiUrl ? { rest: { api: config.apiUrl } } : {}),
  });

  async function receive(message: Message, hooks: AdapterHooks): Promise<void> {
    const botId = client.user?.id;
    if (!botId) return;
    const route = routeMessage(message, botId);
    if (route.kind === 'ignore') {
      if (route.reason) log.warn({ reason: route.reason }, 'malformed Discord message dropped');
      return;
    }
    // Stickers or embeds alone carry nothing to answer.
    const text = customerText(message, botId);
    if (!text) return;
    let target = route.kind === 'conversation' ? route.target : undefined;
    if (route.kind === 'new-thread') {
      const opened = await openThread(route.message, text);
      if (opened.error) {
        log.warn(
          { err: opened.error, channelId: message.channelId },
          'cannot open a thread; answering in the channel',
        );
      }
      target = opened.target;
    }
    if (!target) return;
    const conversationId = discordConversationId.encode(target);
    try {
      await hooks.handle(toInbound(message, conversationId, text));
    } catch (error) {
      log.error({ err: error, conversationId, messageId: message.id }, 'inbound message failed');
    }
  }

  // The engine takes a press first, so it is durable before the buttons go. Discord wants an
  // answer within 3 s either way; the buttons stay when the engine failed, to be pressed again.
  async function press(interaction: ButtonInteraction, hooks: AdapterHooks): Promise<void> {
    const botId = client.user?.id;
    if (!botId) return;
    const route = routePress(interaction, botId);
    let failure: Error | undefined;
    // In a thread anyone may press; the buttons are the customer's (the engine ignores others).
    const customer =
      route.kind === 'press'
        ? hooks.conversation(route.inbound.conversationId)?.customerId
        : undefined;
    if (route.kind === 'press' && customer !== undefined && customer !== route.inbound.author.id) {
      const refused = await acknowledgeDiscordPress(interaction, NOT_THEIRS);
      if (refused)
        log.warn({ err: refused, interactionId: interaction.id }, 'could not answer a press');
      return;
    }
    if (route.kind === 'press') {
      const { conversationId } = route.inbound;
      try {
        await hooks.handle(route.inbound);
        failure = await settleDiscordPress(client, interaction);
      } catch (error) {
        log.error(
          { err: error, conversationId, interactionId: interaction.id },
          'button press failed',
        );
        failure = await acknowledgeDiscordPress(interaction);
      }
    } else {
      failure = await acknowledgeDiscordPress(
        interaction,
        route.kind === 'not-theirs' ? NOT_THEIRS : undefined,
      );
    }
    if (failure) {
      log.warn({ err: failure, interactionId: interaction.id }, 'could not settle a button press');
    }
  }

  return {
    platform: 'discord',

    async start(hooks) {
      client.on(Events.MessageCreate, (message) => {
        receive(message, hooks).catch((error: unknown) =>
          log.error({ err: error, messageId: message.id }, 'inbound message failed'),
        );
      });
      // A malformed INTERACTION_CREATE is dropped before discord.js builds an interaction from
      // it (which would throw, see schema.ts): `raw` sees the very packet discord.js handles
      // next, and a packet whose event name is cleared has no handler.
      client.on(Events.Raw, (packet: { t?: unknown; d?: unknown }) => {
        if (packet.t !== GatewayDispatchEvents.InteractionCreate) return;
        const problem = interactionProblem(packet.d);
        if (!problem) return;
        log.warn({ problem }, `discord: interaction dropped: ${problem}`);
        packet.t = DROPPED;
      });
      client.on(Events.InteractionCreate, (interaction) => {
        if (!interaction.isButton()) return;
        press(interaction, hooks).catch((error: unknown) =>
          log.error({ err: error, interactionId: interaction.id }, 'button press failed'),
        );
      });
      client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
      client.on(Events.ShardResume, (_id, replayed) =>
        log.info({ replayed }, 'gateway session resumed'),
      );
      const ready = once(client, Events.ClientReady, {
        signal: AbortSignal.timeout(config.connectTimeoutMs ?? 30_000),
      });
      try {
        await Promise.all([client.login(config.botToken), ready]);
      } catch (error) {
        await client.destroy();
        throw toDiscordError(error, 'logging in');
      }
      log.info({ bot: client.user?.username }, `discord: connected as @${client.user?.username}`);
    },

    async stop() {
      client.removeAllListeners(Events.MessageCreate);
      client.removeAllListeners(Events.InteractionCreate);
      client.removeAllListeners(Events.Raw);
      await client.destroy();
    },

    send: (conversationId, message) => sendToDiscord(client, conversationId, message),
    sendTyping: (conversationId) => sendDiscordTyping(client, conversationId),
  };
}
