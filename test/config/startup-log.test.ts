/**
 * What `npm start` tells the operator: where the admin token is kept on every start, the
 * token itself only on the first; JSON lines when the output is not a terminal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-startlog-'));

/** Starts the real entry point until it is ready, and returns what it printed. */
function startOnce(): Promise<string[]> {
  return new Promise((done, fail) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };
    delete env.ADMIN_TOKEN;
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/main.ts')], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`not ready in time:\n${out}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/"msg":"ready"/.test(out)) {
        clearTimeout(timer);
        child.kill('SIGTERM');
      }
    });
    child.once('exit', () => done(out.trim().split('\n')));
  });
}

describe('the startup log', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says where the admin token is on every start, and shows it only on the first', async () => {
    const first = await startOnce();
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const second = await startOnce();
    for (const lines of [first, second]) {
      // JSON lines, because the output is a pipe here, not a terminal.
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      expect(lines.join('\n')).toContain(
        `admin token (for the desk and /api): in ${join(dataDir, 'admin-token')}`,
      );
    }
    expect(first.join('\n')).toContain(token);
    expect(second.join('\n')).not.toContain(token);
  });
});
