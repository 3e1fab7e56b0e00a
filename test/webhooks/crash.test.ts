import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookDispatcher } from '../../src/engine/webhooks/dispatcher.ts';
import { createStore } from '../../src/store/index.ts';
import { WebhookStore } from '../../src/store/webhooks.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { newSecret, settled, silentLogger } from './setup.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs crash-child.ts and resolves with the event id it printed. */
function runChild(
  args: string[],
  secret: string,
): { child: ChildProcess; eventId: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    env: { ...process.env, WEBHOOK_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const eventId = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line);
    });
    child.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`child exited ${code}: ${err}`));
    });
  });
  return { child, eventId };
}

async function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-crash-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const receivers = [await startWebhookReceiver(), await startWebhookReceiver()];
  for (const r of receivers) cleanups.push(() => r.close());
  return {
    file: join(dir, 'switchboard.db'),
    receivers,
    urls: receivers.map((r) => r.url),
    secret: newSecret(),
  };
}

/** Starts a dispatcher in this process on the file the child left behind. */
function restart(file: string, urls: string[], secret: string) {
  const store = createStore(file);
  const webhooks = new WebhookStore(store.db);
  const dispatcher = createWebhookDispatcher({
    store: webhooks,
    endpoints: urls,
    secret,
    retryScheduleMs: [50, 100],
    logger: silentLogger,
  });
  cleanups.push(
    () => store.close(),
    () => dispatcher.stop(),
  );
  dispatcher.start();
  return { webhooks, dispatcher };
}

function expectOnce(receiver: WebhookReceiver, eventId: string, secret: string): void {
  const byId = receiver.byWebhookId();
  expect([...byId.keys()]).toEqual([eventId]);
  for (const r of receiver.requests)
    expect(() => new Webhook(secret).verify(r.body, r.headers)).not.toThrow();
}

describe('webhooks across a crash', () => {
  it('delivers an event committed just before the process died, once per endpoint', async () => {
    const { file, receivers, urls, secret } = await fixture();
    const { child, eventId } = runChild([file, 'exit', ...urls], secret);
    const id = await eventId;
    await new Promise((resolve) => child.once('exit', resolve));
    expect(receivers.flatMap((r) => r.requests)).toHaveLength(0);

    const { webhooks, dispatcher } = restart(file, urls, secret);
    for (const url of urls) expect((await settled(webhooks, id, url)).status).toBe('delivered');
    await dispatcher.idle();
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (const r of receivers) {
      expect(r.requests).toHaveLength(1);
      expectOnce(r, id, secret);
    }
  });

  it('resends a delivery that was in flight when the process was killed', async () => {
    const { file, receivers, urls, secret } = await fixture();
    for (const r of receivers) r.reply((_, i) => (i === 0 ? 'hang' : {}));
    const { child, eventId } = runChild([file, 'hang', ...urls], secret);
    const id = await eventId;
    await Promise.all(receivers.map((r) => r.waitFor(1)));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const { webhooks } = restart(file, urls, secret);
    for (const url of urls) {
      const delivery = await settled(webhooks, id, url);
      expect(delivery.status).toBe('delivered');
      // The killed attempt was never recorded; the receiver saw it and dedupes by webhook-id.
      expect(delivery.attempts).toHaveLength(1);
    }
    for (const r of receivers) {
      expect(r.requests).toHaveLength(2);
      expectOnce(r, id, secret);
    }
  });
});
