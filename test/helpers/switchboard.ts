import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/index.ts';
import { createLogger } from '../../src/log.ts';
import { type StartOptions, type Switchboard, startSwitchboard } from '../../src/main.ts';

/** A temporary data directory, removed by the returned cleanup. */
export function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the real Switchboard on a random loopback port with a temporary (or given) data
 * directory, and waits until it is ready.
 */
export async function startTestSwitchboard(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<Switchboard> {
  const dataDir = env.DATA_DIR ?? tempDataDir().dir;
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env, DATA_DIR: dataDir });
  const sb = await startSwitchboard(config, { logger: createLogger('silent'), ...options });
  await sb.ready;
  return sb;
}

/** A small client for the web chat's HTTP contract. */
export function webClient(baseUrl: string) {
  return {
    async send(text: string, conversationId?: string, messageId?: string) {
      const res = await fetch(`${baseUrl}/web/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, conversationId, messageId }),
      });
      return {
        status: res.status,
        body: (await res.json()) as {
          conversationId: string;
          messageId: string;
          duplicate: boolean;
        },
      };
    },
    async messages(conversationId: string, after = 0) {
      const res = await fetch(
        `${baseUrl}/web/conversations/${conversationId}/messages?after=${after}`,
      );
      return (await res.json()) as {
        status: string;
        handoff: { id: number; status: string } | null;
        messages: Array<{ id: string; role: string; author: string | null; text: string }>;
      };
    },
  };
}
