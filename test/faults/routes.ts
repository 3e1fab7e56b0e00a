/**
 * Every route Switchboard serves, as the bad-input corpus aims at them: read from
 * src/http/app.ts, src/http/api/*, bots/web/* and the platform routers.
 */

/** One route, with a request to it that is valid apart from what a test breaks. */
export interface Route {
  method: 'GET' | 'POST' | 'PATCH';
  /** With `:id` where the route takes one. */
  path: string;
  /** Behind `Authorization: Bearer ADMIN_TOKEN`. */
  admin: boolean;
  /** An id that names nothing, so a request that gets through changes nothing. */
  id?: string;
  /** Numeric ids: bad numbers are tried on them. */
  numericId?: boolean;
  /** A valid query. */
  query?: Readonly<Record<string, string>>;
  /** Query parameters that take numbers. */
  numbers?: readonly string[];
  /** A valid JSON body (for POST routes). */
  body?: unknown;
  /** Answers with a server-sent event stream when the request is valid. */
  stream?: boolean;
}

const NO_SUCH = '999999';
const agent = { name: 'Ana' };

/** `/api/*` and `/desk/api/*`: the admin API and the web desk's API. */
export const ADMIN_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/webhooks/deliveries',
    admin: true,
    query: { status: 'pending', type: 'ticket.created', limit: '10', offset: '0' },
    numbers: ['limit', 'offset'],
  },
  {
    method: 'GET',
    path: '/api/webhooks/deliveries/:id',
    admin: true,
    id: NO_SUCH,
    numericId: true,
  },
  {
    method: 'POST',
    path: '/api/webhooks/deliveries/:id/replay',
    admin: true,
    id: NO_SUCH,
    numericId: true,
  },
  { method: 'POST', path: '/api/webhooks/events/:id/replay', admin: true, id: 'evt_no_such' },
  {
    method: 'GET',
    path: '/api/clusters',
    admin: true,
    query: {
      status: 'open',
      productArea: 'Billing',
      urgency: 'urgent',
      platform: 'web',
      q: 'crash',
      limit: '10',
      offset: '0',
    },
    numbers: ['limit', 'offset'],
  },
  { method: 'GET', path: '/api/clusters/areas', admin: true },
  {
    method: 'GET',
    path: '/api/clusters/:id/timeline',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    query: { days: '14' },
    numbers: ['days'],
  },
  {
    method: 'POST',
    path: '/api/clusters/:id/rename',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    body: { title: 'App crashes when opening Settings', actor: 'ops' },
  },
  {
    method: 'GET',
    path: '/api/clusters/:id',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    query: { limit: '10', offset: '0' },
    numbers: ['limit', 'offset'],
  },
  {
    method: 'POST',
    path: '/api/clusters/:id/merge',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    body: { sourceIds: [999998], actor: 'ops' },
  },
  {
    method: 'POST',
    path: '/api/clusters/:id/split',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    body: { ticketIds: [999998] },
  },
  {
    method: 'POST',
    path: '/api/clusters/:id/resolve',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    body: { notify: false, resolution: 'fixed in 3.2.2' },
  },
  {
    method: 'GET',
    path: '/api/tickets',
    admin: true,
    query: {
      status: 'open',
      priority: 'high',
      category: 'bug',
      productArea: 'Billing',
      clusterId: '1',
      platform: 'web',
      q: 'crash',
      from: '2025-03-01',
      to: '2025-03-31',
      limit: '10',
      offset: '0',
    },
    numbers: ['clusterId', 'limit', 'offset'],
  },
  { method: 'GET', path: '/api/tickets/:id', admin: true, id: 'T-999999' },
  {
    method: 'PATCH',
    path: '/api/tickets/:id',
    admin: true,
    id: 'T-999999',
    body: { status: 'in_progress', note: 'Looking into it', actor: 'ops' },
  },
  { method: 'GET', path: '/api/overview', admin: true },
  {
    method: 'GET',
    path: '/api/overview/daily',
    admin: true,
    query: { days: '7' },
    numbers: ['days'],
  },
  { method: 'GET', path: '/api/stream', admin: true, stream: true },
  { method: 'GET', path: '/api/stats', admin: true, query: { days: '7' }, numbers: ['days'] },
  { method: 'GET', path: '/api/knowledge', admin: true },
  {
    method: 'GET',
    path: '/api/digest',
    admin: true,
    query: { since: '24h', format: 'json', top: '5' },
    numbers: ['top'],
  },
  {
    method: 'GET',
    path: '/api/digests',
    admin: true,
    query: { limit: '10', offset: '0' },
    numbers: ['limit', 'offset'],
  },
  {
    method: 'GET',
    path: '/api/digests/:id',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    query: { format: 'md' },
  },
  { method: 'GET', path: '/desk/api/handoffs', admin: true, query: { status: 'open' } },
  {
    method: 'GET',
    path: '/desk/api/handoffs/:id/messages',
    admin: true,
    id: NO_SUCH,
    numericId: true,
  },
  {
    method: 'POST',
    path: '/desk/api/handoffs/:id/claim',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    body: { agent },
  },
  {
    method: 'POST',
    path: '/desk/api/handoffs/:id/reply',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    body: { agent, text: 'On it' },
  },
  {
    method: 'POST',
    path: '/desk/api/handoffs/:id/resolve',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    body: { agent: { id: 'ana', name: 'Ana' } },
  },
  {
    method: 'GET',
    path: '/desk/api/handoffs/:id/card',
    admin: true,
    id: NO_SUCH,
    numericId: true,
  },
  {
    method: 'POST',
    path: '/desk/api/handoffs/:id/suggestions/1/send',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    body: { agent, text: 'Here is how to reset it' },
  },
  {
    method: 'POST',
    path: '/desk/api/handoffs/:id/suggestions/1/dismiss',
    admin: true,
    id: NO_SUCH,
    numericId: true,
    body: { agent },
  },
  { method: 'GET', path: '/desk/api/stream', admin: true, stream: true },
];

/** The web chat's routes: no token; a conversation's id is what lets its browser in. */
export const WEB_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/web/messages',
    admin: false,
    body: { text: 'Hello, is anyone there?', author: { name: 'Sam' } },
  },
  {
    method: 'GET',
    path: '/web/conversations/:id/messages',
    admin: false,
    id: 'web:nosuchconversation0001',
    query: { after: '0' },
    numbers: ['after'],
  },
  {
    method: 'GET',
    path: '/web/conversations/:id/stream',
    admin: false,
    // A stream opens only for an existing web conversation; this id is not a web one (400).
    id: 'telegram:4242',
    query: { after: '0' },
    numbers: ['after'],
    stream: true,
  },
];

/** Pages, assets, health and metrics. */
export const PAGES: readonly string[] = [
  '/',
  '/desk',
  '/health',
  '/metrics',
  '/chat.html',
  '/chat.js',
  '/desk.js',
  '/markdown.js',
  '/style.css',
  '/admin.js',
  '/console',
  '/console/app.js',
  '/console/console.css',
  '/console/vendor/uPlot.esm.js',
];

/** The platform webhooks (Slack HTTP mode, Telegram webhook mode). */
export const SLACK_EVENTS = '/slack/events';
export const TELEGRAM_WEBHOOK = '/telegram/webhook';

/** `POST /web/messages` etc., the name results are grouped by. */
export const routeName = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** The route's path with `id` in place of `:id` (sent as given: encode it first). */
export const pathOf = (r: Route, id = r.id ?? '') => r.path.replace(':id', id);

/** The route's valid query with `overrides`, encoded. */
export function queryOf(r: Route, overrides: Readonly<Record<string, string>> = {}): string {
  const query = new URLSearchParams({ ...r.query, ...overrides }).toString();
  return query ? `?${query}` : '';
}
