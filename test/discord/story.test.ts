import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import type { Switchboard } from '../../src/main.ts';
import { deskClient, logLines } from '../contract/desk.ts';
import { createDiscordFake, type DiscordFake } from '../fakes/discord/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';
import { postedIn } from './helpers.ts';

const ANSWER = /Source: Accounts and login › Resetting your password/;

describe('a Discord customer, through the real app', () => {
  let fake: DiscordFake;
  let sb: Switchboard;
  let stopped = false;
  const log = logLines();

  beforeAll(async () => {
    fake = await createDiscordFake();
    sb = await startTestSwitchboard(
      { DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.restOptions.api },
      { logger: createLogger('info', log) },
    );
  });
  afterAll(async () => {
    if (!stopped) await sb?.stop();
    await fake?.close();
  });

  it('connects at startup and says so in the log', async () => {
    expect(log.lines).toContain('channel discord: on (gateway)');
    expect(log.lines).toContain(`discord: connected as @${fake.world.bot.username}`);
    expect(fake.gateway.identifyCount).toBe(1);
  });

  it('answers a mention in a thread, hands off to the desk, and brings the agent back', async () => {
    const question = fake.sendMessageCreate({
      content: `<@${fake.world.bot.id}> How do I reset my password?`,
    });
    const thread = question.id;
    await fake.waitFor((s) => s.channelId === thread && ANSWER.test(s.body.content ?? ''));

    fake.sendMessageCreate({
      content: 'that did not work, I want to talk to a person',
      channel_id: thread,
    });
    await fake.waitFor((s) => s.channelId === thread && /human/i.test(s.body.content ?? ''));
    const desk = deskClient(sb);
    const handoff = await desk.openHandoff(`discord:${thread}`);
    await desk.claim(handoff, 'Sam');
    await desk.reply(handoff, 'Sam', 'Run this:\n\n```sh\nacme reset --user alice\n```');
    const agent = await fake.waitFor(
      (s) => s.channelId === thread && /acme reset/.test(s.body.content ?? ''),
    );
    expect(agent.body.content).toBe(
      '**Sam** (support)\nRun this:\n\n```sh\nacme reset --user alice\n```',
    );

    fake.sendMessageCreate({ content: 'done, it works now', channel_id: thread });
    await expect.poll(() => desk.messages(handoff)).toContain('done, it works now');
    await desk.resolve(handoff, 'Sam');
    await fake.waitFor((s) => s.channelId === thread && /resolved/.test(s.body.content ?? ''));
    expect(postedIn(fake, fake.world.supportChannelId)).toEqual([]);
  });

  it('answers a DM, and delivers "the fix is out" there', async () => {
    const dm = fake.sendMessageCreate({ content: 'How do I reset my password?', dm: true });
    await fake.waitFor((s) => s.dm && ANSWER.test(s.body.content ?? ''));
    await sb.engine.idle();
    expect(
      await sb.engine.notify(`discord:dm:${dm.channel_id}`, 'The fix for **T-1001** is out.'),
    ).toBe(true);
    const notice = await fake.waitFor(
      (s) => s.channelId === dm.channel_id && /T-1001/.test(s.body.content ?? ''),
    );
    expect(notice.body.content).toBe('The fix for **T-1001** is out.');
  });

  it('disconnects from the gateway when Switchboard stops', async () => {
    await sb.stop();
    stopped = true;
    expect([...fake.gateway.sessions.values()].every((s) => s.ended)).toBe(true);
  });
});
