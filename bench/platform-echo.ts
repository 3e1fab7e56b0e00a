/**
 * The floors of `bench -- platforms`: a bare echo bot per platform, built the way each SDK's
 * docs build one and on the transport Switchboard's adapter uses (Bolt's ExpressReceiver over
 * HTTP, the discord.js gateway with the same intents and partials, grammY long polling). Each
 * replies with the text it got, and does nothing else.
 */
import { App, ExpressReceiver } from '@slack/bolt';
import { Client, Events, Partials } from 'discord.js';
import { Bot } from 'grammy';
import { DISCORD_INTENTS } from '../bots/discord/index.ts';
import type { DiscordFake } from '../test/fakes/discord/index.ts';
import type { FakeSlack } from '../test/fakes/slack/index.ts';
import type { TelegramFake } from '../test/fakes/telegram/index.ts';

/** A running echo bot. */
export interface EchoBot {
  stop(): Promise<void>;
}

/** Bolt in HTTP mode on its own port; the fake delivers signed events to `eventsUrl`. */
export async function startSlackEcho(
  fake: FakeSlack,
  signingSecret: string,
): Promise<EchoBot & { eventsUrl: string }> {
  const receiver = new ExpressReceiver({ signingSecret, endpoints: '/slack/events' });
  const app = new App({
    token: fake.botToken,
    receiver,
    clientOptions: { slackApiUrl: fake.apiUrl },
  });
  app.message(async ({ message, say }) => {
    if ('text' in message && message.text) await say(message.text);
  });
  const server = await receiver.start(0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    stop: () => receiver.stop(),
  };
}

/** discord.js on the fake's gateway and REST; answers in the channel the message came from. */
export async function startDiscordEcho(fake: DiscordFake): Promise<EchoBot> {
  const client = new Client({
    intents: DISCORD_INTENTS,
    partials: [Partials.Channel],
    rest: { api: fake.restOptions.api },
  });
  client.on(Events.MessageCreate, async (message) => {
    if (message.author.bot || !message.channel.isSendable()) return;
    await message.channel.send(message.content);
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await Promise.all([client.login(fake.token), ready]);
  return { stop: () => client.destroy() };
}

/** grammY long polling against the fake Bot API. */
export async function startTelegramEcho(fake: TelegramFake): Promise<EchoBot> {
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  bot.on('message:text', (ctx) => ctx.reply(ctx.message.text));
  let polling: Promise<void> = Promise.resolve();
  await new Promise<void>((resolve, reject) => {
    polling = bot.start({ allowed_updates: ['message'], onStart: () => resolve() }).catch(reject);
  });
  return {
    async stop() {
      await bot.stop();
      await polling;
    },
  };
}
