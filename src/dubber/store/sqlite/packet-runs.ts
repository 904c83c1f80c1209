/**
 * How stored packets are laid out: one SQLite row per *run* of packets of one stream with consecutive
 * extended sequence numbers, rather than one row per packet. A live sink stores 200,000 packets/s at
 * 2,000 calls; a row per packet touched a B-tree page per stream per commit and cost ≈ 14–78 µs per
 * packet on this machine, a run of 25 packets ≈ 0.6 µs per packet (docs/live-load.md). Runs never
 * overlap, so "is (SSRC, extended seq) stored?" is one range lookup and stays the dedupe rule for resent
 * frames.
 *
 * Blob layout per packet, in extended-seq order: u32 RTP timestamp, i32 position (8 kHz samples) relative
 * to the run's first position, u16 payload length, then the payload. All big-endian.
 */
import type { PacketBatch, PacketRow } from '../media-rows.ts';

export interface PacketRun {
  readonly firstExtSeq: number;
  readonly lastExtSeq: number;
  readonly firstPositionSamples: number;
  /** max(position + payload length) over the run: where its audio ends. */
  readonly endSamples: number;
  /** A Buffer, so SQLite binds it as a BLOB without another wrapper. */
  readonly blob: Buffer;
}

const PACKET_HEADER_BYTES = 10;
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

/** Gives each run's blob its bytes: a fresh Buffer by default, or a slice of a job's chunk (media-job.ts). */
export type BlobAllocator = (bytes: number) => Buffer;

/** Batch packets `from` … `to − 1` in batch order: the common case of new audio, which needs no index list. */
export interface PacketRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Splits the batch packets at `indices` (sorted by extended seq, no duplicates) into runs of consecutive
 * seqs; a gap, or a position too far from the run's start, begins a new run. Each blob is written in full
 * before the next is allocated. Nothing is allocated per packet (payloads are copied byte by byte, not
 * through a view each).
 */
export function buildPacketRuns(
  batch: PacketBatch,
  indices: readonly number[] | PacketRange,
  allocate: BlobAllocator = Buffer.allocUnsafe,
): PacketRun[] {
  const list = Array.isArray(indices) ? (indices as readonly number[]) : undefined;
  const range = indices as PacketRange;
  const count = list === undefined ? Math.max(0, range.to - range.from) : list.length;
  const at = (k: number): number => (list === undefined ? range.from + k : (list[k] as number));
  const runs: PacketRun[] = [];
  let start = 0;
  while (start < count) {
    const first = at(start);
    const firstSeq = batch.extSeq[first] as number;
    const firstPos = batch.positionSamples[first] as number;
    let end = start + 1;
    let bytes = PACKET_HEADER_BYTES + (batch.length[first] as number);
    while (end < count) {
      const i = at(end);
      const delta = (batch.positionSamples[i] as number) - firstPos;
      if (batch.extSeq[i] !== firstSeq + (end - start) || delta < I32_MIN || delta > I32_MAX) break;
      bytes += PACKET_HEADER_BYTES + (batch.length[i] as number);
      end += 1;
    }
    const blob = allocate(bytes);
    const source = batch.bytes;
    let offset = 0;
    let endSamples = 0;
    for (let k = start; k < end; k++) {
      const i = at(k);
      const length = batch.length[i] as number;
      const position = batch.positionSamples[i] as number;
      blob.writeUInt32BE((batch.timestamp[i] as number) >>> 0, offset);
      blob.writeInt32BE(position - firstPos, offset + 4);
      blob.writeUInt16BE(length, offset + 8);
      const from = batch.offset[i] as number;
      const to = offset + PACKET_HEADER_BYTES;
      for (let b = 0; b < length; b++) blob[to + b] = source[from + b] as number;
      offset = to + length;
      endSamples = Math.max(endSamples, position + length);
    }
    runs.push({
      firstExtSeq: firstSeq,
      lastExtSeq: firstSeq + (end - start) - 1,
      firstPositionSamples: firstPos,
      endSamples,
      blob,
    });
    start = end;
  }
  return runs;
}

/** Rows of one stream as a batch (for the row-by-row API and the version-1 migration). */
export function batchOfRows(rows: readonly PacketRow[]): PacketBatch {
  const offset: number[] = [];
  let total = 0;
  for (const row of rows) {
    offset.push(total);
    total += row.payload.length;
  }
  const bytes = new Uint8Array(total);
  rows.forEach((row, i) => {
    bytes.set(row.payload, offset[i]);
  });
  return {
    count: rows.length,
    extSeq: rows.map((r) => r.extSeq),
    timestamp: rows.map((r) => r.timestamp),
    positionSamples: rows.map((r) => r.positionSamples),
    length: rows.map((r) => r.payload.length),
    offset,
    bytes,
  };
}

/** The packets of one stored run, in extended-seq order (payloads are views into `blob`). */
export function* expandPacketRun(
  ssrc: number,
  firstExtSeq: number,
  firstPositionSamples: number,
  blob: Uint8Array,
): Generator<PacketRow> {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let offset = 0;
  let extSeq = firstExtSeq;
  while (offset + PACKET_HEADER_BYTES <= blob.length) {
    const length = view.getUint16(offset + 8);
    yield {
      ssrc,
      extSeq,
      timestamp: view.getUint32(offset),
      positionSamples: firstPositionSamples + view.getInt32(offset + 4),
      payload: blob.subarray(offset + PACKET_HEADER_BYTES, offset + PACKET_HEADER_BYTES + length),
    };
    offset += PACKET_HEADER_BYTES + length;
    extSeq += 1;
  }
}
