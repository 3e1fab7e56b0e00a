/** The bad-input corpus's shared words: what a bad request is, and how parts of it are built. */
import type { ProbeRequest } from './http-probe.ts';
import { pathOf, queryOf, type Route, routeName } from './routes.ts';

export type BadKind =
  | 'invalid-json'
  | 'content-type'
  | 'huge-body'
  | 'deep-nesting'
  | 'wrong-shape'
  | 'proto-keys'
  | 'control-bytes'
  | 'long-string'
  | 'traversal-sql'
  | 'bad-number'
  | 'bearer'
  | 'repeated-headers'
  | 'conversation-leak'
  | 'method-path'
  | 'broken-http'
  | 'slack-forged'
  | 'slack-malformed'
  | 'telegram-secret'
  | 'telegram-malformed'
  | 'telegram-not-update';

/** One bad request, and what it may get. */
export interface BadRequest extends ProbeRequest {
  kind: BadKind;
  /** The route aimed at, e.g. `POST /api/clusters/:id/merge`; results are grouped by it. */
  route: string;
  /** The statuses it may get; without it, any status below 500. */
  expect?: readonly number[];
  /**
   * Odd but valid by design, so it may be accepted: `web` for a new web conversation, or
   * the id of the conversation it opens on a platform.
   */
  creates?: string;
}

/** What the corpus needs to know about the running Switchboard. */
export interface Targets {
  adminToken: string;
  slackSigningSecret: string;
  telegramSecret: string;
  /** A web conversation that exists. */
  webConversationId: string;
  /** Conversations of other platforms that exist: no web route may serve them. */
  foreignConversationIds: readonly string[];
}

/** Headers in order; a name given twice is sent twice. */
export type Headers = Array<[string, string]>;

/** The tools every part of the corpus builds with. */
export interface Builder {
  readonly t: Targets;
  readonly rng: () => number;
  add(req: BadRequest): void;
  /** `n` of `list`, picked by the seed. */
  sample<T>(list: readonly T[], n: number): T[];
}

export const JSON_TYPE: [string, string] = ['content-type', 'application/json'];
export const bytes = (text: string) => Buffer.from(text, 'utf8');
export const json = (value: unknown) => bytes(JSON.stringify(value));

/** `'['` × 10,000 then `']'` × 10,000, and the same with objects. */
export const DEEP_ARRAY = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
export const DEEP_OBJECT = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

/** The headers a valid request to `route` carries. */
export function headersOf(route: Route, t: Targets): Headers {
  return [
    ...(route.admin ? [['authorization', `Bearer ${t.adminToken}`] as [string, string]] : []),
    ...(route.body !== undefined ? [JSON_TYPE] : []),
  ];
}

/** A request to `route` that is valid but for what `change` sets. */
export function to(
  b: Builder,
  kind: BadKind,
  route: Route,
  change: Partial<Omit<BadRequest, 'kind' | 'route'>> = {},
): void {
  b.add({
    kind,
    route: routeName(route),
    method: route.method,
    path: `${pathOf(route)}${queryOf(route)}`,
    headers: headersOf(route, b.t),
    ...(route.body !== undefined ? { body: json(route.body) } : {}),
    ...change,
  });
}
