import { z } from 'zod';

/**
 * The parts of a Bot API update this adapter reads, checked before grammY's handlers see
 * it: Telegram's own types are only a promise, and a webhook can be posted by anyone who
 * learns its secret. Objects are loose, so fields added to the Bot API pass through.
 */
const id = z.int();
const user = z.looseObject({
  id,
  is_bot: z.boolean(),
  first_name: z.string().max(256),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
});
const entity = z
  .looseObject({
    type: z.string().max(64),
    offset: z.int().nonnegative(),
    length: z.int().nonnegative(),
    user: user.optional(),
  })
  .refine(
    (e) => e.type !== 'text_mention' || e.user !== undefined,
    'a text_mention names its user',
  );
/** Twice Telegram's 4,096 characters, so no way of counting them drops a real message. */
const text = z.string().max(8192);
const entities = z.array(entity).max(1000);
const message = z.looseObject({
  message_id: id,
  from: user.optional(),
  sender_chat: z.looseObject({ id }).optional(),
  chat: z.looseObject({ id, type: z.enum(['private', 'group', 'supergroup', 'channel']) }),
  text: text.optional(),
  caption: text.optional(),
  entities: entities.optional(),
  caption_entities: entities.optional(),
  is_topic_message: z.boolean().optional(),
  message_thread_id: id.optional(),
  reply_to_message: z.looseObject({ message_id: id, from: user.optional() }).optional(),
});
/** A button under a message: its label, and for a callback button the data it sends back. */
const button = z.looseObject({
  text: z.string().max(256),
  callback_data: z.string().max(64).optional(),
});
/**
 * The bot's message a pressed button sits under. It may be an InaccessibleMessage (date 0,
 * nothing but the chat and id), so only those are required.
 */
const pressedMessage = z.looseObject({
  message_id: id,
  chat: message.shape.chat,
  date: z.int(),
  from: user.optional(),
  is_topic_message: z.boolean().optional(),
  message_thread_id: id.optional(),
  reply_to_message: z.looseObject({ message_id: id, from: user.optional() }).optional(),
  reply_markup: z
    .looseObject({ inline_keyboard: z.array(z.array(button).max(100)).max(100) })
    .optional(),
});
/** A press of an inline keyboard button. `data` is 1-64 bytes on Telegram, so at most 64 characters. */
const callbackQuery = z.looseObject({
  id: z.string().min(1).max(128),
  from: user,
  message: pressedMessage.optional(),
  inline_message_id: z.string().max(256).optional(),
  chat_instance: z.string().max(256),
  data: z.string().max(64).optional(),
});
const envelope = z.looseObject({ update_id: z.int().nonnegative() });
const update = envelope.extend({
  message: message.optional(),
  callback_query: callbackQuery.optional(),
});

/**
 * Why an update cannot be handled (`message.chat.id: Invalid input: expected number,
 * received object`), or undefined when it fits. The reason names a field, never its value.
 */
export function updateProblem(value: unknown): string | undefined {
  const parsed = update.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? 'not a Telegram update'}`;
}

/** True for a body that is at least an update's envelope: an object with an `update_id`. */
export function isUpdateEnvelope(value: unknown): boolean {
  return envelope.safeParse(value).success;
}
