import { Client, DiscordAPIError, HTTPError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DiscordError, toDiscordError } from '../../bots/discord/errors.ts';

const request = { body: undefined, files: undefined };
const apiError = (status: number, code: number, message: string) =>
  new DiscordAPIError({ code, message }, code, status, 'POST', '/channels/1/messages', request);

describe('mapping Discord SDK errors', () => {
  it.each([
    [apiError(403, 50013, 'Missing Permissions'), 'forbidden'],
    [apiError(403, 50007, 'Cannot send messages to this user'), 'forbidden'],
    [apiError(404, 10003, 'Unknown Channel'), 'not_found'],
    [apiError(400, 10008, 'Unknown Message'), 'not_found'],
    [apiError(400, 50035, 'Invalid Form Body'), 'invalid_request'],
    [apiError(401, 0, '401: Unauthorized'), 'unauthorized'],
    [
      new HTTPError(502, 'Bad Gateway', 'POST', '/channels/1/messages', request),
      'platform_unavailable',
    ],
    [new Error('Used disallowed intents'), 'forbidden'],
    [
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
      }),
      'network',
    ],
    [new DOMException('This operation was aborted', 'AbortError'), 'network'],
    [new Error('something else'), 'unknown'],
  ])('%s → %s', (error, code) => {
    const mapped = toDiscordError(error, 'sending a message');
    expect(mapped).toBeInstanceOf(DiscordError);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(error);
  });

  it('maps discord.js refusing a missing token at login', async () => {
    const client = new Client({ intents: [] });
    const refused = await client.login('').catch((error: unknown) => error);
    expect(toDiscordError(refused, 'logging in')).toMatchObject({
      code: 'unauthorized',
      platformCode: 'TokenInvalid',
      message: /DISCORD_BOT_TOKEN/,
    });
    await client.destroy();
  });

  it('keeps Discord’s status and JSON code for the logs', () => {
    const mapped = toDiscordError(apiError(403, 50013, 'Missing Permissions'), 'opening a thread');
    expect(mapped).toMatchObject({ status: 403, platformCode: 50013 });
    expect(mapped.message).toMatch(/opening a thread: Missing Permissions \(50013\)/);
    expect(toDiscordError(mapped)).toBe(mapped);
  });
});
