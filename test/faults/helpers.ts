/**
 * Shared pieces of the fault suites: the real server as a child process (so a test can
 * SIGKILL it), a free port, and polling with a deadline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { freePort, waitUntil } from '../helpers/process.ts';

export { freePort, waitUntil };

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

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
