/**
 * The HTTP half of the fake: `POST /api/<method>` like `https://slack.com/api/<method>`, plus
 * `POST /actions/...` standing in for interactivity `response_url`s (Bolt's `respond()`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Args, METHODS, type MethodContext, type Reply, type TokenKind } from './methods.ts';
import type { SlackState } from './state.ts';

/** The tokens the fake accepts. Anything else is `invalid_auth`. */
export interface FakeTokens {
  botToken: string;
  appToken: string;
}

// Slack's WebClient sends form bodies and JSON-encodes structured fields into them.
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view']);

function parseForm(text: string): Args {
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const looksJson = value.startsWith('[') || value.startsWith('{');
    args[key] = JSON_FIELDS.has(key) && looksJson ? JSON.parse(value) : value;
  }
  return args;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses query string plus a form or JSON body. Throws on malformed JSON. */
async function parseArgs(req: IncomingMessage, url: URL): Promise<Args> {
  const text = await readBody(req);
  const type = req.headers['content-type'] ?? '';
  const body = type.includes('application/json')
    ? (JSON.parse(text || '{}') as Args)
    : parseForm(text);
  return { ...Object.fromEntries(url.searchParams), ...body };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function tokenOf(req: IncomingMessage, args: Args): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length);
  return typeof args.token === 'string' ? args.token : undefined;
}

function authError(
  token: string | undefined,
  wanted: TokenKind,
  tokens: FakeTokens,
): string | undefined {
  if (token === undefined || token === '') return 'not_authed';
  const kind = token === tokens.botToken ? 'bot' : token === tokens.appToken ? 'app' : undefined;
  if (kind === undefined) return 'invalid_auth';
  return kind === wanted ? undefined : 'not_allowed_token_type';
}

/** Builds the request listener for the fake's HTTP server. */
export function createWebApiListener(state: SlackState, tokens: FakeTokens, ctx: MethodContext) {
  async function handleMethod(req: IncomingMessage, res: ServerResponse, url: URL, method: string) {
    let args: Args;
    try {
      args = await parseArgs(req, url);
    } catch {
      sendJson(res, 200, { ok: false, error: 'invalid_json' });
      return;
    }
    const token = tokenOf(req, args);
    const call = { method, args, token, at: Date.now(), outcome: 'ok' };
    state.record(state.callLog, call);
    const spec = METHODS[method];
    const failure = spec ? state.takeFailure(method) : undefined;
    let reply: Reply;
    if (!spec) {
      reply = { ok: false, error: 'unknown_method', req_method: method };
    } else if (authError(token, spec.token, tokens) !== undefined) {
      reply = { ok: false, error: authError(token, spec.token, tokens) };
    } else if (failure?.error === 'drop') {
      call.outcome = 'dropped';
      req.socket.destroy();
      return;
    } else if (failure?.error === 'ratelimited') {
      call.outcome = 'ratelimited';
      const retryAfter = String(failure.retryAfterSec);
      sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': retryAfter });
      return;
    } else if (failure) {
      reply = { ok: false, error: failure.error };
    } else {
      reply = spec.handle(args, ctx);
    }
    if (!reply.ok) call.outcome = String(reply.error);
    sendJson(res, 200, reply);
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, url: URL) {
    const text = await readBody(req);
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    state.record(state.responses, { path: url.pathname, body, at: Date.now() });
    sendJson(res, 200, { ok: true });
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    const work =
      method !== undefined
        ? handleMethod(req, res, url, method)
        : req.method === 'POST' && url.pathname.startsWith('/actions/')
          ? handleResponseUrl(req, res, url)
          : Promise.resolve(sendJson(res, 404, { ok: false, error: 'not_found' }));
    work.catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: String(error) });
    });
  };
}
