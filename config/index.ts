import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { Cron } from 'croner';
import { ConfigError } from './errors.ts';
import { envSchema, FIXES, parseDuration } from './schema.ts';

export { ConfigError } from './errors.ts';

/** The sample product docs shipped with the repo, used when KNOWLEDGE_DIR is unset. */
export const SAMPLE_KNOWLEDGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'knowledge');

/** Whether a channel runs, and why not when it doesn't. */
export interface ChannelState {
  enabled: boolean;
  reason: string;
}

/** The validated, frozen configuration. Only `config/` reads `process.env`. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  adminToken: string | undefined;
  knowledgeDir: string;
  logLevel: string;
  ai: {
    apiKey: string | undefined;
    baseURL: string | undefined;
    model: string;
    fallbackModel: string | undefined;
    embeddingModel: string | undefined;
    timeoutMs: number;
  };
  slack: {
    botToken: string | undefined;
    signingSecret: string | undefined;
    appToken: string | undefined;
    agentChannel: string | undefined;
    digestChannel: string | undefined;
    apiUrl: string | undefined;
    /** Assign a handoff still unclaimed after the SLA to the least-loaded agent. */
    autoAssign: boolean;
    mode: 'http' | 'socket' | 'off';
  };
  discord: { botToken: string | undefined; apiUrl: string | undefined };
  telegram: {
    botToken: string | undefined;
    apiRoot: string | undefined;
    webhookSecret: string | undefined;
    mode: 'polling' | 'webhook' | 'off';
  };
  publicUrl: string | undefined;
  webhooks: { urls: string[]; secret: string | undefined; retryScheduleMs: number[] };
  digest: { cron: string; timezone: string; topN: number };
  handoffSlaMinutes: number;
  sessionTtlHours: number;
  /** Messages per minute before the bot stops answering for a while; 0 = no limit. */
  rateLimits: { perAuthor: number; perConversation: number };
  channels: Record<'web' | 'slack' | 'discord' | 'telegram', ChannelState>;
}

/** The variables a process starts with: its environment over the `.env` file's. */
export interface Environment {
  values: Record<string, string | undefined>;
  /** The file read, when there was one. */
  file: string | undefined;
  /** Variables whose value came from the file (not set in the environment). */
  fromFile: ReadonlySet<string>;
}

/**
 * The environment with `.env` (in `cwd`) beneath it, as `.env.example` describes: a
 * variable set in the environment wins over the file's. No file, no change.
 */
export function readEnvironment(
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): Environment {
  const file = resolve(cwd, '.env');
  if (!existsSync(file)) return { values: env, file: undefined, fromFile: new Set() };
  const parsed = parseEnv(readFileSync(file, 'utf8'));
  const fromFile = new Set<string>();
  const values: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(parsed)) {
    if (values[name] !== undefined) continue;
    values[name] = value;
    fromFile.add(name);
  }
  return { values, file, fromFile };
}

/**
 * {@link loadConfig} over {@link readEnvironment}: what `npm start` and the commands use. A
 * wrong value from the file is reported like one from the environment, naming the file.
 */
export function loadConfigFromEnvironment(environment = readEnvironment()): Readonly<Config> {
  try {
    return loadConfig(environment.values);
  } catch (error) {
    if (error instanceof ConfigError && environment.fromFile.has(error.variable)) {
      throw new ConfigError(
        `${error.variable} (set in ${environment.file})`,
        error.problem,
        error.fix,
      );
    }
    throw error;
  }
}

/**
 * Parses and validates the environment once. Throws a {@link ConfigError} naming the
 * first wrong variable and how to fix it.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(
      variable,
      issue?.message ?? 'is invalid',
      FIXES[variable] ?? 'see .env.example',
    );
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);

  const retryScheduleMs = e.WEBHOOK_RETRY_SCHEDULE.split(',').map((part) => {
    const ms = parseDuration(part);
    if (ms === undefined) {
      throw new ConfigError(
        'WEBHOOK_RETRY_SCHEDULE',
        `"${part.trim()}" is not a delay`,
        FIXES.WEBHOOK_RETRY_SCHEDULE ?? '',
      );
    }
    return ms;
  });
  const webhookUrls = (e.WEBHOOK_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const url of webhookUrls) {
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
      throw new ConfigError(
        'WEBHOOK_URLS',
        `"${url}" is not an http(s) URL`,
        FIXES.WEBHOOK_URLS ?? '',
      );
    }
  }
  if (e.WEBHOOK_SECRET !== undefined && !/^whsec_[A-Za-z0-9+/=]{32,}$/.test(e.WEBHOOK_SECRET)) {
    throw new ConfigError('WEBHOOK_SECRET', 'is not a whsec_ secret', FIXES.WEBHOOK_SECRET ?? '');
  }
  if (webhookUrls.length > 0 && e.WEBHOOK_SECRET === undefined) {
    throw new ConfigError(
      'WEBHOOK_SECRET',
      'is required when WEBHOOK_URLS is set',
      FIXES.WEBHOOK_SECRET ?? '',
    );
  }
  if (!isTimeZone(e.DIGEST_TZ)) {
    throw new ConfigError(
      'DIGEST_TZ',
      `"${e.DIGEST_TZ}" is not a time zone`,
      FIXES.DIGEST_TZ ?? '',
    );
  }
  try {
    new Cron(e.DIGEST_CRON, { paused: true, timezone: e.DIGEST_TZ }).stop();
  } catch (cause) {
    throw new ConfigError(
      'DIGEST_CRON',
      `"${e.DIGEST_CRON}" is not a cron expression (${String(cause)})`,
      FIXES.DIGEST_CRON ?? '',
    );
  }

  const slackMode = e.SLACK_BOT_TOKEN ? (e.SLACK_APP_TOKEN ? 'socket' : 'http') : 'off';
  if (slackMode === 'http' && !e.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET',
      'is required with SLACK_BOT_TOKEN in HTTP mode',
      'copy the Signing Secret from your Slack app, or set SLACK_APP_TOKEN for Socket Mode',
    );
  }
  const telegramMode = e.TELEGRAM_BOT_TOKEN
    ? e.TELEGRAM_WEBHOOK_SECRET && e.PUBLIC_URL
      ? 'webhook'
      : 'polling'
    : 'off';
  if (e.TELEGRAM_WEBHOOK_SECRET && !/^[A-Za-z0-9_-]{1,256}$/.test(e.TELEGRAM_WEBHOOK_SECRET)) {
    throw new ConfigError(
      'TELEGRAM_WEBHOOK_SECRET',
      'may only hold A-Z, a-z, 0-9, _ and -',
      'use 1-256 of those characters',
    );
  }

  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseFile: join(dataDir, 'switchboard.db'),
    adminToken: e.ADMIN_TOKEN,
    knowledgeDir: resolve(e.KNOWLEDGE_DIR ?? SAMPLE_KNOWLEDGE_DIR),
    logLevel: e.LOG_LEVEL,
    ai: {
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      model: e.LLM_MODEL,
      fallbackModel: e.LLM_FALLBACK_MODEL,
      embeddingModel: e.EMBEDDING_MODEL,
      timeoutMs: e.LLM_TIMEOUT_MS,
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      agentChannel: e.SLACK_AGENT_CHANNEL,
      digestChannel: e.SLACK_DIGEST_CHANNEL,
      apiUrl: e.SLACK_API_URL,
      autoAssign: e.SLACK_AUTO_ASSIGN,
      mode: slackMode,
    },
    discord: { botToken: e.DISCORD_BOT_TOKEN, apiUrl: e.DISCORD_API_URL },
    telegram: {
      botToken: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
      mode: telegramMode,
    },
    publicUrl: e.PUBLIC_URL,
    webhooks: { urls: webhookUrls, secret: e.WEBHOOK_SECRET, retryScheduleMs },
    digest: { cron: e.DIGEST_CRON, timezone: e.DIGEST_TZ, topN: e.DIGEST_TOP_N },
    handoffSlaMinutes: e.HANDOFF_SLA_MINUTES,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    rateLimits: {
      perAuthor: e.RATE_LIMIT_PER_AUTHOR,
      perConversation: e.RATE_LIMIT_PER_CONVERSATION,
    },
    channels: {
      web: { enabled: true, reason: 'always on' },
      slack:
        slackMode === 'off'
          ? { enabled: false, reason: 'SLACK_BOT_TOKEN is not set' }
          : {
              enabled: true,
              reason: `${slackMode === 'socket' ? 'Socket Mode' : 'HTTP mode at /slack/events'}`,
            },
      discord: e.DISCORD_BOT_TOKEN
        ? { enabled: true, reason: 'gateway' }
        : { enabled: false, reason: 'DISCORD_BOT_TOKEN is not set' },
      telegram:
        telegramMode === 'off'
          ? { enabled: false, reason: 'TELEGRAM_BOT_TOKEN is not set' }
          : {
              enabled: true,
              reason: telegramMode === 'webhook' ? 'webhook at /telegram/webhook' : 'long polling',
            },
    },
  };
  return deepFreeze(config);
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
