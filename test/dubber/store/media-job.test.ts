/**
 * A media job's packing (media-job.ts): blobs land in pooled chunks, each run says which chunk and where,
 * a blob larger than a chunk gets one of its own, and sealing hands over every buffer to transfer.
 */
import { describe, expect, it } from 'vitest';
import {
  CHUNK_BYTES,
  createChunkPool,
  createMediaJob,
  RUN_FIELDS,
  STATS_FIELDS,
} from '../../../src/dubber/store/sqlite/media-job.ts';
import { batchOfRows, buildPacketRuns } from '../../../src/dubber/store/sqlite/packet-runs.ts';

const rowsOf = (ssrc: number, count: number, payloadBytes: number) =>
  Array.from({ length: count }, (_, i) => ({
    ssrc,
    extSeq: 1000 + i,
    timestamp: 160 * i,
    positionSamples: 160 * i,
    payload: new Uint8Array(payloadBytes).fill(i & 0xff),
  }));

describe('media job', () => {
  it('packs runs into chunks and points each run at its own bytes', () => {
    const job = createMediaJob(createChunkPool());
    const small = batchOfRows(rowsOf(7, 25, 160));
    const large = batchOfRows(rowsOf(9, Math.ceil(CHUNK_BYTES / 160) + 10, 160)); // bigger than a chunk
    const expected: Buffer[] = [];
    for (const [ssrc, batch] of [
      [7, small],
      [9, large],
      [7, small],
    ] as const) {
      const indices = Array.from({ length: batch.count }, (_, i) => i);
      for (const run of buildPacketRuns(batch, indices, job.allocate)) {
        job.addRun(3, ssrc, run);
        expected.push(Buffer.from(buildPacketRuns(batch, indices)[0]?.blob ?? []));
      }
    }
    job.addStats(3, 7, {
      received: 50,
      duplicates: 0,
      rejected: 1,
      minExtSeq: 1000,
      maxExtSeq: null,
      endSamples: 4000,
    });
    const { message, transfer } = job.seal(42);
    expect(message.id).toBe(42);
    expect(message.runs).toHaveLength(3 * RUN_FIELDS);
    expect(message.chunks).toHaveLength(3); // small; large on its own; small again in a new chunk
    expect(message.chunks[1]?.byteLength).toBeGreaterThan(CHUNK_BYTES);
    expect(transfer).toEqual([...message.chunks, message.runs.buffer, message.stats.buffer]);
    for (let r = 0; r < 3; r++) {
      const at = r * RUN_FIELDS;
      const chunk = message.chunks[message.runs[at + 6] as number] as ArrayBuffer;
      const offset = message.runs[at + 7] as number;
      const bytes = Buffer.from(chunk, offset, message.runs[at + 8] as number);
      expect(bytes.equals(expected[r] as Buffer)).toBe(true);
    }
    expect([...message.stats.subarray(0, STATS_FIELDS)]).toEqual([3, 7, 50, 0, 1, 1000, Number.NaN, 4000]);
  });

  it('uses chunks again once they come back', () => {
    const pool = createChunkPool();
    const first = pool.take(100);
    pool.give([first, new ArrayBuffer(CHUNK_BYTES * 2)]);
    expect(pool.take(100)).toBe(first);
    expect(pool.take(100)).not.toBe(first);
  });
});
