import { randomBytes } from 'node:crypto';
import type { APIUser } from 'discord.js';
import { Recorder } from '../recorder.ts';
import { findButton, type MessageComponents } from './components.ts';
import { error, formError, type Reply } from './rest-http.ts';
import { type DiscordWorld, type StoredMessage, snowflake } from './world.ts';

/** A button press the fake dispatched, and whether the bot has answered it yet. */
export interface PendingInteraction {
  id: string;
  token: string;
  channelId: string;
  messageId: string;
  customId: string;
  user: APIUser;
  createdAt: number;
  acknowledged: boolean;
}

/** An interaction callback Discord accepted (`POST /interactions/:id/:token/callback`). */
export interface InteractionCallback {
  interactionId: string;
  /** 4 reply, 5 deferred reply, 6 deferred update, 7 update the message. */
  type: number;
  data: Record<string, unknown> | undefined;
  /** A reply only the presser sees (flag 64). */
  ephemeral: boolean;
}

/** What a test says about a press; the fake fills in the rest like Discord. */
export interface PressInput {
  /** The bot's message the button is on. */
  messageId: string;
  /** The button's label (or give `customId`). */
  label?: string;
  customId?: string;
  /** Who presses: a user or a known user's id. Defaults to the DM's recipient, or the customer. */
  user?: APIUser | string;
}

/** Discord lets a bot answer an interaction within 3 seconds, once. */
const RESPOND_WITHIN_MS = 3_000;
const EPHEMERAL = 1 << 6;
const CALLBACK_TYPES = new Set([4, 5, 6, 7]);

/** Effects of a callback on the channel: posting a reply, editing the pressed message. */
export interface InteractionEffects {
  post(channelId: string, body: Record<string, unknown>): Reply;
  edit(message: StoredMessage, body: Record<string, unknown>): Reply;
}

/**
 * Message component interactions: the INTERACTION_CREATE a button press makes, and the
 * callback that acknowledges it (Unknown interaction 10062 after 3 s or with a wrong token,
 * 40060 when answered before). Interaction endpoints need no bot token, as on Discord.
 */
export class FakeInteractions {
  readonly callbacks = new Recorder<InteractionCallback>('discord interaction callbacks');
  readonly pending = new Map<string, PendingInteraction>();
  readonly #world: DiscordWorld;

  constructor(world: DiscordWorld) {
    this.#world = world;
  }

  /** The INTERACTION_CREATE payload of a press (register it; the caller dispatches it). */
  press(input: PressInput): Record<string, unknown> {
    const world = this.#world;
    const message = world.messages.get(input.messageId);
    if (!message) throw new Error(`fake discord: no message ${input.messageId}`);
    const button = findButton(message.components as MessageComponents, input);
    if (!button) {
      throw new Error(
        `fake discord: message ${message.id} has no button ${input.label ?? input.customId}`,
      );
    }
    const channel = world.channels.get(message.channel_id);
    if (!channel) throw new Error(`fake discord: no channel ${message.channel_id}`);
    const guildId = world.guildIdOf(channel.id);
    const user = this.#presser(input.user, channel);
    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomBytes(24).toString('hex')}`).toString(
      'base64url',
    );
    this.pending.set(id, {
      id,
      token,
      channelId: channel.id,
      messageId: message.id,
      customId: button.custom_id,
      user,
      createdAt: Date.now(),
      acknowledged: false,
    });
    const { guild_id: _, ...restMessage } = message;
    const member = guildId ? world.members.get(user.id) : undefined;
    if (guildId && !member) throw new Error(`fake discord: ${user.id} is not in the guild`);
    return {
      id,
      application_id: world.application.id,
      type: 3,
      token,
      version: 1,
      data: { custom_id: button.custom_id, component_type: 2 },
      channel_id: channel.id,
      channel,
      ...(guildId
        ? { guild_id: guildId, member: { ...member, user, permissions: '2248473465835073' } }
        : { user }),
      message: restMessage,
      app_permissions: '309237713920',
      locale: 'en-US',
      ...(guildId && { guild_locale: 'en-US' }),
      entitlements: [],
      authorizing_integration_owners: guildId ? { '0': guildId } : { '1': user.id },
      context: guildId ? 0 : 1,
      attachment_size_limit: 10_485_760,
    };
  }

  /** `POST /interactions/:id/:token/callback`. */
  callback(
    id: string,
    token: string,
    body: Record<string, unknown>,
    withResponse: boolean,
    effects: InteractionEffects,
  ): Reply {
    const pending = this.pending.get(id);
    if (!pending || pending.token !== token || Date.now() - pending.createdAt > RESPOND_WITHIN_MS) {
      return error(404, 10062, 'Unknown interaction');
    }
    if (pending.acknowledged)
      return error(400, 40060, 'Interaction has already been acknowledged.');
    const type = body.type as number;
    if (!CALLBACK_TYPES.has(type)) {
      return formError('type', 'BASE_TYPE_CHOICES', 'Value must be one of {4, 5, 6, 7}.');
    }
    const data = (typeof body.data === 'object' && body.data !== null ? body.data : undefined) as
      | Record<string, unknown>
      | undefined;
    const ephemeral = ((data?.flags as number | undefined) ?? 0) & EPHEMERAL;
    const message = this.#world.messages.get(pending.messageId);
    let effect: Reply | undefined;
    if (type === 7 && data && message) effect = effects.edit(message, data);
    if (type === 4 && data && !ephemeral) effect = effects.post(pending.channelId, data);
    if (effect && effect.status >= 300) return effect;
    pending.acknowledged = true;
    this.callbacks.push({ interactionId: id, type, data, ephemeral: ephemeral !== 0 });
    if (!withResponse) return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id,
          type: 3,
          activity_instance_id: null,
          response_message_id: message?.id ?? null,
          response_message_loading: type === 5,
          response_message_ephemeral: ephemeral !== 0,
        },
        resource: { type, ...(message && { message: this.#world.messages.get(message.id) }) },
      },
    };
  }

  #presser(user: APIUser | string | undefined, channel: { id: string; type: number }): APIUser {
    const world = this.#world;
    if (typeof user === 'object') return world.addUser(user);
    if (typeof user === 'string') {
      const known = world.users.get(user);
      if (!known) throw new Error(`fake discord: unknown user ${user}`);
      return known;
    }
    if (channel.type === 1) {
      const recipient = [...world.dmChannelByUser].find(([, id]) => id === channel.id)?.[0];
      const found = recipient ? world.users.get(recipient) : undefined;
      if (found) return found;
    }
    return world.customer;
  }
}
