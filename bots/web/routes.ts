import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response, Router } from 'express';
import { z } from 'zod';
import type { Engine } from '../../src/engine/engine.ts';
import { bearerAuth, HttpError, parseOr400 } from '../../src/http/errors.ts';
import type { Handoff, Store, StoredMessage } from '../../src/store/index.ts';
import { webConversationId } from './ids.ts';

/** The longest customer message the web chat accepts, in characters. */
export const MAX_MESSAGE_CHARS = 4000;

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');

export interface WebRoutesDeps {
  engine: Engine;
  store: Store;
  adminToken: string;
}

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
  author: z
    .object({ name: z.string().trim().min(1).max(80) })
    .partial()
    .optional(),
  messageId: z.string().min(1).max(128).optional(),
});

const agentSchema = z.object({
  agent: z.object({
    id: z.string().trim().min(1).max(80).optional(),
    name: z.string().trim().min(1).max(80),
  }),
});
const replySchema = agentSchema.extend({ text: z.string().trim().min(1).max(MAX_MESSAGE_CHARS) });
const afterSchema = z.coerce.number().int().min(0).default(0);
const idSchema = z.coerce.number().int().positive();

/** Messages as the customer's chat shows them: internal agent notes are left out. */
function publicView(m: StoredMessage) {
  return {
    id: String(m.id),
    role: m.role,
    author: m.authorName,
    text: m.text,
    createdAt: new Date(m.createdAt).toISOString(),
  };
}
const isInternal = (m: StoredMessage) => m.meta?.internal === true;

/**
 * The web chat (`/`, `/web/*`) and the web desk (`/desk`, `/desk/api/*`, bearer
 * ADMIN_TOKEN). Live updates are server-sent events.
 */
export function webRoutes({ engine, store, adminToken }: WebRoutesDeps): Router {
  const router = Router();
  router.use(express.static(PUBLIC_DIR, { index: 'chat.html' }));
  router.get('/desk', (_req, res) => res.sendFile(join(PUBLIC_DIR, 'desk.html')));

  router.post('/web/messages', async (req, res) => {
    const body = parseOr400(postMessageSchema, req.body ?? {});
    const conversationId = body.conversationId ?? webConversationId.create();
    // A client-chosen id is scoped to its conversation, so ids from different visitors never collide.
    const externalId = body.messageId
      ? `${conversationId}:${body.messageId}`
      : `web-${randomUUID()}`;
    const accepted = await engine.handle({
      platform: 'web',
      conversationId,
      messageId: externalId,
      author: {
        id: webConversationId.visitor(conversationId),
        name: body.author?.name ?? 'Web visitor',
      },
      text: body.text,
      receivedAt: new Date(),
    });
    const stored = store.conversations.byExternalId(conversationId, externalId);
    res.status(accepted ? 202 : 200).json({
      conversationId,
      messageId: String(stored?.id ?? ''),
      duplicate: !accepted,
    });
  });

  router.get('/web/conversations/:id/messages', (req, res) => {
    const id = req.params.id;
    const after = parseOr400(afterSchema, req.query.after);
    const conversation = store.conversations.get(id);
    if (!conversation) throw new HttpError(404, 'not_found', 'no such conversation');
    const messages = store.conversations.messages(id, after).filter((m) => !isInternal(m));
    const handoff = store.handoffs.activeFor(id);
    res.json({
      conversationId: id,
      status: conversation.status,
      handoff: handoff
        ? { id: handoff.id, status: handoff.status, agent: handoff.agentName }
        : null,
      messages: messages.map(publicView),
    });
  });

  router.get('/web/conversations/:id/stream', (req, res) => {
    const id = req.params.id;
    if (!webConversationId.isValid(id))
      throw new HttpError(400, 'invalid_request', 'not a web conversation id');
    const after = parseOr400(afterSchema, req.query.after);
    openStream(res);
    for (const m of store.conversations.messages(id, after))
      if (!isInternal(m)) send(res, 'message', publicView(m));
    const onMessage = (m: StoredMessage) => {
      if (m.conversationId === id && !isInternal(m)) send(res, 'message', publicView(m));
    };
    engine.on('message', onMessage);
    req.on('close', () => engine.off('message', onMessage));
  });

  const desk = Router();
  desk.use(bearerAuth(adminToken));
  desk.get('/handoffs', (req, res) => {
    const status = parseOr400(z.enum(['open', 'claimed', 'resolved']).optional(), req.query.status);
    res.json({
      handoffs: store.handoffs.list({ ...(status ? { status } : {}), limit: 100 }).map(deskView),
    });
  });
  desk.get('/handoffs/:id/messages', (req, res) => {
    const h = store.handoffs.get(parseOr400(idSchema, req.params.id));
    if (!h) throw new HttpError(404, 'not_found', 'no such handoff');
    res.json({
      handoff: deskView(h),
      messages: store.conversations
        .messages(h.conversationId)
        .map((m) => ({ ...publicView(m), internal: isInternal(m) })),
    });
  });
  desk.post('/handoffs/:id/claim', async (req, res) => {
    const { agent } = parseOr400(agentSchema, req.body ?? {});
    const result = await engine.desk.claim(parseOr400(idSchema, req.params.id), {
      id: agent.id ?? agent.name,
      name: agent.name,
    });
    if (result.ok) res.json({ handoff: deskView(result.handoff) });
    else if (result.reason === 'already_claimed')
      throw new HttpError(409, result.reason, `already claimed by ${result.by}`);
    else
      throw new HttpError(
        result.reason === 'not_found' ? 404 : 409,
        result.reason,
        `handoff is ${result.reason.replace('_', ' ')}`,
      );
  });
  desk.post('/handoffs/:id/reply', async (req, res) => {
    const { agent, text } = parseOr400(replySchema, req.body ?? {});
    const result = await engine.desk.reply(
      parseOr400(idSchema, req.params.id),
      { id: agent.id ?? agent.name, name: agent.name },
      text,
    );
    if (!result.ok)
      throw new HttpError(
        result.reason === 'not_found' ? 404 : 409,
        result.reason,
        `cannot reply: handoff is ${result.reason.replace('_', ' ')}`,
      );
    res.json(result);
  });
  desk.post('/handoffs/:id/resolve', async (req, res) => {
    const { agent } = parseOr400(agentSchema, req.body ?? {});
    const result = await engine.desk.resolve(parseOr400(idSchema, req.params.id), {
      id: agent.id ?? agent.name,
      name: agent.name,
    });
    if (!result.ok)
      throw new HttpError(
        result.reason === 'not_found' ? 404 : 409,
        result.reason,
        `handoff is ${result.reason.replace('_', ' ')}`,
      );
    res.json({ handoff: deskView(result.handoff) });
  });
  desk.get('/stream', (req, res) => {
    openStream(res);
    const onHandoff = (h: Handoff) => send(res, 'handoff', deskView(h));
    const onMessage = (m: StoredMessage) => {
      // The newest handoff, resolved included, so the resolution notice reaches the desk too.
      const h = store.handoffs.latestFor(m.conversationId);
      if (h) send(res, 'message', { handoffId: h.id, ...publicView(m), internal: isInternal(m) });
    };
    engine.on('handoff', onHandoff);
    engine.on('message', onMessage);
    req.on('close', () => {
      engine.off('handoff', onHandoff);
      engine.off('message', onMessage);
    });
  });
  router.use('/desk/api', desk);
  return router;
}

function deskView(h: Handoff) {
  return {
    id: h.id,
    conversationId: h.conversationId,
    platform: h.platform,
    customer: h.customerName,
    status: h.status,
    summary: h.summary,
    category: h.classification.category,
    priority: h.classification.priority,
    sentiment: h.classification.sentiment,
    agent: h.agentName,
    createdAt: new Date(h.createdAt).toISOString(),
  };
}

function openStream(res: Response): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  res.on('close', () => clearInterval(ping));
}

function send(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
