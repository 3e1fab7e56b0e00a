import { createDiscordAdapter } from '../../bots/discord/index.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import type { Switchboard } from '../../src/main.ts';
import type { ChannelAdapter } from '../../src/types/index.ts';
import { type ContractPlatform, recordingHooks } from '../contract/harness.ts';
import type { DiscordFake } from '../fakes/discord/index.ts';

/** Starts a Discord adapter against `fake`, registered with the test Switchboard's engine. */
export async function startDiscordAdapter(
  sb: Switchboard,
  fake: DiscordFake,
  logger: Logger = createLogger('silent'),
): Promise<{ adapter: ChannelAdapter; handled: ContractPlatform['handled'] }> {
  const adapter = createDiscordAdapter({
    botToken: fake.token,
    apiUrl: fake.restOptions.api,
    logger,
  });
  const { hooks, handled } = recordingHooks(sb);
  sb.engine.register(adapter);
  await adapter.start(hooks);
  return { adapter, handled };
}

/** What the bot posted in a channel or thread, in order. */
export function postedIn(fake: DiscordFake, channelId: string): string[] {
  return fake.sent.filter((s) => s.channelId === channelId).map((s) => s.body.content ?? '');
}
