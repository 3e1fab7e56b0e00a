import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/store/checkpointer.ts';
import { createStore } from '../../src/store/index.ts';
import { tempDataDir } from '../helpers/switchboard.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WAL checkpoints in the background', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());

  it('keeps commits free of checkpoints while the WAL stays small', async () => {
    const file = join(data.dir, 'wal.db');
    const failures: Error[] = [];
    const store = createStore(file, { onCheckpointFailure: (e) => failures.push(e) });
    try {
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      store.db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
      const insert = store.db.prepare('INSERT INTO notes (body) VALUES (?)');
      const body = 'x'.repeat(3000);
      // Three bursts of 1,000 commits. Without a checkpointer the WAL would hold all three
      // bursts' pages; with it, the WAL is copied back between bursts and starts over.
      const walSize = () => statSync(`${file}-wal`).size;
      const sizes: number[] = [];
      for (let burst = 0; burst < 3; burst++) {
        for (let i = 0; i < 1000; i++) insert.run(body);
        sizes.push(walSize());
        await sleep(600);
      }
      expect(sizes[2]).toBeLessThan((sizes[0] as number) * 1.5);
      expect(failures).toEqual([]);
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 3000 });
    } finally {
      await store.close();
    }
    // Once closing resolves, the thread's connection is closed too: nothing is left to write
    // the WAL, so the data directory can be removed or copied as it stands.
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(`${file}-shm`)).toBe(false);
  });

  it('holds a process open until the store has closed, when closing is its last act', () => {
    // A command-line tool or a benchmark ends with `await store.close()`: the thread does not
    // keep the process alive by itself, so without care it exits before closing resolves.
    const script = join(data.dir, 'last-act.mts');
    const file = join(data.dir, 'last-act.db');
    const storeModule = new URL('../../src/store/index.ts', import.meta.url).href;
    writeFileSync(
      script,
      [
        `import { createStore } from '${storeModule}';`,
        `const store = createStore(${JSON.stringify(file)}, { onCheckpointFailure: console.error });`,
        `store.db.exec('CREATE TABLE notes (body TEXT)');`,
        `store.db.prepare('INSERT INTO notes VALUES (?)').run('kept');`,
        'await store.close();',
        `console.log('closed');`,
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('closed\n');
    expect(run.status).toBe(0);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('goes back to checkpointing on commit when the thread cannot run', async () => {
    const store = createStore(':memory:');
    try {
      const failed = new Promise<Error>((resolve) => {
        // A file the thread cannot open stands in for any failure of the thread.
        startCheckpointer(store.db, join(data.dir, 'missing', 'nothing.db'), resolve);
      });
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      expect((await failed).message).toMatch(/unable to open|directory does not exist|no such/i);
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      store.close();
    }
  });
});
