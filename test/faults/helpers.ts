/**
 * Shared pieces of the fault suites: the real server as a child process (so a test can
 * SIGKILL it), a free port, and polling with a deadline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** Polls `check` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function waitUntil<T>(
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** `npm start` as a child process: `node --import tsx src/main.ts`, one process to kill. */
export interface ServerProcess {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGKILL, as a crash: no shutdown hook runs. Resolves once the process is gone. */
  kill(): Promise<void>;
}

/**
 * Starts the real server with `env` (over a minimal environment: no `OPENAI_*` or tokens
 * leak in from the shell) and resolves once `GET /health` answers 200.
 */
export async function spawnServer(
  env: Record<string, string>,
  { readyTimeoutMs = 30_000 } = {},
): Promise<ServerProcess> {
  const port = env.PORT;
  if (!port || port === '0') throw new Error('spawnServer needs a fixed PORT');
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://${env.HOST ?? '127.0.0.1'}:${port}`;
  const server: ServerProcess = {
    url,
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${output}`);
        const res = await fetch(`${url}/health`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `${url}/health to answer 200` },
    );
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}
