import { once } from 'node:events';
import { createInflate } from 'node:zlib';
import {
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type GatewayIntentsString,
  type Message,
  Partials,
} from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDiscordFake, type DiscordFake } from './fakes/discord/index.ts';

const ALL_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
];

let fake: DiscordFake;
const clients: Client[] = [];

async function connect(intents = ALL_INTENTS): Promise<Client> {
  const client = new Client({
    intents,
    partials: [Partials.Channel],
    rest: { ...fake.restOptions, retries: 1 },
    waitGuildTimeout: 1_000,
  });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return client;
}

/** The next messageCreate matching `predicate`; the listener is removed afterwards. */
function nextMessage(client: Client, predicate: (message: Message) => boolean): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching messageCreate')), 2_000);
    const listener = (message: Message): void => {
      if (!predicate(message)) return;
      clearTimeout(timer);
      client.off(Events.MessageCreate, listener);
      resolve(message);
    };
    client.on(Events.MessageCreate, listener);
  });
}

beforeAll(async () => {
  fake = await createDiscordFake();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
});

afterAll(async () => {
  await fake.close();
});

describe('Discord fake driven by discord.js', () => {
  it('delivers a guild mention, then records reply, send, thread and DM', async () => {
    const client = await connect();
    expect(client.user?.id).toBe(fake.world.bot.id);
    expect(client.guilds.cache.get(fake.world.guild.id)?.channels.cache.size).toBeGreaterThan(0);

    const inbound = fake.sendMessageCreate({
      content: `<@${fake.world.bot.id}> the invoices page shows a 500 error`,
    });
    const message = await nextMessage(client, (m) => m.id === inbound.id);
    expect(message.content).toContain('invoices page');
    expect(message.guildId).toBe(fake.world.guild.id);
    expect(message.mentions.users.has(fake.world.bot.id)).toBe(true);
    expect(message.author.id).toBe(fake.world.customer.id);

    // Discord echoes the bot's own messages back; a real adapter must ignore them.
    const echo = nextMessage(client, (m) => m.author.id === fake.world.bot.id);
    await message.reply('Looking into it');
    const reply = await fake.waitFor((s) => s.body.message_reference?.message_id === inbound.id);
    expect(reply.message).toMatchObject({ type: 19, content: 'Looking into it' });
    expect((await echo).content).toBe('Looking into it');

    if (!message.channel.isSendable()) throw new Error('support channel is not sendable');
    await message.channel.send('A plain follow-up');
    await fake.waitFor((s) => s.body.content === 'A plain follow-up' && !s.dm);

    const thread = await message.startThread({ name: 'Invoices 500' });
    expect(thread.id).toBe(inbound.id);
    expect(thread.type).toBe(ChannelType.PublicThread);
    await thread.send('Tracking it here');
    const inThread = await fake.waitFor((s) => s.channelId === thread.id);
    expect(inThread.body.content).toBe('Tracking it here');
    expect(fake.rest.threads.items[0]).toMatchObject({ parentId: fake.world.supportChannelId });

    await message.author.send('Sending details privately');
    const dm = await fake.waitFor((s) => s.dm);
    expect(dm.body.content).toBe('Sending details privately');
    expect(fake.rest.calls.items.some((c) => c.route === 'POST /users/@me/channels')).toBe(true);
  });

  it('delivers a DM fixture through the Channel partial and accepts the reply', async () => {
    const client = await connect();
    const received = nextMessage(client, (m) => m.id === '1262707309327548428');
    expect(fake.dispatchFixture('message-create-dm.json')).toBe(1);
    const message = await received;
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.content).toBe('hi, how do I export my invoices as CSV?');
    await message.reply('Settings → Billing → Export');
    const sent = await fake.waitFor((s) => s.channelId === '1191655986167939082');
    expect(sent.dm).toBe(true);
  });

  it('blanks content without the MessageContent intent, except mentions and DMs', async () => {
    const intents: GatewayIntentsString[] = ['Guilds', 'GuildMessages', 'DirectMessages'];
    const client = await connect(intents.map((name) => GatewayIntentBits[name]));
    const plain = fake.sendMessageCreate({ content: 'no mention here' });
    expect((await nextMessage(client, (m) => m.id === plain.id)).content).toBe('');
    const mention = fake.sendMessageCreate({ content: `<@${fake.world.bot.id}> help` });
    expect((await nextMessage(client, (m) => m.id === mention.id)).content).toContain('help');
    const dm = fake.sendMessageCreate({ content: 'private question', dm: true });
    expect((await nextMessage(client, (m) => m.id === dm.id)).content).toBe('private question');
  });

  it('resumes after op 7 and after a dropped socket without delivering twice', async () => {
    const client = await connect();
    const identifies = fake.gateway.identifyCount;
    const gatewayUrls: string[] = [];
    client.on(Events.Debug, (line) => {
      const url = /Connecting to (\S+)/.exec(line)?.[1];
      if (url) gatewayUrls.push(url);
    });
    const seen: string[] = [];
    client.on(Events.Raw, (packet: { t?: string; d?: { id?: string } }) => {
      if (packet.t === 'MESSAGE_CREATE' && packet.d?.id) seen.push(packet.d.id);
    });
    const before = fake.sendMessageCreate({ content: 'before the reconnect' });
    await nextMessage(client, (m) => m.id === before.id);

    const resumedAfterOp7 = once(client, Events.ShardResume);
    await fake.requestReconnect();
    const duringReconnect = fake.sendMessageCreate({ content: 'sent while reconnecting' });
    await resumedAfterOp7;
    await expect.poll(() => seen.includes(duringReconnect.id)).toBe(true);

    const resumedAfterDrop = once(client, Events.ShardResume);
    await fake.disconnect(4000);
    const whileDown = fake.sendMessageCreate({ content: 'sent while the socket was down' });
    const [, replayed] = await resumedAfterDrop;
    expect(replayed).toBeGreaterThanOrEqual(1);
    await expect.poll(() => seen.includes(whileDown.id)).toBe(true);

    // INVALID_SESSION (resumable) makes the client RESUME on the same socket.
    const resumedAfterInvalid = once(client, Events.ShardResume);
    await fake.gateway.invalidateSession(true);
    await resumedAfterInvalid;

    for (const id of [before.id, duringReconnect.id, whileDown.id]) {
      expect(seen.filter((seenId) => seenId === id)).toHaveLength(1);
    }
    expect(fake.gateway.identifyCount).toBe(identifies);
    const resumes = fake.gateway.received.items.filter((frame) => frame.op === 6);
    expect(resumes.length).toBeGreaterThanOrEqual(3);
    expect(resumes.every((frame) => frame.path === '/resume')).toBe(true);
    expect(gatewayUrls.length).toBeGreaterThanOrEqual(2);
    expect(
      gatewayUrls.every((url) => url.startsWith(`${fake.url.replace('http', 'ws')}/resume?v=10`)),
    ).toBe(true);
  });

  it('answers configured REST failures the way discord.js expects', async () => {
    const client = await connect();
    const channel = client.channels.cache.get(fake.world.supportChannelId);
    if (!channel?.isSendable()) throw new Error('support channel missing');

    fake.failRoute('POST /channels/:channelId/messages', { kind: 'rate-limit', retryAfter: 0.1 });
    await channel.send('after a 429');
    const statuses = fake.rest.calls.items
      .filter((c) => c.route === 'POST /channels/:id/messages')
      .map((c) => c.status);
    expect(statuses.slice(-2)).toEqual([429, 200]);

    fake.failRoute('POST /channels/:id/messages', { kind: 'missing-permissions' });
    const refused = await channel.send('forbidden').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect((refused as DiscordAPIError).code).toBe(50013);

    fake.failRoute('POST /channels/:id/messages', { kind: 'server-error' });
    await channel.send('after a 500');
    await fake.waitFor((s) => s.body.content === 'after a 500');

    const empty = await channel.send({ content: '' }).catch((error: unknown) => error);
    expect((empty as DiscordAPIError).code).toBe(50006);

    await channel.send({
      content: 'log attached',
      files: [{ attachment: Buffer.from('trace'), name: 'trace.txt' }],
    });
    const upload = await fake.waitFor((s) => s.body.content === 'log attached');
    expect(upload.files).toEqual(['trace.txt']);
  });

  it('rejects a wrong token on REST and keeps discord.js away from discord.com', async () => {
    const client = new Client({ intents: ALL_INTENTS, rest: fake.restOptions });
    clients.push(client);
    await expect(client.login('not-the-token')).rejects.toThrow(/invalid/i);
    const unauthorized = fake.rest.calls.items.at(-1);
    expect(unauthorized).toMatchObject({ route: 'GET /gateway/bot', status: 401 });
  });

  it('speaks zlib-stream when a client asks for transport compression', async () => {
    const ws = new WebSocket(
      `${fake.url.replace('http', 'ws')}/?v=10&encoding=json&compress=zlib-stream`,
    );
    const inflate = createInflate();
    ws.on('message', (data: Buffer) => inflate.write(data));
    const [chunk] = (await once(inflate, 'data')) as [Buffer];
    expect(JSON.parse(chunk.toString('utf8'))).toMatchObject({ op: 10 });
    ws.close(1000);
    inflate.close();
  });
});
