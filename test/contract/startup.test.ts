import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import type { Switchboard } from '../../src/main.ts';
import { createDiscordFake, type DiscordFake } from '../fakes/discord/index.ts';
import { createTelegramFake, type TelegramFake } from '../fakes/telegram/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';
import { logLines } from './desk.ts';
import { privateMessage } from './telegram.ts';

const ANSWER = /Source: Accounts and login › Resetting your password/;

describe('one Switchboard running Discord and Telegram together', () => {
  let discord: DiscordFake;
  let telegram: TelegramFake;
  let sb: Switchboard;
  const log = logLines();

  beforeAll(async () => {
    [discord, telegram] = await Promise.all([createDiscordFake(), createTelegramFake()]);
    sb = await startTestSwitchboard(
      {
        DISCORD_BOT_TOKEN: discord.token,
        DISCORD_API_URL: discord.restOptions.api,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
      },
      { logger: createLogger('info', log) },
    );
  });
  afterAll(async () => {
    await sb?.stop();
    await Promise.all([discord?.close(), telegram?.close()]);
  });

  it("logs each channel's state and each bot it connected as", () => {
    for (const line of [
      'channel web: on (always on)',
      'channel discord: on (gateway)',
      'channel telegram: on (long polling)',
      `discord: connected as @${discord.world.bot.username}`,
      'telegram: connected as @switchboard_support_bot',
    ]) {
      expect(log.lines).toContain(line);
    }
  });

  it('answers on both platforms at once, each in its own place', async () => {
    const mention = discord.sendMessageCreate({
      content: `<@${discord.world.bot.id}> How do I reset my password?`,
    });
    telegram.pushUpdate(privateMessage('How do I reset my password?', 600000001, 1));
    const [inThread, inChat] = await Promise.all([
      discord.waitFor((s) => s.channelId === mention.id && ANSWER.test(s.body.content ?? '')),
      telegram.waitFor((s) => s.chatId === 600000001 && ANSWER.test(s.text)),
    ]);
    expect(inThread.body.content).toMatch(/_Source: /);
    expect(inChat.rawText).toMatch(/<i>Source: /);
  });
});

describe('a channel that cannot connect', () => {
  it('is logged with the variable to fix, and the others keep running', async () => {
    const discord = await createDiscordFake();
    const telegram = await createTelegramFake();
    const log = logLines();
    const sb = await startTestSwitchboard(
      {
        DISCORD_BOT_TOKEN: discord.token,
        DISCORD_API_URL: discord.restOptions.api,
        TELEGRAM_BOT_TOKEN: '123456:revoked',
        TELEGRAM_API_ROOT: telegram.apiRoot,
      },
      { logger: createLogger('info', log) },
    );
    try {
      expect(log.lines).toContain(
        'channel telegram: could not start: Telegram refused getMe: Unauthorized (check TELEGRAM_BOT_TOKEN: BotFather → /mybots → API Token)',
      );
      const mention = discord.sendMessageCreate({
        content: `<@${discord.world.bot.id}> How do I reset my password?`,
      });
      await discord.waitFor((s) => s.channelId === mention.id && ANSWER.test(s.body.content ?? ''));
      const health = await fetch(`${sb.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'degraded',
        channels: {
          web: 'on',
          discord: 'on',
          telegram: expect.stringMatching(/^failed \(Telegram refused getMe: Unauthorized/),
        },
      });
    } finally {
      await sb.stop();
      await Promise.all([discord.close(), telegram.close()]);
    }
  });
});
