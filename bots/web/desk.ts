import { Router } from 'express';
import { z } from 'zod';
import { bearerAuth, HttpError, parseOr400 } from '../../src/http/errors.ts';
import { openStream, sendEvent } from '../../src/http/sse.ts';
import {
  type Agent,
  type Desk,
  type DeskActions,
  isInternalNote,
  type SuggestionResult,
} from '../../src/types/index.ts';
import { deskHandoff, webMessage } from './format.ts';
import { MAX_MESSAGE_CHARS } from './inbound.ts';

/**
 * The web desk at /desk, used while Slack is not configured. Its page lists handoffs and
 * follows them over SSE from the engine's desk events, so posting, updating and relaying
 * need no work here beyond naming where the handoff went. The card is read from the desk
 * actions; the customer's rating reaches the page as the engine's internal note.
 */
export function createWebDesk(): Desk {
  return {
    name: 'web',
    async announce() {
      return { desk: 'web' };
    },
    async update() {},
    async relay() {},
  };
}

const agentSchema = z.object({
  agent: z.object({
    id: z.string().trim().min(1).max(80).optional(),
    name: z.string().trim().min(1).max(80),
  }),
});
const replySchema = agentSchema.extend({ text: z.string().trim().min(1).max(MAX_MESSAGE_CHARS) });
/** Send as drafted, or with the agent's edited `text`. */
const suggestionSendSchema = agentSchema.extend({
  text: z.string().trim().min(1).max(MAX_MESSAGE_CHARS).optional(),
});
const idSchema = z.coerce.number().int().positive();
const statusSchema = z.enum(['open', 'claimed', 'resolved']).optional();

const agentOf = (body: z.infer<typeof agentSchema>): Agent => ({
  id: body.agent.id ?? body.agent.name,
  name: body.agent.name,
});

/** A refused desk action as the page shows it: 404 for a missing handoff, 409 otherwise. */
function refused(reason: string, message: string): HttpError {
  return new HttpError(reason === 'not_found' ? 404 : 409, reason, message);
}

const SUGGESTION_REFUSALS = {
  not_found: 'no such handoff',
  resolved: 'handoff is resolved',
  not_claimed: 'handoff is not claimed',
  stale: 'that suggestion is no longer the current one',
} as const;

/**
 * The web desk's API, `/desk/api/*` behind bearer ADMIN_TOKEN: handoffs (list, one with its
 * messages, its agent card), claim, reply, resolve, send or dismiss the card's suggestion,
 * and a stream of every handoff change, message and card.
 */
export function deskRoutes(actions: () => DeskActions, adminToken: string): Router {
  const desk = Router();
  desk.use(bearerAuth(adminToken));
  desk.get('/handoffs', (req, res) => {
    const status = parseOr400(statusSchema, req.query.status);
    res.json({
      handoffs: actions()
        .handoffs({ ...(status ? { status } : {}), limit: 100 })
        .map(deskHandoff),
    });
  });
  desk.get('/handoffs/:id/messages', (req, res) => {
    const h = actions().handoff(parseOr400(idSchema, req.params.id));
    if (!h) throw new HttpError(404, 'not_found', 'no such handoff');
    res.json({
      handoff: deskHandoff(h),
      messages: actions()
        .transcript(h)
        .map((m) => ({ ...webMessage(m), internal: isInternalNote(m) })),
    });
  });
  desk.get('/handoffs/:id/card', (req, res) => {
    const id = parseOr400(idSchema, req.params.id);
    const card = actions().card(id);
    if (!card) {
      const known = actions().handoff(id) !== undefined;
      throw new HttpError(404, 'not_found', known ? 'no card before a claim' : 'no such handoff');
    }
    res.json({ card });
  });
  /** The card as it is after a suggestion was used: the page shows it at once. */
  const afterSuggestion = (id: number, result: SuggestionResult) => {
    if (!result.ok) throw refused(result.reason, SUGGESTION_REFUSALS[result.reason]);
    return { ok: true, card: actions().card(id) ?? null };
  };
  desk.post('/handoffs/:id/suggestions/:sid/send', async (req, res) => {
    const body = parseOr400(suggestionSendSchema, req.body ?? {});
    const id = parseOr400(idSchema, req.params.id);
    const sid = parseOr400(idSchema, req.params.sid);
    const result = await actions().sendSuggestion(id, sid, agentOf(body), body.text);
    res.json(afterSuggestion(id, result));
  });
  desk.post('/handoffs/:id/suggestions/:sid/dismiss', async (req, res) => {
    const agent = agentOf(parseOr400(agentSchema, req.body ?? {}));
    const id = parseOr400(idSchema, req.params.id);
    const sid = parseOr400(idSchema, req.params.sid);
    res.json(afterSuggestion(id, await actions().dismissSuggestion(id, sid, agent)));
  });
  desk.post('/handoffs/:id/claim', async (req, res) => {
    const agent = agentOf(parseOr400(agentSchema, req.body ?? {}));
    const result = await actions().claim(parseOr400(idSchema, req.params.id), agent);
    if (result.ok) res.json({ handoff: deskHandoff(result.handoff) });
    else if (result.reason === 'already_claimed')
      throw refused(result.reason, `already claimed by ${result.by}`);
    else throw refused(result.reason, `handoff is ${result.reason.replace('_', ' ')}`);
  });
  desk.post('/handoffs/:id/reply', async (req, res) => {
    const body = parseOr400(replySchema, req.body ?? {});
    const result = await actions().reply(
      parseOr400(idSchema, req.params.id),
      agentOf(body),
      body.text,
    );
    if (!result.ok)
      throw refused(result.reason, `cannot reply: handoff is ${result.reason.replace('_', ' ')}`);
    res.json(result);
  });
  desk.post('/handoffs/:id/resolve', async (req, res) => {
    const agent = agentOf(parseOr400(agentSchema, req.body ?? {}));
    const result = await actions().resolve(parseOr400(idSchema, req.params.id), agent);
    if (!result.ok) throw refused(result.reason, `handoff is ${result.reason.replace('_', ' ')}`);
    res.json({ handoff: deskHandoff(result.handoff) });
  });
  desk.get('/stream', (req, res) => {
    openStream(res);
    const unsubscribe = actions().subscribe((event) => {
      if (event.type === 'handoff') sendEvent(res, 'handoff', deskHandoff(event.handoff));
      else if (event.type === 'card') sendEvent(res, 'card', event.card);
      else {
        const { handoffId, message } = event;
        sendEvent(res, 'message', {
          handoffId,
          ...webMessage(message),
          internal: isInternalNote(message),
        });
      }
    });
    req.on('close', unsubscribe);
  });
  return Router().use('/desk/api', desk);
}
