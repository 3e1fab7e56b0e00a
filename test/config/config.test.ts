import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.ts';

describe('loadConfig', () => {
  it('runs with no variables at all: web on, everything else off with a reason', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.channels.web.enabled).toBe(true);
    expect(config.channels.discord).toEqual({
      enabled: false,
      reason: 'DISCORD_BOT_TOKEN is not set',
    });
    expect(Object.isFrozen(config.ai)).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ OPENAI_BASE_URL: 'not a url' }, 'OPENAI_BASE_URL'],
    [{ WEBHOOK_RETRY_SCHEDULE: '5s,soon' }, 'WEBHOOK_RETRY_SCHEDULE'],
    [{ WEBHOOK_URLS: 'https://example.test/hook' }, 'WEBHOOK_SECRET'],
    [{ WEBHOOK_SECRET: 'plain' }, 'WEBHOOK_SECRET'],
    [{ DIGEST_TZ: 'Mars/Olympus' }, 'DIGEST_TZ'],
    [{ DIGEST_CRON: 'every day' }, 'DIGEST_CRON'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ RATE_LIMIT_PER_AUTHOR: 'lots' }, 'RATE_LIMIT_PER_AUTHOR'],
    [{ RATE_LIMIT_PER_CONVERSATION: '-1' }, 'RATE_LIMIT_PER_CONVERSATION'],
  ])('rejects %o naming %s and the fix', (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable('loadConfig accepted a wrong value');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).toMatch(new RegExp(`^${variable}: .+ Fix: .+`));
    }
  });

  it('stops `npm start` with a non-zero exit and a message naming the variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'abc' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'PORT: must be a whole number from 0 to 65535. Fix: set PORT to a free TCP port',
    );
  });
});
