import { InteractionType } from 'discord.js';
import { z } from 'zod';

/**
 * The parts of an INTERACTION_CREATE payload discord.js and this adapter read, checked on
 * the raw gateway packet. discord.js builds an interaction from whatever the gateway sent and
 * throws (an unhandled rejection, which ends a Node process) on one without `data`, without
 * `user` or `member.user`, or without `entitlements`, so this check has to run before it does.
 * Objects are loose, so fields Discord adds pass through.
 */
const snowflake = z.string().regex(/^\d{1,25}$/, 'not a snowflake');
const user = z.looseObject({ id: snowflake, bot: z.boolean().optional() });
const interaction = z
  .looseObject({
    id: snowflake,
    application_id: snowflake,
    type: z.int(),
    token: z.string().min(1).max(1000),
    guild_id: snowflake.optional(),
    user: user.optional(),
    member: z.looseObject({ user }).optional(),
    entitlements: z.array(z.looseObject({ id: snowflake })).max(100),
  })
  .refine((i) => i.user !== undefined || i.member !== undefined, 'names neither user nor member');
/** A button or select menu press: under a message, in a channel, with the component's id. */
const componentInteraction = z.looseObject({
  channel: z.looseObject({ id: snowflake, type: z.int() }),
  data: z.looseObject({ custom_id: z.string().min(1).max(100), component_type: z.int() }),
  message: z.looseObject({ id: snowflake, channel_id: snowflake, author: user }),
});

/**
 * Why an INTERACTION_CREATE payload cannot be handled (`data.custom_id: Too big: expected
 * string to have <=100 characters`), or undefined when it fits. Names a field, never a value.
 */
export function interactionProblem(payload: unknown): string | undefined {
  const base = interaction.safeParse(payload);
  const parsed =
    base.success && base.data.type === InteractionType.MessageComponent
      ? componentInteraction.safeParse(payload)
      : base;
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? 'not an interaction'}`;
}
