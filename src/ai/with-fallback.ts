import type { Logger } from 'pino';
import type { Assistant } from '../types/index.ts';
import { describeError } from './errors.ts';

/**
 * Wraps the model-backed assistant so a turn always gets an answer: if `primary` throws
 * anything (models down, quota gone, a bug), the failure is logged as a warning, without
 * keys or customer text, and `offline` answers the same turn. The customer never sees an
 * error string. Errors from `offline` itself propagate to the engine's error boundary. The
 * agent's drafted replies fall back the same way.
 */
export function withOfflineFallback(
  primary: Assistant,
  offline: Assistant,
  logger?: Logger,
): Assistant {
  return {
    name: `${primary.name}|${offline.name}`,
    async respond(input) {
      try {
        return await primary.respond(input);
      } catch (error) {
        logger?.warn(
          { assistant: primary.name, fallback: offline.name, err: describeError(error) },
          'assistant failed; answering offline',
        );
        return { ...(await offline.respond(input)), fellBack: true };
      }
    },
    async suggest(input) {
      try {
        return await primary.suggest(input);
      } catch (error) {
        logger?.warn(
          { assistant: primary.name, fallback: offline.name, err: describeError(error) },
          'suggestion failed; drafting offline',
        );
        const drafted = await offline.suggest(input);
        return drafted && { ...drafted, fellBack: true };
      }
    },
  };
}
