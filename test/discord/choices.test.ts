import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../bots/discord/index.ts';
import { createLogger } from '../../src/log.ts';
import type { ChannelAdapter } from '../../src/types/index.ts';
import { RATING_ASK as ASK, engineStub, RATING } from '../contract/choices.ts';
import { logLines } from '../contract/desk.ts';
import {
  createDiscordFake,
  type DiscordFake,
  type SentDiscordMessage,
} from '../fakes/discord/index.ts';

const ROW = {
  type: 1,
  components: RATING.map((choice) => ({
    type: 2,
    style: 2,
    label: choice.label,
    custom_id: choice.value,
  })),
};

describe('rating buttons on Discord, through discord.js', () => {
  let fake: DiscordFake;
  let adapter: ChannelAdapter;
  let stub: ReturnType<typeof engineStub>;
  let log: ReturnType<typeof logLines>;
  const mention = (text: string) => `<@${fake.world.bot.id}> ${text}`;

  afterEach(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  async function start() {
    fake = await createDiscordFake();
    log = logLines();
    adapter = createDiscordAdapter({
      botToken: fake.token,
      apiUrl: fake.restOptions.api,
      logger: createLogger('info', log),
    });
    stub = engineStub();
    await adapter.start(stub.hooks);
  }

  /** A customer asks by mention; the engine later sends the rating into that thread. */
  async function askInThread(): Promise<{ thread: string; asked: SentDiscordMessage }> {
    const question = fake.sendMessageCreate({ content: mention('How do I reset my password?') });
    await stub.handled.waitFor((m) => m.messageId === question.id);
    const thread = question.id;
    await adapter.send(`discord:${thread}`, { text: ASK, from: 'bot', choices: RATING });
    const asked = await fake.waitFor((s) => s.channelId === thread && !!s.body.components);
    return { thread, asked };
  }

  const current = (sent: SentDiscordMessage) => fake.world.messages.get(sent.message.id);

  it('sends the choices as a row of five secondary buttons under the text', async () => {
    await start();
    const { asked } = await askInThread();
    expect(asked.body.content).toBe(ASK);
    expect(asked.body.components).toEqual([ROW]);
    expect(current(asked)?.components).toEqual([ROW]);
  });

  it('hands a press to the engine as the label and the value, acknowledges it, and removes the buttons', async () => {
    await start();
    const { thread, asked } = await askInThread();
    const press = fake.pressButton({ messageId: asked.message.id, label: '4' });

    const inbound = await stub.handled.waitFor((m) => m.choice !== undefined);
    expect(inbound).toEqual({
      platform: 'discord',
      conversationId: `discord:${thread}`,
      messageId: press.id,
      author: {
        id: fake.world.customer.id,
        name: fake.world.customer.global_name ?? fake.world.customer.username,
      },
      text: '4',
      choice: RATING[3]?.value,
      receivedAt: expect.any(Date),
    });
    // One answer acknowledges the press and takes the buttons off; the words stay.
    const callback = await fake.rest.interactions.callbacks.waitFor();
    expect(callback).toMatchObject({ interactionId: press.id, type: 7, ephemeral: false });
    expect(callback.data?.components).toEqual([]);
    expect(current(asked)?.components).toEqual([]);
    expect(current(asked)?.content).toBe(ASK);
    expect(() => fake.pressButton({ messageId: asked.message.id, label: '4' })).toThrow(
      /no button/,
    );
  });

  it('hands a redelivered press over with the same id, so the engine drops it, and settles it quietly', async () => {
    await start();
    const { asked } = await askInThread();
    const press = fake.pressButton({ messageId: asked.message.id, label: '5' });
    await fake.rest.interactions.callbacks.waitFor();
    // The same INTERACTION_CREATE again, as a second instance during a deploy would get it.
    fake.dispatch('INTERACTION_CREATE', press);
    await expect.poll(() => stub.presses().length).toBe(2);
    const [first, again] = stub.presses();
    expect(again?.messageId).toBe(first?.messageId);
    // Discord refuses a second answer (40060); the adapter takes the buttons off directly.
    await expect
      .poll(() => fake.rest.calls.items.filter((c) => c.route.startsWith('PATCH')).length)
      .toBe(1);
    const answers = fake.rest.calls.items.filter((c) => c.route.includes('/interactions/'));
    expect(answers.map((c) => c.status)).toEqual([204, 400]);
    expect(current(asked)?.components).toEqual([]);
    expect(log.lines.filter((l) => /button press/.test(l))).toEqual([]);
  });

  it('keeps the buttons when the engine could not take the press, so it can be pressed again', async () => {
    await start();
    const { asked } = await askInThread();
    stub.state.fail = true;
    fake.pressButton({ messageId: asked.message.id, label: '2' });
    const ack = await fake.rest.interactions.callbacks.waitFor();
    expect(ack.type).toBe(6);
    expect(log.lines).toContain('button press failed');
    expect(current(asked)?.components).toEqual([ROW]);

    fake.pressButton({ messageId: asked.message.id, label: '3' });
    const retried = await stub.handled.waitFor((m) => m.choice !== undefined);
    expect(retried).toMatchObject({ text: '3', choice: RATING[2]?.value });
  });

  it('takes a press in a DM into the DM conversation', async () => {
    await start();
    const dm = fake.sendMessageCreate({ content: 'thanks, it works', dm: true });
    await stub.handled.waitFor((m) => m.messageId === dm.id);
    await adapter.send(`discord:dm:${dm.channel_id}`, { text: ASK, from: 'bot', choices: RATING });
    const asked = await fake.waitFor((s) => s.dm && !!s.body.components);
    fake.pressButton({ messageId: asked.message.id, label: '1' });
    const press = await stub.handled.waitFor((m) => m.choice !== undefined);
    expect(press).toMatchObject({ conversationId: `discord:dm:${dm.channel_id}`, text: '1' });
    await expect.poll(() => current(asked)?.components).toEqual([]);
  });

  it('in a shared channel, takes the customer’s press into their conversation and turns others away', async () => {
    await start();
    fake.failRoute('POST /channels/:id/messages/:id/threads', { kind: 'missing-permissions' });
    const channel = fake.world.supportChannelId;
    const customer = fake.world.customer;
    const question = fake.sendMessageCreate({ content: mention('How do I reset my password?') });
    await stub.handled.waitFor((m) => m.messageId === question.id);
    const conversationId = `discord:${channel}:${customer.id}`;
    await adapter.send(conversationId, { text: ASK, from: 'bot', choices: RATING });
    const asked = await fake.waitFor((s) => s.channelId === channel && !!s.body.components);
    expect(asked.body.content).toBe(`<@${customer.id}> ${ASK}`);

    const other = { ...customer, id: '1100000000000000777', username: 'lena', global_name: 'Lena' };
    fake.world.addUser(other);
    const customerMember = fake.world.members.get(customer.id);
    if (customerMember) fake.world.members.set(other.id, customerMember);
    fake.pressButton({ messageId: asked.message.id, label: '1', user: other.id });
    const notice = await fake.rest.interactions.callbacks.waitFor();
    expect(notice).toMatchObject({ type: 4, ephemeral: true });
    expect(notice.data?.content).toMatch(/for the person I answered/);
    expect(current(asked)?.components).toEqual([ROW]);

    fake.pressButton({ messageId: asked.message.id, label: '4' });
    const press = await stub.handled.waitFor((m) => m.choice !== undefined);
    expect(press).toMatchObject({ conversationId, text: '4', choice: RATING[3]?.value });
    await expect.poll(() => current(asked)?.components).toEqual([]);
    expect(stub.presses()).toHaveLength(1);
  });

  it('drops a malformed press with a warning, acknowledges one it cannot place, and keeps going', async () => {
    await start();
    const { asked } = await askInThread();
    const genuine = fake.pressButton({ messageId: asked.message.id, label: '3' });
    await stub.handled.waitFor((m) => m.choice !== undefined);
    await adapter.send(`discord:${asked.channelId}`, { text: ASK, from: 'bot', choices: RATING });
    const again = await fake.waitFor(
      (s) => s.message.id !== asked.message.id && !!s.body.components,
    );
    const base = fake.pressButton({ messageId: again.message.id, label: '2' });
    await expect.poll(() => stub.presses().length).toBe(2);
    const data = genuine.data as Record<string, unknown>;
    // What discord.js would choke on (no data, no user, no entitlements) and what does not
    // fit a press (a custom id that is not one), each under an id of its own.
    const defects: Array<Record<string, unknown>> = [
      { data: undefined },
      { data: null },
      { data: { ...data, custom_id: 42 } },
      { data: { ...data, custom_id: 'x'.repeat(101) } },
      { data: { ...data, custom_id: '' } },
      { member: undefined },
      { member: { user: 'someone' } },
      { member: { user: { id: 7 } } },
      { entitlements: undefined },
      { message: undefined },
      { message: { id: 5 } },
      { channel: undefined },
      { token: null },
    ];
    defects.forEach((defect, i) => {
      fake.dispatch('INTERACTION_CREATE', { ...base, id: `13000000000000000${10 + i}`, ...defect });
    });
    // A press of a button that is not on the message: nothing to hand over, but answered.
    const stray = { ...base, id: '1300000000000000004', data: { ...data, custom_id: 'forged' } };
    fake.dispatch('INTERACTION_CREATE', stray);
    await expect
      .poll(() => log.lines.filter((l) => l.startsWith('discord: interaction dropped')).length)
      .toBe(defects.length);
    await expect
      .poll(() => fake.rest.calls.items.filter((c) => c.path.includes(stray.id)).length)
      .toBe(1);
    expect(stub.presses()).toHaveLength(2);
    expect(log.lines.filter((l) => /failed/.test(l))).toEqual([]);

    const more = fake.sendMessageCreate({ content: 'one more thing', channel_id: asked.channelId });
    await stub.handled.waitFor((m) => m.messageId === more.id);
  });
});
