import { Worker } from 'node:worker_threads';
import type { Db } from './db.ts';

/** How often the background thread checkpoints the WAL, in ms. */
export const CHECKPOINT_INTERVAL_MS = 250;
/** SQLite's default: checkpoint on commit once the WAL holds this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;

/** A running background checkpointer. */
export interface Checkpointer {
  /** Checkpoints once more, closes the thread's connection, and ends the thread. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the commit path. By default SQLite checkpoints inside the commit
 * that pushes the WAL past 1,000 pages: that commit copies the pages into the database file
 * and syncs it, a few milliseconds once every hundred or so tickets, which is the whole p99
 * of ticket assignment. Here the main connection never checkpoints; a worker thread with
 * its own connection runs a PASSIVE checkpoint every 250 ms (it neither waits for nor blocks
 * the writer), so the WAL stays small and reads stay on the memory-mapped file. If the
 * thread fails, the main connection goes back to checkpointing on commit, so the WAL cannot
 * grow without bound.
 */
export function startCheckpointer(
  db: Db,
  file: string,
  onFailure: (error: Error) => void,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Checkpointer {
  db.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
    workerData: { file, intervalMs },
  });
  worker.unref();
  let fellBack = false;
  const fallBack = (error: Error) => {
    if (fellBack) return;
    fellBack = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    onFailure(error);
  };
  worker.on('error', fallBack);
  // A failing checkpoint would fail again every interval: go back to checkpointing on commit once.
  worker.on('message', (m: { type: string; message?: string }) => {
    if (m.type !== 'failed') return;
    fallBack(new Error(`WAL checkpoint failed: ${m.message}`));
    void worker.terminate();
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('exit', (code) => {
    if (code !== 0) fallBack(new Error(`the WAL checkpoint thread exited with code ${code}`));
  });
  return {
    async stop() {
      fellBack = true;
      // The thread is unreferenced so that it never keeps a process alive on its own; while
      // it finishes, it must, or a process with nothing else to do exits before `stop` resolves.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
