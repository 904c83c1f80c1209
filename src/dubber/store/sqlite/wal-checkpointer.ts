/**
 * Moves SQLite's WAL checkpoints off the sink's event loop. By default the writing connection checkpoints
 * by itself whenever the WAL passes 1,000 pages: it copies the WAL into the database file and, with
 * synchronous=NORMAL, fsyncs both, inside whichever commit crossed the line — tens of milliseconds during
 * which no frame is read (docs/live-load.md). With this checkpointer the writer never checkpoints
 * (`wal_autocheckpoint=0`) and a worker thread with its own connection runs PASSIVE checkpoints every
 * `intervalMs`, which SQLite allows concurrently with the writer; the writer then restarts the WAL from
 * the top on its next commit once everything was copied.
 *
 * Durability is unchanged: a commit is in the WAL (written before the commit returns) whoever checkpoints
 * it later, so what a checkpoint message acknowledged still survives kill -9.
 */
import { startSqliteWorker } from './sqlite-worker.ts';

export interface WalCheckpointer {
  /** Stops the worker after one last checkpoint. */
  stop(): Promise<void>;
}

// Plain CommonJS (sqlite-worker.ts).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = ' + workerData.synchronous);
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage({ error: String(error) }); } };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.postMessage({ stopped: true }); parentPort.close(); });
`;

export function startWalCheckpointer(options: {
  readonly path: string;
  readonly synchronous: 'NORMAL' | 'FULL';
  readonly intervalMs: number;
  readonly onError?: (message: string) => void;
}): WalCheckpointer {
  const { worker, stop } = startSqliteWorker(WORKER_SOURCE, {
    path: options.path,
    synchronous: options.synchronous,
    intervalMs: options.intervalMs,
  });
  worker.on('message', (message: { error?: string }) => {
    if (message.error !== undefined) options.onError?.(message.error);
  });
  worker.on('error', (error) => options.onError?.(error.message));
  return { stop };
}
