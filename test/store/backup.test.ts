/**
 * `npm run backup -- <file>` while the server runs and writes: the copy opens, passes its
 * integrity check, holds what was committed, and a server started on it (the restore the
 * README describes) serves the same tickets.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

const backup = (dataDir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', resolve('src/cli/backup.ts'), ...args], {
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('npm run backup', () => {
  const live = tempDataDir();
  const restored = tempDataDir();
  let sb: Switchboard | undefined;
  afterAll(async () => {
    await sb?.stop();
    live.remove();
    restored.remove();
  });

  it('copies the running database consistently, and the copy restores', async () => {
    sb = await startTestSwitchboard({ DATA_DIR: live.dir });
    const client = webClient(sb.url);
    await client.send('Checkout crashes at the payment step every time. iPhone 15, app 3.2.1');
    await sb.engine.idle();
    const tickets = sb.store.tickets.list({}).length;
    expect(tickets).toBe(1);
    // The server keeps writing while the copy is taken.
    const writing = Promise.all(
      Array.from({ length: 10 }, (_, i) => client.send(`How do I reset my password? (${i})`)),
    );
    const file = join(restored.dir, 'copy.db');
    const run = backup(live.dir, file);
    await writing;
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/integrity ok/);

    await sb.stop();
    sb = undefined;
    const dataDir = join(restored.dir, 'data');
    mkdirSync(dataDir);
    copyFileSync(file, join(dataDir, 'switchboard.db'));
    sb = await startTestSwitchboard({ DATA_DIR: dataDir });
    expect(sb.store.tickets.list({}).map((t) => t.summary)).toEqual([
      expect.stringMatching(/Checkout crashes/),
    ]);
  });

  it('refuses to overwrite a file, and says why when there is no database', () => {
    const taken = join(restored.dir, 'taken.db');
    writeFileSync(taken, 'x');
    const over = backup(live.dir, taken);
    expect(over.status).toBe(1);
    expect(over.stderr).toContain('already exists');
    const none = backup(join(restored.dir, 'nowhere'), join(restored.dir, 'new.db'));
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no database at');
    expect(backup(live.dir).status).toBe(2);
  });
});
