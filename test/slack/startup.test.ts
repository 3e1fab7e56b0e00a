import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../bots/slack/index.ts';
import { createLogger } from '../../src/log.ts';
import type { DeskActions } from '../../src/types/index.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/slack/index.ts';
import { startSlackWorld } from './helpers.ts';

describe('starting Slack', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    await fake?.close();
  });

  const adapter = (botToken: string, appToken?: string) =>
    createSlackAdapter({
      botToken,
      appToken,
      signingSecret: appToken ? undefined : 'secret',
      apiUrl: fake.apiUrl,
      slaMinutes: 15,
      logger: createLogger('silent'),
      deskActions: () => ({}) as DeskActions,
      retryConfig: { retries: 0 },
    });

  it('stops with a message naming the variable when Slack rejects the bot token', async () => {
    await expect(
      adapter('xoxb-wrong').start({ handle: async () => true, conversation: () => undefined }),
    ).rejects.toThrow(
      /Slack could not start: Slack auth\.test failed: invalid_auth\. Slack rejected SLACK_BOT_TOKEN/,
    );
    await expect(
      adapter('xoxb-wrong', fake.appToken).start({
        handle: async () => true,
        conversation: () => undefined,
      }),
    ).rejects.toThrow(/SLACK_BOT_TOKEN/);
  });

  it('requires a signing secret or an app token', () => {
    expect(() =>
      createSlackAdapter({
        botToken: fake.botToken,
        slaMinutes: 15,
        logger: createLogger('silent'),
        deskActions: () => ({}) as DeskActions,
      }),
    ).toThrow(/SLACK_APP_TOKEN .* or SLACK_SIGNING_SECRET/);
  });

  it('reports the mode on /health', async () => {
    for (const mode of ['http', 'socket'] as const) {
      const world = await startSlackWorld(mode);
      try {
        const body = (await (await fetch(`${world.sb.url}/health`)).json()) as {
          channels: Record<string, string>;
        };
        expect(body.channels.slack).toBe('on');
        expect(world.fake.calls('apps.connections.open')).toHaveLength(mode === 'socket' ? 1 : 0);
      } finally {
        await world.stop();
      }
    }
  });
});
