/**
 * The bad-input corpus's bodies: every JSON route's body broken every way a body can be
 * (not JSON, not declared as JSON, nested 10,000 deep, the wrong shape, prototype keys,
 * control bytes and invalid UTF-8, too long), and a few of 1–10 MB.
 */
import { gzipSync } from 'node:zlib';
import {
  type Builder,
  bytes,
  DEEP_ARRAY,
  DEEP_OBJECT,
  headersOf,
  JSON_TYPE,
  json,
  to,
} from './corpus.ts';
import { ADMIN_ROUTES, type Route, TELEGRAM_WEBHOOK, WEB_ROUTES } from './routes.ts';

/** Bodies that are not JSON, or not only JSON. */
export const INVALID_JSON: readonly string[] = [
  '{',
  '{"text":',
  '{"text":"Hello"',
  "{'text':'Hello'}",
  '{text:"Hello"}',
  '{"text":"Hello",}',
  '{"text":"Hello"}{"text":"again"}',
  '{"text":NaN}',
  '{"text":Infinity}',
  '{"text":undefined}',
  '// a comment\n{"text":"Hello"}',
  '{"text":"a\u0001b"}',
  '{"text":"line\nbreak"}',
  '["unterminated',
  'undefined',
  '"just a string"',
  '42',
  ' ',
  '\u0000',
];

const OK = 'Hello, is anyone there?';

/** Every JSON route's body, broken every way a body can be; then the few huge ones. */
export function bodyRequests(b: Builder): void {
  const web = WEB_ROUTES[0] as Route;
  for (const route of [web, ...ADMIN_ROUTES.filter((r) => r.body !== undefined)]) {
    const isWeb = route === web;
    for (const text of INVALID_JSON)
      to(b, 'invalid-json', route, { body: bytes(text), expect: [400] });
    contentTypes(b, route, isWeb);
    for (const text of [
      DEEP_ARRAY,
      DEEP_OBJECT,
      `{"text":${DEEP_ARRAY}}`,
      `{"author":${DEEP_OBJECT}}`,
    ]) {
      to(b, 'deep-nesting', route, { body: bytes(text), expect: isWeb ? [400] : [400, 404] });
    }
    wrongShapes(b, route, isWeb);
    protoKeys(b, route, isWeb);
    controlBytes(b, route, isWeb);
    longStrings(b, route, isWeb);
  }
  hugeBodies(b);
}

function contentTypes(b: Builder, route: Route, isWeb: boolean): void {
  const refused = [
    'text/plain',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=----switchboard',
    'application/xml',
    'application/octet-stream',
    '',
    'application/jsonx',
    'text/json',
    'json',
    '*/*',
    'application/json, text/plain',
  ];
  const auth = headersOf(route, b.t).filter(([name]) => name !== 'content-type');
  for (const type of refused) {
    to(b, 'content-type', route, { headers: [...auth, ['content-type', type]], expect: [415] });
  }
  to(b, 'content-type', route, { headers: auth, expect: [415] });
  // A charset the parser knows decodes the UTF-8 bytes into something that is not JSON.
  for (const charset of ['utf-16', 'iso-8859-1', 'klingon']) {
    const type = `application/json; charset=${charset}`;
    to(b, 'content-type', route, {
      headers: [...auth, ['content-type', type]],
      expect: [400, 415],
    });
  }
  for (const encoding of ['gzip', 'deflate', 'br']) {
    to(b, 'content-type', route, {
      headers: [...headersOf(route, b.t), ['content-encoding', encoding]],
      expect: [400],
    });
  }
  for (const encoding of ['zstd', 'compress', 'gzip, gzip']) {
    to(b, 'content-type', route, {
      headers: [...headersOf(route, b.t), ['content-encoding', encoding]],
      expect: [415],
    });
  }
  // Spellings of JSON that are JSON: the request is valid.
  for (const type of [
    'APPLICATION/JSON',
    'application/json; charset=UTF-8',
    'application/vnd.api+json',
  ]) {
    to(b, 'content-type', route, {
      headers: [...auth, ['content-type', type]],
      ...(isWeb ? { creates: 'web', expect: [202] } : { expect: [404] }),
    });
  }
}

/** Arrays, numbers, strings and nulls where objects belong, field by field. */
function wrongShapes(b: Builder, route: Route, isWeb: boolean): void {
  for (const text of [
    '[]',
    `[${JSON.stringify(route.body)}]`,
    '42',
    '"text"',
    'null',
    'true',
    'false',
  ]) {
    to(b, 'wrong-shape', route, { body: bytes(text), expect: [400] });
  }
  const base = route.body as Record<string, unknown>;
  const wrong: unknown[] = [42, -1, 1.5, 1e308, true, null, [], {}, ['x'], '', ' '];
  for (const field of [...Object.keys(base), ...(isWeb ? ['conversationId', 'messageId'] : [])]) {
    for (const value of b.sample(wrong, 6)) {
      const body = { ...base, [field]: value };
      // A body that is still valid gets through to the route, which finds nothing.
      to(b, 'wrong-shape', route, { body: json(body), ...(isWeb ? { expect: [400] } : {}) });
    }
  }
  if (isWeb) {
    for (const author of [
      { name: 42 },
      { name: '' },
      { name: ['Sam'] },
      'Sam',
      { name: { first: 'Sam' } },
    ]) {
      to(b, 'wrong-shape', route, { body: json({ text: OK, author }), expect: [400] });
    }
    for (const conversationId of [
      b.t.webConversationId.toUpperCase(),
      ...b.t.foreignConversationIds,
    ]) {
      to(b, 'wrong-shape', route, { body: json({ text: OK, conversationId }), expect: [400] });
    }
  } else if (route.path.endsWith('/merge') || route.path.endsWith('/split')) {
    const field = route.path.endsWith('/merge') ? 'sourceIds' : 'ticketIds';
    for (const list of [
      '[-1]',
      '[0]',
      '[1.5]',
      '[1e309]',
      '[9007199254740993]',
      '["1"]',
      '[null]',
      '[]',
      '[2,2]',
      `[${Array.from({ length: 1001 }, (_, i) => i + 1).join(',')}]`,
    ]) {
      to(b, 'bad-number', route, { body: bytes(`{"${field}":${list}}`), expect: [400] });
    }
  }
}

/** `__proto__` and `constructor` keys: stripped or refused, and nothing polluted. */
function protoKeys(b: Builder, route: Route, isWeb: boolean): void {
  const base = JSON.stringify(route.body).slice(1, -1);
  for (const extra of [
    '"__proto__":{"polluted":"yes"}',
    '"constructor":{"prototype":{"polluted":"yes"}}',
    '"__proto__":null',
    '"prototype":{"polluted":"yes"}',
    '"__proto__":{"text":"from the prototype"},"toString":"x"',
  ]) {
    // Unknown keys are dropped by the web chat's schema and refused by the strict ones.
    to(b, 'proto-keys', route, {
      body: bytes(`{${extra},${base}}`),
      ...(isWeb ? { creates: 'web', expect: [202] } : {}),
    });
  }
  if (isWeb) {
    to(b, 'proto-keys', route, {
      body: bytes(`{"text":"${OK}","author":{"name":"Sam","__proto__":{"polluted":"yes"}}}`),
      creates: 'web',
      expect: [202],
    });
    to(b, 'proto-keys', route, {
      body: bytes('{"__proto__":{"text":"only in the prototype"}}'),
      expect: [400],
    });
  }
}

/** Control characters and invalid UTF-8, inside strings (kept or replaced) and outside (400). */
function controlBytes(b: Builder, route: Route, isWeb: boolean): void {
  const inText = (raw: Buffer) =>
    Buffer.concat([bytes(`{"text":"Hello `), raw, bytes(`","agent":{"name":"Ana"}}`)]);
  const accepted = isWeb ? { creates: 'web', expect: [202] } : {};
  for (const escaped of [
    '\\u0000\\u0007\\u001b[31m',
    '\\ud800',
    '\\udfff\\ud800',
    '\\u202e\\u200b',
  ]) {
    to(b, 'control-bytes', route, { body: inText(bytes(escaped)), ...accepted });
  }
  // Invalid UTF-8 inside a string decodes to U+FFFD: still a valid message.
  for (const raw of [
    [0xff],
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
  ]) {
    to(b, 'control-bytes', route, { body: inText(Buffer.from(raw)), ...accepted });
  }
  for (const raw of [[0x00], [0x01], [0x1f], [0x0a]]) {
    to(b, 'control-bytes', route, { body: inText(Buffer.from(raw)), expect: [400] });
  }
  to(b, 'control-bytes', route, {
    body: Buffer.concat([Buffer.from([0xff, 0xfe]), bytes(JSON.stringify(route.body))]),
    expect: [400],
  });
  // A byte order mark is dropped before parsing: the body is valid.
  to(b, 'control-bytes', route, {
    body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(JSON.stringify(route.body))]),
    ...(isWeb ? { creates: 'web', expect: [202] } : {}),
  });
}

function longStrings(b: Builder, route: Route, isWeb: boolean): void {
  const huge = 'x'.repeat(100_000);
  const base = route.body as Record<string, unknown>;
  to(b, 'long-string', route, { body: json({ ...base, text: huge }), expect: [413] });
  if (isWeb) {
    for (const body of [
      { text: 'x'.repeat(4001) },
      { text: OK, author: { name: 'x'.repeat(81) } },
      { text: OK, messageId: 'x'.repeat(129) },
      { text: OK, conversationId: `web:${'a'.repeat(65)}` },
      { text: ' '.repeat(4000) },
    ]) {
      to(b, 'long-string', route, { body: json(body), expect: [400] });
    }
    to(b, 'long-string', route, {
      body: json({ text: 'x'.repeat(4000) }),
      creates: 'web',
      expect: [202],
    });
  } else if ('agent' in base) {
    to(b, 'long-string', route, {
      body: json({ ...base, agent: { name: 'x'.repeat(81) } }),
      expect: [400],
    });
  }
}

/** Bodies of 1–10 MB, a chunked one with no length, and a gzip bomb: a few, each refused. */
function hugeBodies(b: Builder): void {
  const [web] = WEB_ROUTES as [Route];
  const merge = ADMIN_ROUTES.find((r) => r.path.endsWith('/merge')) as Route;
  const reply = ADMIN_ROUTES.find((r) => r.path.endsWith('/reply')) as Route;
  const megabytes = (n: number) =>
    Buffer.concat([bytes('{"text":"'), Buffer.alloc(n * 1_000_000, 'a'), bytes('"}')]);
  to(b, 'huge-body', web, { body: megabytes(1), expect: [413] });
  to(b, 'huge-body', merge, { body: megabytes(10), expect: [413] });
  to(b, 'huge-body', reply, {
    body: megabytes(5),
    headers: [JSON_TYPE],
    expect: [401, 413],
  });
  to(b, 'huge-body', web, { body: megabytes(2), chunked: true, expect: [413] });
  const bomb = gzipSync(megabytes(10));
  to(b, 'huge-body', web, {
    body: bomb,
    headers: [JSON_TYPE, ['content-encoding', 'gzip']],
    expect: [413],
  });
  b.add({
    kind: 'huge-body',
    route: `POST ${TELEGRAM_WEBHOOK}`,
    method: 'POST',
    path: TELEGRAM_WEBHOOK,
    headers: [JSON_TYPE, ['x-telegram-bot-api-secret-token', b.t.telegramSecret]],
    body: megabytes(3),
    expect: [413],
  });
}
