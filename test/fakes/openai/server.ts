import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { chatCompletion, defaultContent, estimateTokens, type FakeRequestBody } from './chat.ts';
import { hashedEmbedding, toBase64 } from './embeddings.ts';

export type { FakeRequestBody } from './chat.ts';

/**
 * How the fake misbehaves. `429` sends `retry-after-ms` and `retry-after`; `500` an error
 * body; `slow` waits `delayMs` and then answers normally; `hang` reads the request and never
 * answers (the client's timeout ends it, or `close()`); `down` destroys the socket;
 * `badJson` answers a chat request with content that is not JSON (chat requests only).
 */
export type FakeMode = 'ok' | '429' | '500' | 'slow' | 'hang' | 'down' | 'badJson';

/** Narrows a mode and sets its parameters. */
export interface FakeModeOptions {
  /** Only requests for this model misbehave; others are served normally. */
  model?: string;
  /** Only the next N matching requests misbehave, then the rule expires. */
  times?: number;
  /** For `slow`. Default 1000. */
  delayMs?: number;
  /** For `429`. Default 1000. */
  retryAfterMs?: number;
  /** For `badJson`. Default a truncated JSON object. */
  content?: string;
}

/** One request the fake received, whatever it answered. */
export interface RecordedRequest {
  method: string;
  /** e.g. `/v1/chat/completions`. */
  path: string;
  /** The `model` field of the body, when there is one. */
  model: string | undefined;
  body: FakeRequestBody;
  authorization: string | undefined;
  /** What the fake did with it. */
  outcome: FakeMode;
}

/** Returns the chat content for a request: a string as is, anything else as JSON. */
export type ChatHandler = (request: RecordedRequest) => unknown;

/** A running fake; see `startFakeOpenAI`. */
export interface FakeOpenAI {
  /** The base URL for the client, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[];
  /** Replaces all failure rules with this one; `setMode('ok')` clears them. */
  setMode(mode: FakeMode, options?: FakeModeOptions): void;
  /** Adds a failure rule after the existing ones (the first matching rule applies). */
  addMode(mode: Exclude<FakeMode, 'ok'>, options?: FakeModeOptions): void;
  /** Queues chat replies, served one per successful chat request before the handler. */
  reply(...contents: unknown[]): void;
  /** Answers chat requests when the queue is empty. Unset: a schema-valid sample or echo. */
  setHandler(handler: ChatHandler | undefined): void;
  /** Clears rules, queue, handler and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/** Options of the whole fake. */
export interface FakeOpenAIOptions {
  /** Embedding size when the request has no `dimensions`. Default 64. */
  embeddingDimensions?: number;
  /** Ids listed by `GET /v1/models`. */
  models?: string[];
}

interface Rule extends FakeModeOptions {
  mode: Exclude<FakeMode, 'ok'>;
}

/**
 * Starts a loopback server that speaks enough of the OpenAI API for the official client:
 * chat completions (with `json_schema` response formats), embeddings and the model list.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const queue: unknown[] = [];
  let rules: Rule[] = [];
  let handler: ChatHandler | undefined;
  let served = 0;
  const closing = new AbortController();
  // Every slow request waits on this one signal (a load test holds hundreds at a time).
  setMaxListeners(0, closing.signal);

  function takeRule(path: string, model: string | undefined): Rule | undefined {
    const rule = rules.find(
      (r) =>
        (r.model === undefined || r.model === model) &&
        (r.mode !== 'badJson' || path === '/v1/chat/completions'),
    );
    if (rule?.times !== undefined && --rule.times <= 0) rules = rules.filter((r) => r !== rule);
    return rule;
  }

  async function chatContent(request: RecordedRequest): Promise<string> {
    const scripted = queue.length > 0 ? queue.shift() : await handler?.(request);
    const content = scripted ?? defaultContent(request.body);
    return typeof content === 'string' ? content : JSON.stringify(content);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const body = (await readJson(req)) as FakeRequestBody;
    const rule = takeRule(path, body.model);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      model: body.model,
      body,
      authorization: req.headers.authorization,
      outcome: rule?.mode ?? 'ok',
    };
    requests.push(request);

    if (!req.headers.authorization?.startsWith('Bearer ')) {
      return sendError(res, 401, 'invalid_api_key', 'Missing bearer token (fake)');
    }
    if (rule?.mode === 'down') {
      req.socket.destroy();
      return;
    }
    if (rule?.mode === '429') {
      const ms = rule.retryAfterMs ?? 1000;
      res.setHeader('retry-after-ms', String(ms));
      res.setHeader('retry-after', String(Math.ceil(ms / 1000)));
      return sendError(res, 429, 'rate_limit_exceeded', 'Rate limit reached (fake)');
    }
    if (rule?.mode === '500') return sendError(res, 500, 'server_error', 'Internal error (fake)');
    if (rule?.mode === 'hang') return hang(req);
    if (rule?.mode === 'slow')
      await delay(rule.delayMs ?? 1000, undefined, { signal: closing.signal });

    const endpoint = `${request.method} ${path}`;
    if (endpoint === 'POST /v1/chat/completions') {
      if (body.stream) return sendError(res, 400, 'unsupported', 'The fake does not stream');
      const content =
        rule?.mode === 'badJson'
          ? (rule.content ?? '{"reply": "cut off')
          : await chatContent(request);
      return sendJson(res, 200, chatCompletion(body, content, ++served));
    }
    if (endpoint === 'POST /v1/embeddings') return sendJson(res, 200, embeddings(body));
    if (endpoint === 'GET /v1/models') return sendJson(res, 200, modelList());
    return sendError(res, 404, 'not_found', `No route ${endpoint} (fake)`);
  }

  function embeddings(body: FakeRequestBody) {
    const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
    const size = body.dimensions ?? options.embeddingDimensions ?? 64;
    const base64 = body.encoding_format === 'base64';
    const data = inputs.map((text, index) => {
      const vector = hashedEmbedding(text, size);
      return { object: 'embedding', index, embedding: base64 ? toBase64(vector) : vector };
    });
    const tokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
    return {
      object: 'list',
      data,
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  }

  function modelList() {
    const ids = options.models ?? ['fake-chat', 'fake-chat-fallback', 'fake-embedding'];
    const data = ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' }));
    return { object: 'list', data };
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (closing.signal.aborted || res.headersSent || res.destroyed) return;
      sendError(res, 400, 'invalid_request_error', String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setMode(mode, modeOptions = {}) {
      rules = mode === 'ok' ? [] : [{ mode, ...modeOptions }];
    },
    addMode(mode, modeOptions = {}) {
      rules.push({ mode, ...modeOptions });
    },
    reply(...contents) {
      queue.push(...contents);
    },
    setHandler(next) {
      handler = next;
    },
    reset() {
      rules = [];
      queue.length = 0;
      handler = undefined;
      requests.length = 0;
    },
    async close() {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Holds the request open, unanswered, until the client gives up or the fake closes. */
function hang(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => req.socket.once('close', () => resolve()));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  // A client that timed out has gone; writing would only raise on a dead socket.
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_fake' });
  res.end(JSON.stringify(payload));
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const type =
    status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(res, status, { error: { message, type, code, param: null } });
}
