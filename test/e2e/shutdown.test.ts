/**
 * SIGTERM as a deploy sends it: the real process refuses new messages with a retryable 503,
 * finishes the turn it is in the middle of (the model is slow), and exits 0; the answer is
 * in the conversation when the next process starts on the same data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelTurn } from '../fakes/openai/chat.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai/server.ts';
import { freePort, waitUntil } from '../helpers/process.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

const MODEL_REPLY = 'Open Settings › Security and choose Reset password.';
const MODEL_DELAY_MS = 1500;

describe('graceful shutdown', () => {
  const data = tempDataDir();
  let fake: FakeOpenAI;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    child?.kill('SIGKILL');
    await fake?.close();
    data.remove();
  });

  it('refuses new messages, answers the one in flight, and exits 0', async () => {
    fake = await startFakeOpenAI();
    fake.setHandler(() => modelTurn(MODEL_REPLY));
    fake.setMode('slow', { delayMs: MODEL_DELAY_MS });
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', resolve('src/main.ts')], {
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: data.dir,
        LOG_LEVEL: 'warn',
        OPENAI_API_KEY: 'sk-test-key',
        OPENAI_BASE_URL: fake.url,
        LLM_MODEL: 'primary-model',
        LLM_TIMEOUT_MS: '5000',
      },
      stdio: 'ignore',
    });
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(
      async () =>
        (await fetch(`${url}/health`).catch(() => undefined))?.status === 200 || undefined,
      { timeoutMs: 30_000, what: 'the server to be ready' },
    );
    const client = webClient(url);
    const { body } = await client.send('How do I reset my password?');
    await waitUntil(
      () => fake.requests.some((r) => r.path.endsWith('/chat/completions')) || undefined,
      {
        what: 'the model call',
      },
    );

    const exited = once(child, 'exit');
    const stopping = Date.now();
    child.kill('SIGTERM');
    // Once the signal is taken (a load balancer sees /health fail), the process is still up,
    // answering, and a new message is turned away, to be sent again.
    await waitUntil(async () => (await fetch(`${url}/health`)).status === 503 || undefined, {
      timeoutMs: 2_000,
      what: 'the drain',
    });
    const refused = await fetch(`${url}/web/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Are you there?', conversationId: body.conversationId }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await refused.json()) as { error: string }).error).toBe('shutting_down');

    const [code] = await exited;
    expect(code).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000 + 2_000);
    child = undefined;

    const next = await startTestSwitchboard({ DATA_DIR: data.dir });
    try {
      const { messages } = await webClient(next.url).messages(body.conversationId);
      expect(messages.map((m) => [m.role, m.text])).toEqual([
        ['customer', 'How do I reset my password?'],
        ['bot', MODEL_REPLY],
      ]);
    } finally {
      await next.stop();
    }
  });
});
