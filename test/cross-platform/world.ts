import type { Switchboard } from '../../src/main.ts';
import { createDiscordFake, type DiscordFake } from '../fakes/discord/index.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/slack/index.ts';
import { createTelegramFake, type TelegramFake } from '../fakes/telegram/index.ts';
import { startTestSwitchboard } from '../helpers/switchboard.ts';

/** The real app with Slack (Socket Mode, the agent desk), Telegram and Discord, each on its fake. */
export interface AllPlatforms {
  slack: FakeSlack;
  telegram: TelegramFake;
  discord: DiscordFake;
  sb: Switchboard;
  stop(): Promise<void>;
}

/**
 * Starts the three fakes, then one Switchboard pointed at all of them; `env` adds to (or
 * overrides) the platform variables. `prepare` runs on the fake Slack before the app starts.
 */
export async function startAllPlatforms(
  env: Record<string, string> = {},
  prepare?: (slack: FakeSlack) => void,
): Promise<AllPlatforms> {
  const [slack, telegram, discord] = await Promise.all([
    startFakeSlack(),
    createTelegramFake(),
    createDiscordFake(),
  ]);
  const closeFakes = () => Promise.all([slack.close(), telegram.close(), discord.close()]);
  try {
    prepare?.(slack);
    const sb = await startTestSwitchboard({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_AGENT_CHANNEL: slack.ids.agentChannel,
      SLACK_API_URL: slack.apiUrl,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_API_URL: discord.restOptions.api,
      ...env,
    });
    return {
      slack,
      telegram,
      discord,
      sb,
      async stop() {
        await sb.stop();
        await closeFakes();
      },
    };
  } catch (error) {
    await closeFakes();
    throw error;
  }
}
