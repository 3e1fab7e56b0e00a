import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log object: tokens, secrets, auth
 * headers. Customer text is logged only as lengths and ids, never in full.
 */
export const REDACT_PATHS = [
  'token',
  'apiKey',
  'secret',
  'password',
  'authorization',
  '*.token',
  '*.apiKey',
  '*.secret',
  '*.signingSecret',
  '*.botToken',
  '*.appToken',
  '*.adminToken',
  '*.webhookSecret',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-slack-signature"]',
  '*.headers["x-telegram-bot-api-secret-token"]',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** The process logger: JSON lines, secrets redacted. */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: undefined },
    destination,
  );
}

/**
 * The logger of `npm start`: readable lines when standard output is a terminal, JSON lines
 * otherwise (a file, a pipe, a container's log collector). Redaction is the
 * same either way: it runs before formatting.
 */
export function createProcessLogger(level = 'info'): Logger {
  const readable = process.stdout.isTTY === true;
  return createLogger(
    level,
    readable
      ? pretty({ colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname', sync: true })
      : undefined,
  );
}
