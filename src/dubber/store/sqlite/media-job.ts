/**
 * One commit's new audio, packed for the media writer's thread (media-writer.ts): the packet runs' blobs
 * in a few chunks of memory (ArrayBuffers that are transferred, not copied, and come back to be used
 * again), and the runs' and stream stats' numbers in two Float64Arrays. Nothing per packet and a handful of objects per commit cross the thread boundary,
 * whatever the number of streams.
 */

import type { StreamStatsDelta } from '../media-rows.ts';
import type { PacketRun } from './packet-runs.ts';

/** Numbers per run: recKey, ssrc, firstExtSeq, lastExtSeq, firstPositionSamples, endSamples, chunk, offset, bytes. */
export const RUN_FIELDS = 9;
/** Numbers per stats row: recKey, ssrc, received, duplicates, rejected, minExtSeq, maxExtSeq, endSamples (NaN = null). */
export const STATS_FIELDS = 8;
/** Blob chunk size: a 2,000-call commit holds about 1 MB of runs; a run larger than this gets a chunk of its own. */
export const CHUNK_BYTES = 256 * 1024;

/** What is posted to the writer thread; the chunks come back with its reply, to be used again. */
export interface MediaJobMessage {
  readonly id: number;
  readonly runs: Float64Array;
  readonly stats: Float64Array;
  readonly chunks: readonly ArrayBuffer[];
}

/**
 * Blob memory used again across jobs: a fresh ArrayBuffer is zero-filled and faults its pages in when
 * first written, which cost more than the SQLite inserts themselves at 35 MB/s of audio.
 */
export interface ChunkPool {
  take(minBytes: number): ArrayBuffer;
  give(chunks: readonly ArrayBuffer[]): void;
}

export function createChunkPool(maxFree = 32): ChunkPool {
  const free: ArrayBuffer[] = [];
  return {
    take(minBytes) {
      if (minBytes <= CHUNK_BYTES) return free.pop() ?? new ArrayBuffer(CHUNK_BYTES);
      return new ArrayBuffer(minBytes);
    },
    give(chunks) {
      for (const chunk of chunks) {
        if (chunk.byteLength === CHUNK_BYTES && free.length < maxFree) free.push(chunk);
      }
    },
  };
}

export interface MediaJob {
  readonly runCount: number;
  readonly statsCount: number;
  /** An allocator for buildPacketRuns: each blob is a slice of one of the job's chunks. */
  allocate(bytes: number): Buffer;
  /** Records a run whose blob came from `allocate` (the last one allocated). */
  addRun(recKey: number, ssrc: number, run: PacketRun): void;
  addStats(recKey: number, ssrc: number, delta: StreamStatsDelta): void;
  /** The message for the writer, with what to transfer; the job must not be used afterwards. */
  seal(id: number): { readonly message: MediaJobMessage; readonly transfer: ArrayBuffer[] };
}

const INITIAL_ROWS = 256;

function grown(array: Float64Array<ArrayBuffer>, needed: number, fields: number): Float64Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const next = new Float64Array(Math.max(needed, array.length * 2, INITIAL_ROWS * fields));
  next.set(array);
  return next;
}

export function createMediaJob(pool: ChunkPool): MediaJob {
  const chunks: ArrayBuffer[] = [];
  let chunk: Buffer | undefined;
  let used = 0;
  /** Where the blobs handed out by `allocate` are, in order, until addRun takes them. */
  const placed: number[] = [];
  // Empty until used: a commit with no audio to write allocates nothing here.
  let runs = new Float64Array(0);
  let runCount = 0;
  let stats = new Float64Array(0);
  let statsCount = 0;

  return {
    get runCount() {
      return runCount;
    },
    get statsCount() {
      return statsCount;
    },
    allocate(bytes) {
      if (chunk === undefined || used + bytes > chunk.length) {
        const buffer = pool.take(bytes);
        chunks.push(buffer);
        chunk = Buffer.from(buffer);
        used = 0;
      }
      placed.push(chunks.length - 1, used);
      const blob = chunk.subarray(used, used + bytes);
      used += bytes;
      return blob;
    },
    addRun(recKey, ssrc, run) {
      runs = grown(runs, (runCount + 1) * RUN_FIELDS, RUN_FIELDS);
      const at = runCount * RUN_FIELDS;
      runs[at] = recKey;
      runs[at + 1] = ssrc;
      runs[at + 2] = run.firstExtSeq;
      runs[at + 3] = run.lastExtSeq;
      runs[at + 4] = run.firstPositionSamples;
      runs[at + 5] = run.endSamples;
      runs[at + 6] = placed[runCount * 2] as number;
      runs[at + 7] = placed[runCount * 2 + 1] as number;
      runs[at + 8] = run.blob.length;
      runCount += 1;
    },
    addStats(recKey, ssrc, delta) {
      stats = grown(stats, (statsCount + 1) * STATS_FIELDS, STATS_FIELDS);
      const at = statsCount * STATS_FIELDS;
      stats[at] = recKey;
      stats[at + 1] = ssrc;
      stats[at + 2] = delta.received;
      stats[at + 3] = delta.duplicates;
      stats[at + 4] = delta.rejected;
      stats[at + 5] = delta.minExtSeq ?? Number.NaN;
      stats[at + 6] = delta.maxExtSeq ?? Number.NaN;
      stats[at + 7] = delta.endSamples;
      statsCount += 1;
    },
    seal(id) {
      const runView = runs.slice(0, runCount * RUN_FIELDS);
      const statsView = stats.slice(0, statsCount * STATS_FIELDS);
      return {
        message: { id, runs: runView, stats: statsView, chunks },
        transfer: [...chunks, runView.buffer, statsView.buffer],
      };
    },
  };
}
