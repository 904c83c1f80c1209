/**
 * A worker thread with its own SQLite connection (the WAL checkpointer, the media writer). Its source is
 * plain CommonJS run with `eval`, so it needs no TypeScript loader (tsx, vitest and node alike); it gets
 * the better-sqlite3 entry as `workerData.driver`, and closes its connection and exits on the message
 * 'stop'. `stop()` waits for that, and terminates the thread if it takes longer than the grace period.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface SqliteWorker {
  readonly worker: Worker;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5000;

export function startSqliteWorker(
  source: string,
  workerData: Readonly<Record<string, unknown>>,
): SqliteWorker {
  const worker = new Worker(source, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), ...workerData },
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    worker,
    stop() {
      stopping ??= (async () => {
        worker.postMessage('stop');
        let guard: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          exited,
          new Promise<void>((resolve) => {
            guard = setTimeout(() => void worker.terminate().then(() => resolve()), STOP_GRACE_MS);
          }),
        ]);
        clearTimeout(guard);
      })();
      return stopping;
    },
  };
}
