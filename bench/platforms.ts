import { setTimeout as sleep } from 'node:timers/promises';
import type { Switchboard } from '../src/main.ts';
import { createDiscordFake, type DiscordFake } from '../test/fakes/discord/index.ts';
import { snowflake } from '../test/fakes/discord/world.ts';
import { startFakeOpenAI } from '../test/fakes/openai/server.ts';
import type { Recorder } from '../test/fakes/recorder.ts';
import {
  buildAppMention,
  buildDirectMessage,
  type FakeSlack,
  postSignedEvent,
  startFakeSlack,
} from '../test/fakes/slack/index.ts';
import {
  createTelegramFake,
  type TelegramFake,
  type UpdateInput,
} from '../test/fakes/telegram/index.ts';
import { startTestSwitchboard, tempDataDir } from '../test/helpers/switchboard.ts';
import {
  type EchoBot,
  startDiscordEcho,
  startSlackEcho,
  startTelegramEcho,
} from './platform-echo.ts';
import { percentile, summarize } from './stats.ts';
import { QUESTIONS } from './turns.ts';

const SIGNING_SECRET = 'switchboard-bench-signing-secret';
/** Flood control would answer most of a benchmark's messages with "slow down". */
const NO_RATE_LIMITS = { RATE_LIMIT_PER_AUTHOR: '0', RATE_LIMIT_PER_CONVERSATION: '0' };
const REPLY_TIMEOUT_MS = 10_000;
const MODEL_DELAY_MS = 5_000;
/** The ack phase: deliveries per platform, one every `ACK_SPACING_MS`, each a new conversation. */
const ACK_DELIVERIES = 300;
const ACK_SPACING_MS = 30;
const TELEGRAM_CUSTOMER = 5_123_409_876;

type PlatformName = 'slack' | 'discord' | 'telegram';
const PLATFORMS: readonly PlatformName[] = ['slack', 'discord', 'telegram'];
const MODES: Record<PlatformName, string> = {
  slack: 'HTTP (Bolt ExpressReceiver, signed event POSTs)',
  discord: 'gateway + REST (discord.js)',
  telegram: 'long polling (grammY)',
};

/** Sends one customer message and resolves with the ms until the fake received the reply. */
type Side = (text: string) => Promise<number>;

/** The fakes a bot talks to: one per platform. */
interface Fakes {
  slack: FakeSlack;
  discord: DiscordFake;
  telegram: TelegramFake;
}

async function startFakes(): Promise<Fakes> {
  const [slack, discord, telegram] = await Promise.all([
    startFakeSlack(),
    createDiscordFake(),
    createTelegramFake(),
  ]);
  return { slack, discord, telegram };
}

async function closeFakes(fakes: Fakes): Promise<void> {
  await Promise.all([fakes.slack.close(), fakes.discord.close(), fakes.telegram.close()]);
}

/** Switchboard with all three platforms on, pointed at `fakes`. */
function startEngine(fakes: Fakes, env: Record<string, string>): Promise<Switchboard> {
  return startTestSwitchboard({
    SLACK_BOT_TOKEN: fakes.slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fakes.slack.apiUrl,
    SLACK_AGENT_CHANNEL: fakes.slack.ids.agentChannel,
    DISCORD_BOT_TOKEN: fakes.discord.token,
    DISCORD_API_URL: fakes.discord.restOptions.api,
    TELEGRAM_BOT_TOKEN: fakes.telegram.token,
    TELEGRAM_API_ROOT: fakes.telegram.apiRoot,
    ...NO_RATE_LIMITS,
    ...env,
  });
}

/** performance.now() when `recorder` records its next item (earlier items are dropped). */
function nextRecorded<T>(recorder: Recorder<T>): Promise<number> {
  recorder.clear();
  let at = 0;
  const seen = () => {
    at = performance.now();
    return true;
  };
  return recorder.waitFor(seen, REPLY_TIMEOUT_MS).then(() => at);
}

/** performance.now() when the fake Slack records its next chat.postMessage. */
function nextSlackPost(fake: FakeSlack): Promise<number> {
  const index = fake.posts.length;
  let at = 0;
  const find = () => {
    const post = fake.posts[index];
    if (post && at === 0) at = performance.now();
    return post;
  };
  return fake.state.waitUntil(find, REPLY_TIMEOUT_MS, 'a reply').then(() => at);
}

/** A private-chat text message, shaped like Telegram's. */
function privateText(text: string, userId: number, messageId: number): UpdateInput {
  const from = { id: userId, is_bot: false, first_name: 'Maya' };
  const chat = { id: userId, type: 'private', first_name: 'Maya' };
  const date = Math.floor(Date.now() / 1000);
  return {
    message: { message_id: messageId, from, chat, date, text } as UpdateInput['message'],
  } as UpdateInput;
}

/**
 * The three ways a customer's message reaches a bot, each timed until the bot's reply
 * reaches the fake. `settle` runs after the reply is in (Switchboard: until its turn is
 * over), outside the time.
 */
function sides(
  fakes: Fakes,
  slackEventsUrl: string,
  settle: () => Promise<unknown> = async () => {},
): Record<PlatformName, Side> {
  let telegramMessageId = 1;
  return {
    async slack(text) {
      const replied = nextSlackPost(fakes.slack);
      const event = buildDirectMessage({ text });
      const start = performance.now();
      const ack = await postSignedEvent(slackEventsUrl, event, { signingSecret: SIGNING_SECRET });
      if (ack.status !== 200) throw new Error(`Slack events endpoint answered ${ack.status}`);
      const at = await replied;
      await settle();
      return at - start;
    },
    async discord(text) {
      const replied = nextRecorded(fakes.discord.rest.sent);
      const start = performance.now();
      fakes.discord.sendMessageCreate({ content: text, dm: true });
      const at = await replied;
      await settle();
      return at - start;
    },
    async telegram(text) {
      const replied = nextRecorded(fakes.telegram.methods.sent);
      const update = privateText(text, TELEGRAM_CUSTOMER, telegramMessageId++);
      const start = performance.now();
      fakes.telegram.pushUpdate(update);
      const at = await replied;
      await settle();
      return at - start;
    },
  };
}

async function round(side: Side, messages: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < messages; i++) times.push(await side(QUESTIONS[i % QUESTIONS.length] ?? ''));
  return times;
}

interface RoundFigures {
  engineP50: number[];
  engineP99: number[];
  echoP50: number[];
  echoP99: number[];
  ratio: number[];
  /** From the engine's commit of the customer's message to its reply being stored. */
  turnP50: number[];
}

/**
 * Per message, Switchboard's offline turn against the echo floor on the same SDK and fake:
 * a warm-up round, then `rounds` rounds, engine and echo interleaved (their order alternating)
 * so machine noise hits both. Rounds stop early at `deadline`.
 */
async function measureRatios(rounds: number, messages: number, deadline: number) {
  const data = tempDataDir();
  const engineFakes = await startFakes();
  const echoFakes = await startFakes();
  const sb = await startEngine(engineFakes, { DATA_DIR: data.dir });
  const slackEcho = await startSlackEcho(echoFakes.slack, SIGNING_SECRET);
  const bots: EchoBot[] = [
    slackEcho,
    await startDiscordEcho(echoFakes.discord),
    await startTelegramEcho(echoFakes.telegram),
  ];
  const states = new Map<string, number>();
  const committedAt = new Map<string, number>();
  const inTurn: number[] = [];
  sb.engine.on('message', (m) => {
    if (m.role === 'customer') {
      committedAt.set(m.conversationId, performance.now());
      return;
    }
    const state = String(m.meta?.state ?? m.role);
    states.set(state, (states.get(state) ?? 0) + 1);
    const at = committedAt.get(m.conversationId);
    if (at !== undefined) inTurn.push(performance.now() - at);
    committedAt.delete(m.conversationId);
  });
  const engine = sides(engineFakes, `${sb.url}/slack/events`, () => sb.engine.idle());
  const echo = sides(echoFakes, slackEcho.eventsUrl);
  const figures = Object.fromEntries(
    PLATFORMS.map((p) => [
      p,
      {
        engineP50: [],
        engineP99: [],
        echoP50: [],
        echoP99: [],
        ratio: [],
        turnP50: [],
      } as RoundFigures,
    ]),
  ) as Record<PlatformName, RoundFigures>;
  try {
    for (const p of PLATFORMS) {
      await round(engine[p], messages);
      await round(echo[p], messages);
    }
    states.clear();
    for (let r = 0; r < rounds && performance.now() < deadline; r++) {
      for (const p of PLATFORMS) {
        const echoFirst = r % 2 === 1;
        const bare = echoFirst ? await round(echo[p], messages) : [];
        inTurn.length = 0;
        const turns = await round(engine[p], messages);
        if (!echoFirst) bare.push(...(await round(echo[p], messages)));
        const f = figures[p];
        f.engineP50.push(percentile(turns, 50));
        f.engineP99.push(percentile(turns, 99));
        f.echoP50.push(percentile(bare, 50));
        f.echoP99.push(percentile(bare, 99));
        f.ratio.push(percentile(turns, 50) / percentile(bare, 50));
        f.turnP50.push(percentile(inTurn, 50));
      }
    }
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await sb.stop();
    await Promise.all([closeFakes(engineFakes), closeFakes(echoFakes)]);
    data.remove();
  }
  return { figures, states: Object.fromEntries(states) };
}

/** One delivery's times, in ms from the fake delivering it. */
interface DeliveryTimes {
  /** To the platform's ack; for Discord, whose gateway has none, to the typing indicator. */
  ack: number;
  /** To the engine's commit of the message (after which a platform can be acked). */
  accepted: number;
}
type Delivery = (text: string) => Promise<DeliveryTimes>;

/** performance.now() when the engine has committed the next customer message of a conversation. */
function acceptance(sb: Switchboard): (conversationId: string) => Promise<number> {
  const waiting = new Map<string, (at: number) => void>();
  sb.engine.on('message', (m) => {
    const done = m.role === 'customer' ? waiting.get(m.conversationId) : undefined;
    if (!done) return;
    waiting.delete(m.conversationId);
    done(performance.now());
  });
  return (conversationId) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${conversationId} was not accepted`)),
        REPLY_TIMEOUT_MS,
      );
      waiting.set(conversationId, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
}

/**
 * Deliveries that each start a new conversation, so turns run side by side as the model
 * takes its time: Slack mentions (each its own thread) timed to the HTTP response; Discord
 * DMs from new users, timed to the typing indicator (the gateway has no ack); Telegram
 * private chats from new users, timed to the getUpdates call whose offset confirms them.
 * Each is also timed to the engine's commit of the message.
 */
function deliveries(fakes: Fakes, sb: Switchboard): Record<PlatformName, Delivery> {
  const accepted = acceptance(sb);
  const slackEventsUrl = `${sb.url}/slack/events`;
  let telegramUser = 7_000_000_001;
  return {
    async slack(text) {
      const event = buildAppMention({ text: `<@${fakes.slack.ids.botUserId}> ${text}` });
      const committed = accepted(`slack:${event.event.channel}:${event.event.ts}`);
      const start = performance.now();
      const ack = await postSignedEvent(slackEventsUrl, event, { signingSecret: SIGNING_SECRET });
      if (ack.status !== 200) throw new Error(`Slack events endpoint answered ${ack.status}`);
      return { ack: ack.elapsedMs, accepted: (await committed) - start };
    },
    async discord(text) {
      const id = snowflake();
      const user = { id, username: `u${id}`, discriminator: '0', global_name: null, avatar: null };
      const channel = fakes.discord.world.dmChannelFor(fakes.discord.world.addUser(user));
      let at = 0;
      const typing = fakes.discord.rest.calls.waitFor((call) => {
        if (call.path !== `/channels/${channel.id}/typing`) return false;
        at = performance.now();
        return true;
      }, REPLY_TIMEOUT_MS);
      const committed = accepted(`discord:dm:${channel.id}`);
      const start = performance.now();
      fakes.discord.sendMessageCreate({ content: text, author: user, channel_id: channel.id });
      const acceptedAt = await committed;
      await typing;
      return { ack: at - start, accepted: acceptedAt - start };
    },
    async telegram(text) {
      const userId = telegramUser++;
      const committed = accepted(`telegram:${userId}`);
      const start = performance.now();
      const update = fakes.telegram.pushUpdate(privateText(text, userId, 1));
      const { at } = await fakes.telegram.updates.confirmed.waitFor(
        (c) => c.updateId === update.update_id,
        REPLY_TIMEOUT_MS,
      );
      return { ack: at - start, accepted: (await committed) - start };
    },
  };
}

/** Starts `count` deliveries on a fixed schedule (not waiting for acks) and collects the times. */
async function openLoop(
  deliver: Delivery,
  count: number,
  spacingMs: number,
): Promise<DeliveryTimes[]> {
  const t0 = performance.now();
  const acks: Promise<DeliveryTimes>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = t0 + i * spacingMs - performance.now();
    if (wait > 0) await sleep(wait);
    acks.push(deliver(QUESTIONS[i % QUESTIONS.length] ?? ''));
  }
  return Promise.all(acks);
}

/** Replies each platform's fake received (after a warm-up's were cleared). */
function repliesOn(fakes: Fakes, platform: PlatformName): number {
  if (platform === 'slack') return fakes.slack.posts.filter((p) => p.thread_ts).length;
  return platform === 'discord' ? fakes.discord.sent.length : fakes.telegram.sent.length;
}

/**
 * The platform ack while every turn waits 5 s on the model (the OpenAI fake in slow mode):
 * `ACK_DELIVERIES` per platform on a fixed schedule, after a small warm-up; then it waits for
 * every turn to be answered.
 */
async function measureAcks() {
  const data = tempDataDir();
  const openai = await startFakeOpenAI();
  openai.setMode('slow', { delayMs: MODEL_DELAY_MS });
  const fakes = await startFakes();
  const sb = await startEngine(fakes, {
    DATA_DIR: data.dir,
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: openai.url,
    LLM_TIMEOUT_MS: '20000',
  });
  const deliver = deliveries(fakes, sb);
  const result = {} as Record<
    PlatformName,
    { times: DeliveryTimes[]; answered: number; modelCalls: number }
  >;
  const chatCalls = () => openai.requests.filter((r) => r.path === '/v1/chat/completions').length;
  try {
    await Promise.all(PLATFORMS.map((p) => openLoop(deliver[p], 5, ACK_SPACING_MS)));
    await sb.engine.idle();
    for (const p of PLATFORMS) {
      fakes.slack.reset();
      fakes.discord.rest.sent.clear();
      fakes.telegram.methods.sent.clear();
      const calls = chatCalls();
      const times = await openLoop(deliver[p], ACK_DELIVERIES, ACK_SPACING_MS);
      await sb.engine.idle();
      result[p] = { times, answered: repliesOn(fakes, p), modelCalls: chatCalls() - calls };
    }
  } finally {
    await sb.stop();
    await closeFakes(fakes);
    await openai.close();
    data.remove();
  }
  return result;
}

/** Whether a figure meets its target in every round, in the median only, or not at all. */
function verdict(median: number, max: number, target: number): string {
  if (max <= target) return 'meets';
  return median <= target ? 'median meets' : 'misses';
}

/** "p50 …, p99 …, max …" of a sample in ms, and whether its p99 meets `p99Target`. */
function latency(values: readonly number[], p99Target: number): string {
  const p99 = percentile(values, 99);
  const figures = `p50 ${percentile(values, 50).toFixed(1)}, p99 ${p99.toFixed(1)}, max ${Math.max(...values).toFixed(1)}`;
  return `${figures} ${p99 <= p99Target ? 'meets' : 'misses'} p99 ≤ ${p99Target} ms`;
}

/**
 * `npm run bench -- platforms`: per message, Switchboard's offline turn through the Slack,
 * Discord and Telegram adapters against a bare echo bot on the same SDK, transport and
 * loopback fake, in the same run (the ratio of median latencies, per round); and each
 * platform's ack while the model takes 5 s. Targets (issue 17): ratio ≤ 2×, ack p99 ≤ 100 ms.
 */
export async function benchPlatforms(
  rounds = 5,
  messages = 100,
  budgetMs = 180_000,
): Promise<Record<string, unknown>> {
  const started = performance.now();
  const { figures, states } = await measureRatios(rounds, messages, started + budgetMs);
  const acks = await measureAcks();
  const out: Record<string, unknown> = {
    setup: `${PLATFORMS.map((p) => `${p} ${MODES[p]}`).join('; ')}; ${figures.slack.ratio.length} rounds × ${messages} sequential messages per side and platform (one in flight), engine and echo rounds interleaved, a warm-up round discarded; offline assistant; RATE_LIMIT_PER_AUTHOR=0 RATE_LIMIT_PER_CONVERSATION=0`,
    'engine replies by state': states,
  };
  for (const p of PLATFORMS) {
    const f = figures[p];
    const ratio = summarize(f.ratio, 2);
    out[`${p} engine/echo p50 ratio`] = `${ratio.text} ${verdict(ratio.median, ratio.max, 2)} ≤ 2×`;
    out[`${p} engine p50 ms`] = summarize(f.engineP50).text;
    out[`${p} engine p99 ms`] = summarize(f.engineP99).text;
    out[`${p} engine commit-to-reply-stored p50 ms`] = summarize(f.turnP50).text;
    out[`${p} echo p50 ms`] = summarize(f.echoP50).text;
    out[`${p} echo p99 ms`] = summarize(f.echoP99).text;
  }
  out['ack setup'] =
    `model: the OpenAI fake, slow mode ${MODEL_DELAY_MS} ms; ${ACK_DELIVERIES} deliveries per platform, one every ${ACK_SPACING_MS} ms (not waiting for acks), each a new conversation; same modes`;
  const { slack, discord, telegram } = acks;
  const ackOf = (times: readonly DeliveryTimes[]) => times.map((t) => t.ack);
  const committed = (times: readonly DeliveryTimes[]) => times.map((t) => t.accepted);
  out['slack ack ms (HTTP response to the signed event POST)'] = latency(ackOf(slack.times), 100);
  out['discord ack ms (the gateway has none: the engine committed the message)'] = latency(
    committed(discord.times),
    100,
  );
  out['discord typing indicator ms (the first request the fake sees)'] = latency(
    ackOf(discord.times),
    100,
  );
  out['telegram ack ms (the getUpdates whose offset confirms the update)'] = latency(
    ackOf(telegram.times),
    100,
  );
  out['committed p99 ms (slack, telegram)'] =
    `slack ${percentile(committed(slack.times), 99).toFixed(1)}, telegram ${percentile(committed(telegram.times), 99).toFixed(1)}`;
  out['answered with the slow model'] = PLATFORMS.map(
    (p) => `${p} ${acks[p].answered}/${acks[p].times.length} (${acks[p].modelCalls} model calls)`,
  ).join(', ');
  out['duration s'] = ((performance.now() - started) / 1000).toFixed(0);
  return out;
}
