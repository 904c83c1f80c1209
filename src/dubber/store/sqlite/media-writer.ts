/**
 * Writes new audio on a worker thread with its own SQLite connection, so the sink's event loop reads
 * frames while packet runs and stream stats are inserted and committed (docs/live-load.md). The session
 * hub hands it a sealed media job (media-job.ts) and sends the checkpoints that job covers only when the
 * writer reports it committed: what a checkpoint acknowledges is still in the WAL, and survives kill -9,
 * exactly as when the event loop committed it.
 *
 * One job at a time. The hub waits for it before the next commit, so writes keep their order; where the
 * hub must read what was written at once (a recording reopened, shutdown), `drainSync` blocks on the job's
 * completion word (Atomics.wait on shared memory) for the few milliseconds a commit takes.
 */
import { SimError } from '../../../errors.ts';
import { createChunkPool, createMediaJob, type MediaJob, RUN_FIELDS, STATS_FIELDS } from './media-job.ts';
import { ADD_STREAM_STATS_SQL, INSERT_RUN_SQL } from './sqlite-schema.ts';
import { startSqliteWorker } from './sqlite-worker.ts';

export interface MediaWriter {
  /** A job is being written. */
  readonly busy: boolean;
  /**
   * False once the thread failed or a job did not commit in time: commits then stay on the event loop
   * rather than failing every client that resends.
   */
  readonly healthy: boolean;
  /** A job to fill, whose blob memory comes from the writer's pool. */
  createJob(): MediaJob;
  /** Writes `job` in one transaction; `done` runs on the event loop once it is committed or failed. */
  submit(job: MediaJob, done: (error: Error | undefined) => void): void;
  /** Blocks until the job in flight, if any, is committed or failed, and runs its `done` now. */
  drainSync(): void;
  /** Waits for the job in flight, then stops the thread and closes its connection. */
  stop(): Promise<void>;
}

export interface MediaWriterOptions {
  readonly path: string;
  readonly synchronous: 'NORMAL' | 'FULL';
  /** false when a WAL checkpointer does the checkpoints (wal-checkpointer.ts). */
  readonly autoCheckpoint: boolean;
  /** How long drainSync waits for a commit before it gives up (a stuck disk). */
  readonly drainTimeoutMs?: number;
}

/** Slots of the shared completion word: the id of the last finished job, and 1 if it failed. */
const DONE_ID = 0;
const DONE_FAILED = 1;

// Plain CommonJS (sqlite-worker.ts).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const done = new Int32Array(workerData.done);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = ' + workerData.synchronous);
if (!workerData.autoCheckpoint) db.pragma('wal_autocheckpoint = 0');
const insertRun = db.prepare(workerData.insertRunSql);
const addStats = db.prepare(workerData.addStatsSql);
const R = workerData.runFields, S = workerData.statsFields;
const write = db.transaction((job) => {
  const { runs, stats } = job;
  const chunks = job.chunks.map((chunk) => Buffer.from(chunk));
  for (let at = 0; at < runs.length; at += R) {
    const offset = runs[at + 7];
    insertRun.run(runs[at], runs[at + 1], runs[at + 2], runs[at + 3], runs[at + 4], runs[at + 5],
      chunks[runs[at + 6]].subarray(offset, offset + runs[at + 8]));
  }
  for (let at = 0; at < stats.length; at += S) {
    addStats.run({ recKey: stats[at], ssrc: stats[at + 1], received: stats[at + 2], duplicates: stats[at + 3],
      rejected: stats[at + 4], minExtSeq: Number.isNaN(stats[at + 5]) ? null : stats[at + 5],
      maxExtSeq: Number.isNaN(stats[at + 6]) ? null : stats[at + 6], endSamples: stats[at + 7] });
  }
});
parentPort.on('message', (job) => {
  if (job === 'stop') { db.close(); parentPort.close(); return; }
  let error;
  try { write(job); } catch (e) { error = String((e && e.message) || e); }
  Atomics.store(done, ${DONE_FAILED}, error === undefined ? 0 : 1);
  Atomics.store(done, ${DONE_ID}, job.id);
  Atomics.notify(done, ${DONE_ID});
  parentPort.postMessage({ id: job.id, error, chunks: job.chunks }, job.chunks);
});
`;

export function startMediaWriter(options: MediaWriterOptions): MediaWriter {
  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const doneWord = new Int32Array(shared);
  const { worker, stop } = startSqliteWorker(WORKER_SOURCE, {
    path: options.path,
    synchronous: options.synchronous,
    autoCheckpoint: options.autoCheckpoint,
    insertRunSql: INSERT_RUN_SQL,
    addStatsSql: ADD_STREAM_STATS_SQL,
    runFields: RUN_FIELDS,
    statsFields: STATS_FIELDS,
    done: shared,
  });
  let nextId = 1;
  const pool = createChunkPool();
  let inFlight: { readonly id: number; readonly done: (error: Error | undefined) => void } | undefined;
  let threadError: Error | undefined;
  let healthy = true;

  const finish = (id: number, message: string | undefined): void => {
    if (inFlight === undefined || inFlight.id !== id) return; // already finished by drainSync
    const { done } = inFlight;
    inFlight = undefined;
    done(
      message === undefined
        ? undefined
        : new SimError('SIM_ERR_STORAGE', `Writing audio failed: ${message}`, { details: { jobId: id } }),
    );
  };

  worker.on('message', (reply: { id: number; error?: string; chunks: ArrayBuffer[] }) => {
    pool.give(reply.chunks);
    finish(reply.id, reply.error);
  });
  worker.on('error', (error) => {
    threadError = error;
    healthy = false;
    if (inFlight !== undefined) finish(inFlight.id, `the writer thread failed: ${error.message}`);
  });

  const writer: MediaWriter = {
    get busy() {
      return inFlight !== undefined;
    },
    get healthy() {
      return healthy;
    },
    createJob: () => createMediaJob(pool),
    submit(job, done) {
      if (inFlight !== undefined) {
        throw new SimError('SIM_ERR_INTERNAL', 'A media job was submitted while another was in flight.');
      }
      const id = nextId++;
      if (threadError !== undefined) {
        const message = `Writing audio failed: the writer thread failed: ${threadError.message}`;
        queueMicrotask(() => done(new SimError('SIM_ERR_STORAGE', message)));
        return;
      }
      inFlight = { id, done };
      const { message, transfer } = job.seal(id);
      worker.postMessage(message, transfer);
    },
    drainSync() {
      const job = inFlight;
      if (job === undefined) return;
      const timeoutMs = options.drainTimeoutMs ?? 30_000;
      const sliceMs = 100;
      let slicesLeft = Math.ceil(timeoutMs / sliceMs);
      for (;;) {
        const done = Atomics.load(doneWord, DONE_ID);
        if (done >= job.id) break;
        if (threadError !== undefined || slicesLeft <= 0) {
          healthy = false;
          finish(job.id, threadError?.message ?? `no commit within ${timeoutMs} ms`);
          return;
        }
        // Waits while the word still holds what was just read (an earlier job still finishing counts as
        // no progress); only waits that ran out count towards the timeout.
        if (Atomics.wait(doneWord, DONE_ID, done, sliceMs) === 'timed-out') slicesLeft -= 1;
      }
      const failed = Atomics.load(doneWord, DONE_FAILED) === 1;
      finish(job.id, failed ? 'the transaction failed and was rolled back' : undefined);
    },
    async stop() {
      writer.drainSync();
      await stop();
    },
  };
  return writer;
}
