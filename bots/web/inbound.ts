import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { HttpError, parseOr400 } from '../../src/http/errors.ts';
import { openStream, sendEvent } from '../../src/http/sse.ts';
import type { AdapterHooks, InboundMessage } from '../../src/types/index.ts';
import { webMessage } from './format.ts';
import { webConversationId } from './ids.ts';
import type { WebStreams } from './outbound.ts';

/** The longest customer message the web chat accepts, in characters. */
export const MAX_MESSAGE_CHARS = 4000;

const postMessageSchema = z.object({
  conversationId: z
    .string()
    .refine(webConversationId.isValid, 'must look like web:<8-64 letters, digits, _ or ->')
    .optional(),
  text: z
    .string({ error: 'text is required' })
    .trim()
    .min(1, 'text must not be empty')
    .max(MAX_MESSAGE_CHARS, `text must be at most ${MAX_MESSAGE_CHARS} characters`),
  // Given, an author has a name; left out, the customer is "Web visitor".
  author: z.object({ name: z.string().trim().min(1).max(80) }).optional(),
  messageId: z.string().min(1).max(128).regex(/\S/, 'messageId must not be blank').optional(),
  /** The value of the pressed button; `text` is then its label. */
  choice: z.string().min(1).max(100, 'choice must be at most 100 characters').optional(),
});
const afterSchema = z.coerce.number().int().min(0).default(0);

/** A posted message as the engine takes it; the visitor is the random part of the id. */
export function toInboundMessage(
  body: z.infer<typeof postMessageSchema>,
  conversationId: string,
): InboundMessage {
  return {
    platform: 'web',
    conversationId,
    // A client-chosen id is scoped to its conversation, so ids from different visitors never collide.
    messageId: body.messageId ? `${conversationId}:${body.messageId}` : `web-${randomUUID()}`,
    author: {
      id: webConversationId.visitor(conversationId),
      name: body.author?.name ?? 'Web visitor',
    },
    text: body.text,
    receivedAt: new Date(),
    ...(body.choice ? { choice: body.choice } : {}),
  };
}

/**
 * The customer's side of the web chat: `POST /web/messages` hands a message to the engine;
 * `GET /web/conversations/:id/messages` and `/stream` show the conversation, bot and agent
 * replies included, internal notes never. Only web conversations are served.
 */
export function chatRoutes(hooks: () => AdapterHooks | undefined, streams: WebStreams): Router {
  const router = Router();
  const engine = (): AdapterHooks => {
    const started = hooks();
    if (!started) throw new HttpError(503, 'unavailable', 'the web chat is still starting');
    return started;
  };

  router.post('/web/messages', async (req, res) => {
    const body = parseOr400(postMessageSchema, req.body ?? {});
    const conversationId = body.conversationId ?? webConversationId.create();
    const msg = toInboundMessage(body, conversationId);
    const accepted = await engine().handle(msg);
    const stored = engine().conversation(conversationId)?.byPlatformId(msg.messageId);
    if (accepted && stored) streams.publish(conversationId, webMessage(stored));
    res.status(accepted ? 202 : 200).json({
      conversationId,
      messageId: String(stored?.id ?? ''),
      duplicate: !accepted,
    });
  });

  router.get('/web/conversations/:id/messages', (req, res) => {
    const id = req.params.id;
    const after = parseOr400(afterSchema, req.query.after);
    const conversation = webConversationId.isValid(id) ? engine().conversation(id) : undefined;
    if (!conversation) throw new HttpError(404, 'not_found', 'no such conversation');
    res.json({
      conversationId: id,
      status: conversation.status,
      handoff: conversation.handoff,
      messages: conversation.messages(after).map(webMessage),
    });
  });

  router.get('/web/conversations/:id/stream', (req, res) => {
    const id = req.params.id;
    if (!webConversationId.isValid(id))
      throw new HttpError(400, 'invalid_request', 'not a web conversation id');
    const after = parseOr400(afterSchema, req.query.after);
    // As the messages route: a stream only for a conversation that exists.
    const conversation = engine().conversation(id);
    if (!conversation) throw new HttpError(404, 'not_found', 'no such conversation');
    const backlog = conversation.messages(after);
    openStream(res);
    // Followed before the backlog is written, in the same tick: nothing falls in between.
    streams.follow(id, res);
    for (const m of backlog) sendEvent(res, 'message', webMessage(m));
  });

  return router;
}
