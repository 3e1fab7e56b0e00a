// The WAL checkpointer's thread (see checkpointer.ts). Plain JavaScript so that it loads the
// same way under `tsx`, vitest and a bundler: a worker does not inherit a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';

/** @type {{ file: string; intervalMs: number }} */
const { file, intervalMs } = workerData;
const db = new Database(file, { fileMustExist: true });
sqliteVec.load(db);
db.pragma('busy_timeout = 1000');
// This connection only copies WAL pages into the database file; it never checkpoints on close
// on behalf of the main connection, which may still be writing.
db.pragma('wal_autocheckpoint = 0');

const checkpoint = () => {
  try {
    // PASSIVE: copies what no reader still needs, without waiting for or blocking the writer.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort?.postMessage({ type: 'failed', message: String(error?.message ?? error) });
  }
};
const timer = setInterval(checkpoint, intervalMs);

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort?.close();
});
