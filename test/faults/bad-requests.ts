/**
 * The bad-input corpus: over a thousand requests that are wrong in one way each, aimed at
 * every route (routes.ts), generated from a seed so every run sends the same bytes. Bodies
 * are in bad-bodies.ts, the platform webhooks' payloads in bad-platform-requests.ts.
 */
import { mulberry32 } from '../../src/random.ts';
import { bodyRequests } from './bad-bodies.ts';
import { platformRequests } from './bad-platform-requests.ts';
import {
  type BadRequest,
  type Builder,
  bytes,
  type Headers,
  headersOf,
  JSON_TYPE,
  type Targets,
  to,
} from './corpus.ts';
import {
  ADMIN_ROUTES,
  PAGES,
  pathOf,
  queryOf,
  type Route,
  TELEGRAM_WEBHOOK,
  WEB_ROUTES,
} from './routes.ts';

/** Ids and query values that try to reach outside their place. */
export const TRAVERSAL_SQL: readonly string[] = [
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fpackage.json',
  '..\\..\\windows\\win.ini',
  '....//....//etc/passwd',
  '/etc/passwd',
  '1 OR 1=1',
  "1' OR '1'='1",
  '1; DROP TABLE tickets;--',
  '1) UNION SELECT * FROM conversations--',
  "' OR ''='",
  '%00',
  '1%00.json',
  "T-1' --",
  '*',
  '%',
  '_',
  '$(id)',
  '`id`',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, sent as is
  '${7*7}',
  '<script>alert(1)</script>',
  '1/../../2',
  'T-1042/../../../etc/passwd',
];

/** Numbers no id or count should take. The last few coerce to small ids: GETs only. */
export const BAD_NUMBERS: readonly string[] = [
  '-1',
  '0',
  '-0',
  '1.5',
  '1e309',
  '-1e309',
  'NaN',
  'Infinity',
  '-Infinity',
  '9007199254740993',
  '1e21',
  '99999999999999999999999',
  '1,2',
  '--1',
  '1_000',
  '½',
  '١',
  'one',
];
const COERCED_NUMBERS = ['0x10', '0b1', ' 7', '007', '+1', '1e3', '%207'];

export type { BadKind, BadRequest, Targets } from './corpus.ts';

/** Builds the corpus for `seed`, in a seeded order so routes interleave under concurrency. */
export function badRequests(seed: number, t: Targets): BadRequest[] {
  const rng = mulberry32(seed);
  const all: BadRequest[] = [];
  const b: Builder = {
    t,
    rng,
    add: (req) => all.push(req),
    sample: (list, n) => shuffle([...list], rng).slice(0, n),
  };
  bearer(b);
  conversationLeaks(b);
  idsAndQueries(b);
  bodyRequests(b);
  methodsAndPaths(b);
  repeatedHeaders(b);
  brokenHttp(b);
  platformRequests(b);
  return shuffle(all, rng);
}

function shuffle<T>(list: T[], rng: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

/** Every admin route, with every way of not holding the token: always 401. */
function bearer(b: Builder): void {
  const token = b.t.adminToken;
  const wrong: Array<string | undefined | [string, string]> = [
    undefined,
    '',
    'Bearer',
    'Bearer ',
    `Bearer ${token}x`,
    `Bearer ${token.slice(0, -1)}`,
    `bearer ${token}`,
    `Bearer  ${token}`,
    `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`,
    `Token ${token}`,
    token,
    `Bearer ${'A'.repeat(10_000)}`,
    'Bearer null',
    'Bearer undefined',
    `Bearer ${token}\u00e9`,
    // Node keeps the first of two Authorization headers.
    [`Bearer wrong-${token}`, `Bearer ${token}`],
  ];
  for (const route of ADMIN_ROUTES) {
    for (const value of wrong) {
      const auth: Headers =
        value === undefined
          ? []
          : Array.isArray(value)
            ? value.map((v) => ['authorization', v] as [string, string])
            : [['authorization', value]];
      const rest = headersOf(route, b.t).filter(([name]) => name !== 'authorization');
      to(b, 'bearer', route, { headers: [...auth, ...rest], expect: [401] });
    }
  }
}

/** Other platforms' conversations through the web chat's routes, in every spelling. */
function conversationLeaks(b: Builder): void {
  const ids = [
    ...b.t.foreignConversationIds,
    'telegram:4242',
    'telegram:-1001987654321:4242',
    'slack:C07COMMUNITY:1717000100.000200',
    'discord:dm:1191655986167939082',
    'discord:1262707309327548428',
    'discord:1191655986167939082:413752331600003080',
    'web',
    'web:',
    'web:short',
    `web:${'a'.repeat(65)}`,
    'web:telegram:4242',
    'WEB:abcdefgh12345678',
  ];
  const spellings = (id: string) => [
    id,
    encodeURIComponent(id),
    encodeURIComponent(encodeURIComponent(id)),
    id.replace(/^(\w)/, (c) => `%${c.charCodeAt(0).toString(16)}`),
  ];
  const [, messages, stream] = WEB_ROUTES as [Route, Route, Route];
  for (const id of ids) {
    for (const spelled of new Set(spellings(id))) {
      for (const route of [messages, stream]) {
        to(b, 'conversation-leak', route, {
          path: `${pathOf(route, spelled)}${queryOf(route)}`,
          expect: [400, 404],
        });
      }
    }
  }
}

/** Traversal, SQL and bad numbers in every id and query parameter. */
function idsAndQueries(b: Builder): void {
  const routes = [...ADMIN_ROUTES, ...WEB_ROUTES];
  for (const route of routes.filter((r) => r.path.includes(':id'))) {
    for (const value of TRAVERSAL_SQL) {
      // Most encoded, as a client would send them; every fourth raw, slashes and all.
      const id = b.rng() < 0.25 ? value.replaceAll(' ', '%20') : encodeURIComponent(value);
      to(b, 'traversal-sql', route, { path: `${pathOf(route, id)}${queryOf(route)}` });
    }
    if (!route.numericId) continue;
    for (const value of BAD_NUMBERS) {
      to(b, 'bad-number', route, {
        path: `${pathOf(route, encodeURIComponent(value))}${queryOf(route)}`,
        expect: [400, 404],
      });
    }
    // `0x10`, ` 7`, `+1`: numbers after all, so a read may find a record by them.
    if (route.method !== 'GET') continue;
    for (const value of COERCED_NUMBERS) {
      to(b, 'bad-number', route, {
        path: `${pathOf(route, encodeURIComponent(value))}${queryOf(route)}`,
      });
    }
  }
  for (const route of routes.filter((r) => r.query)) {
    for (const name of Object.keys(route.query ?? {})) {
      for (const value of b.sample(TRAVERSAL_SQL, 4)) {
        to(b, 'traversal-sql', route, {
          path: `${pathOf(route)}${queryOf(route, { [name]: value })}`,
        });
      }
    }
    for (const name of route.numbers ?? []) {
      for (const value of b.sample([...BAD_NUMBERS, ...COERCED_NUMBERS], 8)) {
        to(b, 'bad-number', route, {
          path: `${pathOf(route)}${queryOf(route, { [name]: value })}`,
        });
      }
    }
    // Prototype keys and repeats in the query string.
    for (const query of [
      '__proto__[polluted]=yes',
      'constructor[prototype][polluted]=yes',
      '__proto__=yes',
      'hasOwnProperty=1',
      `${Object.keys(route.query ?? {})[0]}=1&${Object.keys(route.query ?? {})[0]}=2`,
      `${Object.keys(route.query ?? {})[0]}[]=1`,
    ]) {
      to(b, 'proto-keys', route, { path: `${pathOf(route)}?${query}` });
    }
    to(b, 'long-string', route, {
      path: `${pathOf(route)}${queryOf(route, { [Object.keys(route.query ?? {})[0] ?? 'q']: 'x'.repeat(10_000) })}`,
    });
  }
}

/** Methods no route takes, and paths that are near a route or try to leave the public folder. */
function methodsAndPaths(b: Builder): void {
  const add = (method: string, path: string, headers: Headers = [], expect?: number[]) =>
    b.add({
      kind: 'method-path',
      route: `${method} ${path}`,
      method,
      path,
      headers,
      ...(expect ? { expect } : {}),
    });
  const auth: Headers = [['authorization', `Bearer ${b.t.adminToken}`]];
  for (const route of [...ADMIN_ROUTES, ...WEB_ROUTES]) {
    const path = pathOf(route);
    // Methods no route of this path takes (`/api/tickets/:id` takes GET and PATCH).
    const taken = new Set(
      [...ADMIN_ROUTES, ...WEB_ROUTES].filter((r) => pathOf(r) === path).map((r) => r.method),
    ) as Set<string>;
    for (const method of ['PUT', 'PATCH', 'DELETE', 'PROPFIND'].filter((m) => !taken.has(m))) {
      add(method, path, [], route.admin ? [401] : [404]);
      if (route.admin) add(method, path, auth, [404]);
    }
    add(
      route.method === 'GET' ? 'POST' : 'GET',
      path,
      route.admin ? auth : [],
      route.stream ? [404] : undefined,
    );
  }
  for (const page of PAGES) {
    for (const method of ['POST', 'DELETE', 'OPTIONS']) add(method, page);
  }
  add('GET', '//api/tickets', [], [401, 404]);
  for (const path of [
    '/API/TICKETS',
    '/api/tickets/',
    '/api/../api/tickets',
    '/api',
    '/api/',
    '/desk/api',
    '/desk/api/',
    '/DESK/API/handoffs',
  ]) {
    add('GET', path, [], [401]);
  }
  for (const path of [
    '/.env',
    '/.git/config',
    '/package.json',
    '/node_modules/express/package.json',
    '/bots/web/public/chat.js',
    '/../package.json',
    '/../../../../etc/passwd',
    '/..%2f..%2fpackage.json',
    '/%2e%2e/%2e%2e/package.json',
    '/..%5c..%5cpackage.json',
    '/chat.js/..%2f..%2f..%2fpackage.json',
    '/chat.js%00.html',
    '/%c0%ae%c0%ae/package.json',
    '/web/messages/../../api/tickets',
    '/health/../api/tickets',
    '/web//messages',
    '/favicon.ico',
    '/slack/events',
    TELEGRAM_WEBHOOK,
    '/web/conversations/',
    '/web/conversations//messages',
    `/${'a/'.repeat(500)}`,
  ]) {
    add('GET', path);
  }
}

/** The same header twice: Node keeps the first of some, joins the rest. */
function repeatedHeaders(b: Builder): void {
  const [web] = WEB_ROUTES as [Route];
  const tickets = ADMIN_ROUTES.find((r) => r.path === '/api/tickets') as Route;
  const auth = `Bearer ${b.t.adminToken}`;
  to(b, 'repeated-headers', web, {
    headers: [['content-type', 'text/plain'], JSON_TYPE],
    expect: [415],
  });
  to(b, 'repeated-headers', web, {
    headers: [JSON_TYPE, ['content-type', 'text/plain']],
    creates: 'web',
    expect: [202],
  });
  to(b, 'repeated-headers', tickets, {
    headers: [
      ['authorization', 'Bearer wrong'],
      ['authorization', auth],
    ],
    expect: [401],
  });
  to(b, 'repeated-headers', tickets, {
    headers: [
      ['authorization', auth],
      ['x-forwarded-for', '1.2.3.4'],
      ['x-forwarded-for', 'not an address'],
      ['host', 'evil.example'],
    ],
    path: `/api/tickets?limit=${'9'.repeat(30)}`,
    expect: [400],
  });
  for (const name of ['accept', 'cookie', 'user-agent', 'x-request-id', 'content-encoding']) {
    to(b, 'repeated-headers', web, {
      headers: [JSON_TYPE, [name, 'identity'], [name, 'gzip']],
      body: bytes('{"text":'),
      expect: [400, 415],
    });
  }
}

/** Requests that are not valid HTTP, sent as raw bytes: Node's parser refuses them. */
function brokenHttp(b: Builder): void {
  const raw = (lines: string | Buffer, label: string) =>
    b.add({
      kind: 'broken-http',
      route: `raw ${label}`,
      method: 'RAW',
      path: '',
      headers: [],
      raw: typeof lines === 'string' ? Buffer.from(lines, 'latin1') : lines,
    });
  const end = 'Host: x\r\nConnection: close\r\n\r\n';
  raw(`FOO /web/messages HTTP/1.1\r\n${end}`, 'unknown method');
  raw(`GET /web/a b HTTP/1.1\r\n${end}`, 'space in path');
  raw(
    Buffer.concat([
      Buffer.from('GET /web/'),
      Buffer.from([0xff, 0x00]),
      Buffer.from(` HTTP/1.1\r\n${end}`),
    ]),
    'raw bytes in path',
  );
  raw(`GET /health HTTP/1.1\r\nX-Test: a\u0001b\r\n${end}`, 'control character in header');
  raw(`GET /health HTTP/1.1\r\nNoColon\r\n${end}`, 'header without colon');
  raw(
    `POST /web/messages HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 50\r\n${end}{"a":1}`,
    'conflicting content-length',
  );
  raw(
    `POST /web/messages HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n${end}0\r\n\r\n`,
    'length and chunked',
  );
  raw(
    `POST /web/messages HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n${end}zz\r\n{}\r\n0\r\n\r\n`,
    'bad chunk size',
  );
  raw(`GET /api/tickets?q=${'x'.repeat(100_000)} HTTP/1.1\r\n${end}`, '100 KB url');
  raw(`GET /health HTTP/1.1\r\nX-Big: ${'x'.repeat(100_000)}\r\n${end}`, '100 KB header');
  raw(`GET /health HTTP/9.9\r\n${end}`, 'unknown version');
  raw('\r\n\r\n\r\n', 'empty request line');
}
