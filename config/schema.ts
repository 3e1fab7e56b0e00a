import { z } from 'zod';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `5s`, `30m`, `2h` into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m?.[1] || !m[2]) return undefined;
  return Number(m[1]) * (UNIT_MS[m[2]] ?? 0);
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const optionalUrl = (hint: string) =>
  optionalText.refine((v) => v === undefined || URL.canParse(v), {
    message: `must be an absolute URL such as ${hint}`,
  });

const intInRange = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

/**
 * Every environment variable Switchboard reads, with its default and the fix shown when
 * a value is wrong. `.env.example` lists the same variables.
 */
export const envSchema = z.object({
  PORT: intInRange(0, 65535, 3000),
  HOST: optionalText.default('127.0.0.1'),
  DATA_DIR: optionalText.default('./data'),
  ADMIN_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  KNOWLEDGE_DIR: optionalText,
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .default('info'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalUrl('https://api.openai.com/v1 or http://localhost:11434/v1'),
  LLM_MODEL: optionalText.default('gpt-4o-mini'),
  LLM_FALLBACK_MODEL: optionalText,
  EMBEDDING_MODEL: optionalText,
  LLM_TIMEOUT_MS: intInRange(1000, 600_000, 20_000),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_AGENT_CHANNEL: optionalText,
  SLACK_DIGEST_CHANNEL: optionalText,
  SLACK_API_URL: optionalUrl('https://slack.com/api/'),
  SLACK_AUTO_ASSIGN: z
    .enum(['true', 'false', ''], { error: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
  DISCORD_BOT_TOKEN: optionalText,
  DISCORD_API_URL: optionalUrl('https://discord.com/api'),
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_API_ROOT: optionalUrl('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_SECRET: optionalText,
  PUBLIC_URL: optionalUrl('https://support.example.com'),
  WEBHOOK_URLS: optionalText,
  WEBHOOK_SECRET: optionalText,
  WEBHOOK_RETRY_SCHEDULE: optionalText.default('5s,5m,30m,2h,5h,10h,10h'),
  DIGEST_CRON: optionalText.default('0 9 * * *'),
  DIGEST_TZ: optionalText.default('UTC'),
  DIGEST_TOP_N: intInRange(1, 100, 10),
  HANDOFF_SLA_MINUTES: intInRange(1, 10_080, 15),
  SESSION_TTL_HOURS: intInRange(1, 8760, 72),
  RATE_LIMIT_PER_AUTHOR: intInRange(0, 10_000, 12),
  RATE_LIMIT_PER_CONVERSATION: intInRange(0, 10_000, 30),
});

/** How to fix each variable, shown beside the problem. */
export const FIXES: Record<string, string> = {
  PORT: 'set PORT to a free TCP port, e.g. PORT=3000',
  HOST: 'set HOST to an interface address, e.g. 127.0.0.1 or 0.0.0.0',
  ADMIN_TOKEN:
    'use a long random value (e.g. `openssl rand -hex 24`) or unset it to have one generated',
  LOG_LEVEL: 'use one of fatal, error, warn, info, debug, trace, silent',
  OPENAI_BASE_URL: 'point it at an OpenAI-compatible /v1 endpoint, or unset it for OpenAI',
  SLACK_API_URL: 'unset it for slack.com, or give the full Web API base ending in /api/',
  SLACK_AUTO_ASSIGN: 'true to assign handoffs still unclaimed after the SLA, or false',
  DISCORD_API_URL: 'unset it for discord.com, or give the REST base, e.g. https://discord.com/api',
  TELEGRAM_API_ROOT: 'unset it for api.telegram.org, or give your Bot API server root',
  PUBLIC_URL: 'give the public https base URL where platforms reach this server',
  WEBHOOK_RETRY_SCHEDULE: 'a comma list of delays such as 5s,5m,30m,2h',
  WEBHOOK_SECRET: 'use a Standard Webhooks secret: whsec_ followed by base64 (at least 24 bytes)',
  WEBHOOK_URLS: 'a comma-separated list of http(s) URLs',
  DIGEST_CRON: 'a 5-field cron expression such as "0 9 * * *"',
  DIGEST_TZ: 'an IANA time zone such as UTC or Europe/Berlin',
  DIGEST_TOP_N: 'a whole number such as 10',
  HANDOFF_SLA_MINUTES: 'a whole number of minutes such as 15',
  SESSION_TTL_HOURS: 'a whole number of hours such as 72',
  RATE_LIMIT_PER_AUTHOR: 'a whole number of messages per minute such as 12, or 0 for no limit',
  RATE_LIMIT_PER_CONVERSATION:
    'a whole number of messages per minute such as 30, or 0 for no limit',
  LLM_TIMEOUT_MS: 'a whole number of milliseconds such as 20000',
};
