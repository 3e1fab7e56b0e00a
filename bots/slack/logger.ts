import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/log.ts';

/**
 * Bolt's and the Socket Mode client's logs, written through our pino logger. Levels are
 * pino's to decide, so `setLevel` is accepted and ignored.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const line = (parts: unknown[]) =>
    parts
      .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p)))
      .join(' ');
  return {
    debug: (...m: unknown[]) => logger.debug(line(m)),
    info: (...m: unknown[]) => logger.info(line(m)),
    warn: (...m: unknown[]) => logger.warn(line(m)),
    error: (...m: unknown[]) => logger.error(line(m)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
