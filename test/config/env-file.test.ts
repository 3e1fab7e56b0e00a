/**
 * `.env` as `.env.example` describes it: `npm start` reads it from the working directory,
 * a variable set in the environment wins over the file, and a wrong value in the file is
 * reported like one in the environment, naming the file. The real entry point, spawned.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readEnvironment } from '../../config/index.ts';
import { freePort } from '../helpers/process.ts';

const MAIN = resolve('src/main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Resolves once something answers HTTP on the port; the process is killed by afterEach. */
async function answersOn(port: number, child: ChildProcess, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => true,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('.env', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const project = (env: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-env-'));
    dirs.push(dir);
    writeFileSync(join(dir, '.env'), env);
    return dir;
  };
  const start = (cwd: string, env: Record<string, string> = {}) => {
    const clean = { ...process.env };
    for (const name of ['PORT', 'DATA_DIR', 'LOG_LEVEL', 'ADMIN_TOKEN']) delete clean[name];
    const child = spawn(process.execPath, ['--import', TSX, MAIN], {
      cwd,
      env: { ...clean, ...env },
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  };
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is read by npm start from the working directory', async () => {
    const port = await freePort();
    const dir = project(`# local settings\nPORT=${port}\nLOG_LEVEL="silent"\n`);
    expect(await answersOn(port, start(dir))).toBe(true);
  });

  it('gives way to a variable set in the environment', async () => {
    const [filePort, envPort] = [await freePort(), await freePort()];
    const dir = project(`PORT=${filePort}\nLOG_LEVEL=silent\n`);
    expect(await answersOn(envPort, start(dir, { PORT: String(envPort) }))).toBe(true);
    expect(await fetch(`http://127.0.0.1:${filePort}/health`).catch(() => 'refused')).toBe(
      'refused',
    );
  });

  it('reports a wrong value in the file like one in the environment, naming the file', () => {
    const dir = project('PORT=abc\n');
    const clean = { ...process.env };
    delete clean.PORT;
    const run = spawnSync(process.execPath, ['--import', TSX, MAIN], {
      cwd: dir,
      env: clean,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `PORT (set in ${join(dir, '.env')}): must be a whole number from 0 to 65535. Fix: set PORT`,
    );
  });

  it('changes nothing when there is no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-env-'));
    dirs.push(dir);
    const env = { PORT: '3322' };
    expect(readEnvironment(env, dir)).toEqual({
      values: env,
      file: undefined,
      fromFile: new Set(),
    });
  });
});
