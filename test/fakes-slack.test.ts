import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildAppMention,
  buildBlockActions,
  buildDirectMessage,
  buildUrlVerification,
  type FakeSlack,
  postSignedEvent,
  postSignedInteraction,
  startFakeSlack,
} from './fakes/slack/index.ts';

const SIGNING_SECRET = 'fake-signing-secret';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let slack: FakeSlack;
let app: App | undefined;

beforeEach(async () => {
  slack = await startFakeSlack();
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await slack.close();
});

// Bolt calls auth.test in the constructor, so the fake must already be listening.
function clientOptions() {
  return { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR };
}

describe('fake Slack with Bolt in Socket Mode', () => {
  function socketApp(receiver?: SocketModeReceiver): App {
    const common = {
      token: slack.botToken,
      clientOptions: clientOptions(),
      logLevel: LogLevel.ERROR,
    };
    return receiver
      ? new App({ ...common, receiver })
      : new App({ ...common, socketMode: true, appToken: slack.appToken });
  }

  it('delivers a DM, gets an ack within 1 s, and records the say() reply', async () => {
    app = socketApp();
    app.message(async ({ message, say }) => {
      // Slow listener: the ack must not wait for it.
      await sleep(1200);
      if (message.subtype === undefined) await say(`echo: ${message.text}`);
    });
    await app.start();
    expect(slack.calls('apps.connections.open')[0]?.token).toBe(slack.appToken);

    const ack = await slack.socket.sendEvent(buildDirectMessage({ text: 'hello there' }));
    expect(ack.ackMs).toBeLessThan(1000);

    const post = await slack.waitFor((p) => p.text === 'echo: hello there');
    expect(post.channel).toBe(slack.ids.customerDm);
    expect(post.ts).toMatch(/^\d+\.\d{6}$/);
  });

  it('delivers a button click; the app updates the message and responds', async () => {
    app = socketApp();
    const ts = slack.seedMessage(slack.ids.agentChannel, 'New handoff');
    app.action('handoff_claim', async ({ ack, body, client, respond }) => {
      await ack();
      if (body.type !== 'block_actions' || !body.channel || !body.message) return;
      const text = `Claimed by <@${body.user.id}>`;
      await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text });
      await respond({ text: 'You claimed it', response_type: 'ephemeral' });
    });
    await app.start();

    const click = buildBlockActions({ messageTs: ts, responseUrl: slack.responseUrl() });
    const ack = await slack.socket.sendInteractive(click);
    expect(ack.ackMs).toBeLessThan(1000);

    const update = await slack.waitForUpdate((u) => u.ts === ts);
    expect(update.text).toBe(`Claimed by <@${slack.ids.agentId}>`);
    await slack.state.waitUntil(() => slack.responses[0], 5000, 'respond()');
    expect(slack.responses[0]?.body.text).toBe('You claimed it');
  });

  it('reconnects through apps.connections.open after a refresh_requested disconnect', async () => {
    const receiver = new SocketModeReceiver({
      appToken: slack.appToken,
      // The SDK waits clientPingTimeout before reconnecting; the default is 5 s.
      clientPingTimeout: 100,
      logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions: clientOptions() },
    });
    app = socketApp(receiver);
    app.event('app_mention', async ({ event, say }) => {
      await say({ text: `hi <@${event.user}>`, thread_ts: event.ts });
    });
    await app.start();
    expect(slack.socket.helloCount).toBe(1);

    slack.socket.requestDisconnect('refresh_requested');
    await slack.socket.waitForHello(2);

    await slack.socket.sendEvent(buildAppMention({ text: '<@U07SWBOT01> help' }));
    const post = await slack.waitFor((p) => p.text === `hi <@${slack.ids.customerId}>`);
    expect(post.thread_ts).toBeDefined();
    expect(slack.calls('apps.connections.open')).toHaveLength(2);
  });
});

describe('fake Slack with Bolt over HTTP', () => {
  async function startHttpApp(): Promise<string> {
    app = new App({
      token: slack.botToken,
      signingSecret: SIGNING_SECRET,
      clientOptions: clientOptions(),
      logLevel: LogLevel.ERROR,
    });
    app.event('app_mention', async ({ event, say, context }) => {
      await say(`retry=${context.retryNum ?? 0} ${event.text}`);
    });
    app.action('handoff_resolve', async ({ ack }) => {
      await ack();
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  }

  it('accepts a signed event and rejects forged and stale ones with 401', async () => {
    const url = await startHttpApp();
    const opts = { signingSecret: SIGNING_SECRET };

    const ok = await postSignedEvent(url, buildAppMention({ text: 'signed' }), opts);
    expect(ok.status).toBe(200);
    expect(ok.elapsedMs).toBeLessThan(1000);
    await slack.waitFor((p) => p.text === 'retry=0 signed');

    const forged = await postSignedEvent(url, buildAppMention({ text: 'forged' }), {
      ...opts,
      forgeSignature: true,
    });
    expect(forged.status).toBe(401);
    const stale = await postSignedEvent(url, buildAppMention({ text: 'stale' }), {
      ...opts,
      ageSec: 6 * 60,
    });
    expect(stale.status).toBe(401);

    const retried = await postSignedEvent(url, buildAppMention({ text: 'again' }), {
      ...opts,
      retry: { num: 1, reason: 'http_timeout' },
    });
    expect(retried.status).toBe(200);
    await slack.waitFor((p) => p.text === 'retry=1 again');
    expect(slack.posts.map((p) => p.text)).toEqual(['retry=0 signed', 'retry=1 again']);
  });

  it('answers url_verification and acks a form-encoded interaction', async () => {
    const url = await startHttpApp();
    const challenge = buildUrlVerification('c-123');
    const verified = await postSignedEvent(url, challenge, { signingSecret: SIGNING_SECRET });
    expect(JSON.parse(verified.body)).toEqual({ challenge: 'c-123' });

    const click = buildBlockActions({ actionId: 'handoff_resolve' });
    const res = await postSignedInteraction(url, click, { signingSecret: SIGNING_SECRET });
    expect(res.status).toBe(200);
  });
});

describe('fake Slack Web API with the real WebClient', () => {
  const client = () => new WebClient(slack.botToken, clientOptions());

  it('maps configured failures to what the SDK throws', async () => {
    const args = { channel: slack.ids.agentChannel, text: 'x' };
    slack.failNext('chat.postMessage', 'not_in_channel');
    await expect(client().chat.postMessage(args)).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'not_in_channel' },
    });
    slack.failNext('chat.postMessage', 'ratelimited', { retryAfterSec: 7 });
    const limited = new WebClient(slack.botToken, {
      ...clientOptions(),
      rejectRateLimitedCalls: true,
    });
    await expect(limited.chat.postMessage(args)).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    slack.failNext('chat.postMessage', 'drop');
    await expect(client().chat.postMessage(args)).rejects.toMatchObject({
      code: ErrorCode.RequestError,
    });
    await client().chat.postMessage(args);
    const outcomes = slack.calls('chat.postMessage').map((c) => c.outcome);
    expect(outcomes).toEqual(['not_in_channel', 'ratelimited', 'dropped', 'ok']);
  });

  it('checks tokens and methods, and serves workspace lookups', async () => {
    const bad = new WebClient('xoxb-wrong', clientOptions());
    await expect(bad.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(client().apiCall('nope.nothing')).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
    await expect(client().apps.connections.open({})).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });

    slack.setMembers(slack.ids.agentChannel, [slack.ids.botUserId, 'U07AGNT0002']);
    const members = await client().conversations.members({ channel: slack.ids.agentChannel });
    expect(members.members).toEqual([slack.ids.botUserId, 'U07AGNT0002']);
    const user = await client().users.info({ user: slack.ids.customerId });
    expect(user.user?.real_name).toBe('Dana Customer');
    const dm = await client().conversations.open({ users: slack.ids.customerId });
    expect(dm.channel?.id).toBe(slack.ids.customerDm);
  });

  it('accepts JSON bodies with a bearer token, like Slack', async () => {
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: slack.ids.agentChannel, blocks: [{ type: 'divider' }] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: slack.ids.agentChannel });
    expect(slack.posts[0]?.blocks).toEqual([{ type: 'divider' }]);
  });
});
