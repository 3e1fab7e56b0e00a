import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { TelegramError, toTelegramError } from '../../bots/telegram/errors.ts';

const refused = (error_code: number, description: string) =>
  new GrammyError(
    `Call to 'sendMessage' failed!`,
    { ok: false, error_code, description },
    'sendMessage',
    {},
  );

describe('mapping grammY errors', () => {
  it.each([
    [refused(401, 'Unauthorized'), 'unauthorized'],
    [refused(403, 'Forbidden: bot was blocked by the user'), 'forbidden'],
    [refused(403, 'Forbidden: bot was kicked from the supergroup chat'), 'forbidden'],
    [refused(400, 'Bad Request: chat not found'), 'not_found'],
    [refused(400, 'Bad Request: message to be replied not found'), 'not_found'],
    [refused(400, "Bad Request: can't parse entities: Unsupported start tag"), 'invalid_request'],
    [refused(409, 'Conflict: terminated by other getUpdates request'), 'conflict'],
    [refused(429, 'Too Many Requests: retry after 120'), 'rate_limited'],
    [refused(502, 'Bad Gateway'), 'platform_unavailable'],
    [
      new HttpError('Network request for sendMessage failed!', new Error('ECONNREFUSED')),
      'network',
    ],
    [new Error('boom'), 'unknown'],
  ])('%s → %s', (error, code) => {
    const mapped = toTelegramError(error);
    expect(mapped).toBeInstanceOf(TelegramError);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(error);
  });

  it('keeps the method and error code, and is idempotent', () => {
    const mapped = toTelegramError(refused(403, 'Forbidden: bot was blocked by the user'));
    expect(mapped).toMatchObject({ status: 403, method: 'sendMessage' });
    expect(mapped.message).toBe(
      'Telegram refused sendMessage: Forbidden: bot was blocked by the user',
    );
    expect(toTelegramError(mapped)).toBe(mapped);
  });
});
