/**
 * The bad-input corpus's platform webhooks: Slack events with forged signatures, and
 * signed ones whose payload does not fit; Telegram updates with a wrong secret, and
 * updates with the right one whose types are wrong. Each payload would open its own
 * conversation if it got through, so anything taken in shows in the store.
 */
import { signSlackBody } from '../fakes/slack/signer.ts';
import messageIm from '../fixtures/slack/message.im.json' with { type: 'json' };
import {
  type BadKind,
  type Builder,
  bytes,
  DEEP_ARRAY,
  DEEP_OBJECT,
  JSON_TYPE,
  json,
} from './corpus.ts';
import { SLACK_EVENTS, TELEGRAM_WEBHOOK } from './routes.ts';

const OK = 'Hello, is anyone there?';
type Json = Record<string, unknown>;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function platformRequests(b: Builder): void {
  slackRequests(b);
  telegramRequests(b);
}

function slackRequests(b: Builder): void {
  const secret = b.t.slackSigningSecret;
  const now = Math.floor(Date.now() / 1000);
  let n = 0;
  /** A customer's DM in a channel of its own, `slack:D0BAD<n>` if it were taken in. */
  const dm = (event: Json = {}): Json => {
    n += 1;
    const ts = `1717000000.${pad(n, 6)}`;
    return {
      ...structuredClone(messageIm),
      event_id: `EvBAD${pad(n, 6)}`,
      event: {
        ...structuredClone(messageIm.event),
        ts,
        event_ts: ts,
        channel: `D0BAD${pad(n, 4)}`,
        client_msg_id: `bad-${n}`,
        text: OK,
        ...event,
      },
    };
  };
  const signed = (body: string | Buffer, ts = now): Array<[string, string]> => [
    ['x-slack-request-timestamp', String(ts)],
    ['x-slack-signature', signSlackBody(secret, ts, body.toString())],
  ];
  const add = (
    kind: BadKind,
    body: string | Buffer,
    headers: Array<[string, string]>,
    expect?: number[],
    type = JSON_TYPE,
    creates?: string,
  ) =>
    b.add({
      kind,
      route: `POST ${SLACK_EVENTS}`,
      method: 'POST',
      path: SLACK_EVENTS,
      headers: [type, ...headers],
      body: typeof body === 'string' ? bytes(body) : body,
      ...(expect ? { expect } : {}),
      ...(creates ? { creates } : {}),
    });

  // Forged: Bolt answers 401 and nothing runs.
  const forged = () => JSON.stringify(dm());
  const body = forged();
  const [tsHeader, sigHeader] = signed(body) as [[string, string], [string, string]];
  const sig = sigHeader[1];
  const hex = sig.slice(3);
  for (const headers of [
    [],
    [tsHeader],
    [sigHeader],
    [tsHeader, ['x-slack-signature', `v0=${'0'.repeat(64)}`]],
    [tsHeader, ['x-slack-signature', signSlackBody(`${secret}-forged`, now, body)]],
    [tsHeader, ['x-slack-signature', `v1=${hex}`]],
    [tsHeader, ['x-slack-signature', `v0=${hex.toUpperCase()}`]],
    [tsHeader, ['x-slack-signature', 'v0']],
    [tsHeader, ['x-slack-signature', `v0=${hex}\u00e9`]],
    [tsHeader, ['x-slack-signature', '']],
    [['x-slack-request-timestamp', 'NaN'], sigHeader],
    [['x-slack-request-timestamp', ''], sigHeader],
    [['x-slack-request-timestamp', '1e99'], sigHeader],
    [['x-slack-request-timestamp', String(now - 600)], sigHeader],
    [tsHeader, sigHeader, ['x-slack-signature', sig]],
    [tsHeader, tsHeader, sigHeader],
  ] as Array<Array<[string, string]>>) {
    add('slack-forged', body, headers, [401]);
  }
  const old = now - 600;
  add('slack-forged', body, signed(body, old), [401]);
  add('slack-forged', forged(), signed(body), [401]);
  add('slack-forged', Buffer.alloc(2_000_000, 'a'), [tsHeader, sigHeader], [401]);
  // Past Bolt's 4 MB: refused before the signature is even checked.
  add('slack-forged', Buffer.alloc(9_000_000, 'a'), [tsHeader, sigHeader], [413]);

  // Signed, but not what a Slack event looks like: acked or refused, never taken in.
  const malformed: Array<string | Json> = [
    'not json',
    '',
    'null',
    '[]',
    '42',
    '"event_callback"',
    DEEP_ARRAY,
    DEEP_OBJECT,
    { type: 'event_callback' },
    { ...dm(), event: [] },
    { ...dm(), event: null },
    { ...dm(), event: 'message' },
    { ...dm(), event: { text: OK, channel: 'D0BADNOTYPE', ts: '1.1', user: 'U07CUST0001' } },
    dm({ text: 42 }),
    dm({ text: { rich: true } }),
    dm({ text: ['Hello'] }),
    dm({ text: 'x'.repeat(50_000) }),
    dm({ channel: { id: 'D0BADOBJECT' } }),
    dm({ channel: 42 }),
    dm({ channel: 'D1:1717000000.000001' }),
    dm({ channel: '../../D07DMCUST01' }),
    dm({ user: { id: 'U07CUST0001' } }),
    dm({ user: 42 }),
    dm({ user: ['U07CUST0001'] }),
    dm({ ts: 1717000000.5 }),
    dm({ ts: 'abc' }),
    dm({ ts: { seconds: 1 } }),
    dm({ thread_ts: { ts: '1.1' } }),
    dm({ channel_type: ['im'] }),
    dm({ subtype: 42 }),
    { ...dm(), event: { ...(dm().event as Json), type: 'app_mention', text: 42 } },
    { ...dm(), event: { ...(dm().event as Json), type: 'app_mention', channel: {} } },
    { type: 'url_verification', challenge: { nested: true } },
    { type: 'url_verification', challenge: 'x'.repeat(10_000) },
    { type: 'block_actions', actions: 'claim' },
    { ssl_check: 1, token: 'x' },
  ];
  for (const payload of malformed) {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    add('slack-malformed', text, signed(text));
  }
  // Fields Switchboard does not read may be anything: the DM is valid, and answered.
  const unread = dm({ blocks: 'x', files: 7, attachments: { a: 1 } });
  const unreadText = JSON.stringify(unread);
  const channel = (unread.event as { channel: string }).channel;
  add('slack-malformed', unreadText, signed(unreadText), [200], JSON_TYPE, `slack:${channel}`);
  // `{"__proto__": …}` as the event's own key, as JSON.parse makes it.
  const proto = JSON.stringify(dm({ text: 5 })).replace(
    '"event":{',
    '"event":{"__proto__":{"text":"x"},',
  );
  add('slack-malformed', proto, signed(proto));
  for (const form of ['payload=not-json', 'payload=%7B%22type%22%3A42%7D', 'payload=', 'a=1&a=2']) {
    add('slack-malformed', form, signed(form), undefined, [
      'content-type',
      'application/x-www-form-urlencoded',
    ]);
  }
}

function telegramRequests(b: Builder): void {
  const secret = b.t.telegramSecret;
  let n = 0;
  /** A private message in a chat of its own, `telegram:<chat id>` if it were taken in. */
  const update = (message: Json = {}, top: Json = {}): Json & { chatId: number } => {
    n += 1;
    const chatId = 880_000 + n;
    const base = {
      message_id: 10 + n,
      from: { id: chatId, is_bot: false, first_name: 'Probe' },
      chat: { id: chatId, type: 'private', first_name: 'Probe' },
      date: 1721121482,
      text: OK,
    };
    return { update_id: 700_000 + n, message: { ...base, ...message }, ...top, chatId };
  };
  const add = (
    kind: BadKind,
    body: Buffer,
    headers: Array<[string, string]>,
    change: { expect?: number[]; creates?: string } = {},
  ) =>
    b.add({
      kind,
      route: `POST ${TELEGRAM_WEBHOOK}`,
      method: 'POST',
      path: TELEGRAM_WEBHOOK,
      headers: [JSON_TYPE, ...headers],
      body,
      ...change,
    });
  const send = ({ chatId: _, ...u }: Json & { chatId: number }) => json(u);
  const withSecret: Array<[string, string]> = [['x-telegram-bot-api-secret-token', secret]];

  // A wrong secret: 401 whatever the body.
  for (const value of [
    undefined,
    '',
    'wrong',
    `${secret}x`,
    secret.toUpperCase(),
    secret.slice(0, -1),
    'x'.repeat(10_000),
    `${secret}\u00e9`,
    `Bearer ${secret}`,
    [secret, secret],
    ['wrong', secret],
  ] as Array<string | undefined | string[]>) {
    const headers: Array<[string, string]> =
      value === undefined
        ? []
        : (Array.isArray(value) ? value : [value]).map(
            (v) => ['x-telegram-bot-api-secret-token', v] as [string, string],
          );
    add('telegram-secret', send(update()), headers, { expect: [401] });
  }
  // Not an update at all: refused before any secret is looked at (Telegram sends only updates).
  for (const body of ['[]', '{}', '{"update_id":"x"}', DEEP_ARRAY]) {
    add('telegram-secret', bytes(body), [['x-telegram-bot-api-secret-token', 'wrong']], {
      expect: [400],
    });
  }

  // The right secret, the wrong types: dropped and acked (200), nothing taken in.
  const dropped = [
    update({ text: 42 }),
    update({ text: { value: OK } }),
    update({ text: [OK] }),
    update({ text: null }),
    update({ text: true }),
    update({ text: 'x'.repeat(9000) }),
    update({ chat: { id: 'not a number', type: 'private' } }),
    update({ chat: { id: { nested: 1 }, type: 'private' } }),
    update({ chat: { id: [1], type: 'private' } }),
    update({ chat: { id: 1.5, type: 'private' } }),
    update({ chat: { id: 1e300, type: 'private' } }),
    update({ chat: { id: null, type: 'private' } }),
    update({ chat: { id: 880_999, type: 'weird' } }),
    update({ chat: { id: 880_999, type: 42 } }),
    update({ chat: undefined }),
    update({ from: 'Probe' }),
    update({ from: { id: 'x', is_bot: false, first_name: 'Probe' } }),
    update({ from: { id: {}, is_bot: false, first_name: 'Probe' } }),
    update({ from: { id: 880_998, is_bot: 'no', first_name: 'Probe' } }),
    update({ from: { id: 880_998, is_bot: false, first_name: 42 } }),
    update({ message_id: 'x' }),
    update({ message_id: 1.5 }),
    update({ message_id: {} }),
    update({ entities: 'x' }),
    update({ entities: [{ type: 'mention', offset: -1, length: 3 }] }),
    update({ entities: [{ type: 'text_mention', offset: 0, length: 5 }] }),
    update({ entities: [{ type: 42, offset: 0, length: 5 }] }),
    update({
      entities: Array.from({ length: 1001 }, () => ({ type: 'bold', offset: 0, length: 1 })),
    }),
    update({ text: undefined, caption: 42 }),
    update({ is_topic_message: 'yes' }),
    update({ message_thread_id: 'x' }),
    update({ reply_to_message: 'x' }),
    update({ reply_to_message: { message_id: 1, from: { id: 'x' } } }),
    update({ sender_chat: 'x' }),
    update({}, { message: [] }),
    update({}, { message: 5 }),
    update({}, { message: 'hello' }),
    update({}, { message: null }),
  ];
  for (const u of dropped) add('telegram-malformed', send(u), withSecret, { expect: [200] });
  // The right secret on a body that is not an update (no whole `update_id`): refused, 400.
  for (const u of [
    update({}, { update_id: -1 }),
    update({}, { update_id: '700999' }),
    update({}, { update_id: 1.5 }),
    update({}, { update_id: undefined }),
    update({}, { update_id: null }),
  ]) {
    add('telegram-not-update', send(u), withSecret, { expect: [400] });
  }
  for (const body of ['[]', '{}', DEEP_ARRAY]) {
    add('telegram-not-update', bytes(body), withSecret, { expect: [400] });
  }
  for (const body of [
    `{"update_id":1,"message":${DEEP_OBJECT}}`,
    `{"update_id":2,"message":{"message_id":1,"chat":{"id":880997,"type":"private"},"text":"x","entities":${DEEP_ARRAY}}}`,
  ]) {
    add('telegram-malformed', bytes(body), withSecret, { expect: [200] });
  }
  // `__proto__` and `constructor` as own keys of a message (JSON.parse makes them so).
  const own = (u: Json & { chatId: number }, keys: string) =>
    send(u).toString().replace('"message":{', `"message":{${keys},`);
  add(
    'telegram-malformed',
    bytes(own(update({ text: 5 }), '"__proto__":{"text":"x"}')),
    withSecret,
    {
      expect: [200],
    },
  );
  for (const keys of [
    '"__proto__":{"text":5,"chat":null}',
    '"constructor":{"prototype":{"polluted":"yes"}}',
  ]) {
    const u = update();
    add('proto-keys', bytes(own(u, keys)), withSecret, {
      expect: [200],
      creates: `telegram:${u.chatId}`,
    });
  }
  // The right secret on a body that is not JSON: refused before grammY.
  for (const [type, body] of [
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'update_id=1'],
  ] as const) {
    b.add({
      kind: 'content-type',
      route: `POST ${TELEGRAM_WEBHOOK}`,
      method: 'POST',
      path: TELEGRAM_WEBHOOK,
      headers: [['content-type', type], ...withSecret],
      body: bytes(body),
      expect: [415],
    });
  }
  for (const body of ['{"update_id":', 'null', '7']) {
    add('invalid-json', bytes(body), withSecret, { expect: [400] });
  }
  b.add({
    kind: 'telegram-not-update',
    route: `POST ${TELEGRAM_WEBHOOK}`,
    method: 'POST',
    path: TELEGRAM_WEBHOOK,
    headers: withSecret,
    expect: [400],
  });
}
