/**
 * What a session knows about each recording it carries (so messages are validated without reading the
 * store), the writes it queues for the group commit, and how those writes are applied inside the commit's
 * transaction. Audio is not queued per frame: each stream gathers its packets in an accumulator
 * (media-accumulator.ts) until the commit, so a stream's packets of several frames land as one run
 * (packet-runs.ts) and one stats update. A control message first seals the recording's accumulators into
 * a queued write, so its audio before the message is applied before it.
 */

import type { MediaFormat, MediaOffer, RecordingState } from '../../protocol/messages.ts';
import { SAMPLES_PER_MS } from '../../protocol/position.ts';
import { timestampDelta } from '../../protocol/rtp-sequence.ts';
import type { EventRow, RecordingRow, SinkStore, StreamStatsDelta } from '../store/store.ts';
import { createMediaAccumulator, type MediaAccumulator, resetAccumulator } from './media-accumulator.ts';

export interface StreamRuntime {
  readonly label: number;
  highestExt: number | undefined;
  /** Packets received since the last commit (or seal). */
  pending: MediaAccumulator;
}

export function streamRuntime(label: number, highestExt: number | undefined): StreamRuntime {
  return { label, highestExt, pending: createMediaAccumulator() };
}

export interface Segment {
  readonly index: number;
  readonly startMs: number;
  endMs: number | null;
}

/** Everything about an open recording the session needs to validate messages without reading the store. */
export interface RecordingRuntime {
  /** The id the client chose (replies carry it). */
  readonly id: string;
  /** Where the store keeps it (recording-key.ts): the id, or `orgId/id` when another org has that id. */
  readonly key: string;
  readonly format: MediaFormat;
  readonly payloadType: number;
  readonly media: MediaOffer;
  state: RecordingState;
  readonly segments: Segment[];
  readonly streams: Map<number, StreamRuntime>;
  /** Anchors of `anchorSegment` by SSRC: the first packet of a stream in a segment sits at the segment start. */
  anchors: Map<number, { readonly timestamp: number; readonly positionSamples: number }>;
  anchorSegment: number;
  packetsStored: number;
  positionMs: number;
  /** Replies that wait for the next commit (kept per recording: a multiplexed connection carries many). */
  controlInBatch: boolean;
  pongWaiting: boolean;
  closedWaiting: boolean;
}

/** Audio of one recording sealed before a control message, with the segment it belongs to. */
export interface MediaWrite {
  readonly kind: 'media';
  readonly rec: RecordingRuntime;
  readonly segmentIndex: number;
  readonly segmentStartMs: number;
  readonly streams: ReadonlyMap<number, MediaAccumulator>;
}

export type PendingOp =
  | { readonly kind: 'create'; readonly rec: RecordingRuntime; readonly row: RecordingRow }
  | MediaWrite
  | {
      readonly kind: 'pause' | 'resume';
      readonly rec: RecordingRuntime;
      readonly segmentIndex: number;
      readonly positionMs: number;
    }
  | { readonly kind: 'event'; readonly rec: RecordingRuntime; readonly row: EventRow }
  | { readonly kind: 'discard'; readonly rec: RecordingRuntime; readonly positionMs: number }
  | {
      readonly kind: 'close';
      readonly rec: RecordingRuntime;
      readonly positionMs: number;
      readonly reason: string;
    }
  | { readonly kind: 'interrupted'; readonly rec: RecordingRuntime };

/** True when the recording has received audio (or drops) since its last commit or seal. */
export function hasPendingMedia(rec: RecordingRuntime): boolean {
  for (const stream of rec.streams.values())
    if (stream.pending.count > 0 || stream.pending.rejected > 0) return true;
  return false;
}

/** Hands the recording's gathered audio to a queued write and gives its streams fresh accumulators. */
export function sealMedia(rec: RecordingRuntime): MediaWrite | undefined {
  if (!hasPendingMedia(rec)) return undefined;
  const current = rec.segments.at(-1) as Segment;
  const streams = new Map<number, MediaAccumulator>();
  for (const [ssrc, stream] of rec.streams) {
    if (stream.pending.count === 0 && stream.pending.rejected === 0) continue;
    streams.set(ssrc, stream.pending);
    stream.pending = createMediaAccumulator();
  }
  return { kind: 'media', rec, segmentIndex: current.index, segmentStartMs: current.startMs, streams };
}

/** Applies queued writes in order (the caller holds the transaction); returns the packets newly stored. */
export function applyPendingOps(store: SinkStore, ops: readonly PendingOp[]): number {
  let stored = 0;
  for (const op of ops) {
    if (op.kind === 'media')
      stored += applyMedia(store, op.rec, op.segmentIndex, op.segmentStartMs, op.streams);
    else applyOp(store, op);
  }
  return stored;
}

/** Applies the audio the recording gathered since its last commit (it belongs to the current segment). */
export function applyGatheredMedia(store: SinkStore, rec: RecordingRuntime): number {
  const current = rec.segments.at(-1) as Segment;
  const streams = new Map<number, MediaAccumulator>();
  for (const [ssrc, stream] of rec.streams) streams.set(ssrc, stream.pending);
  const stored = applyMedia(store, rec, current.index, current.startMs, streams);
  for (const stream of rec.streams.values()) resetAccumulator(stream.pending);
  return stored;
}

function applyMedia(
  store: SinkStore,
  rec: RecordingRuntime,
  segmentIndex: number,
  segmentStartMs: number,
  streams: ReadonlyMap<number, MediaAccumulator>,
): number {
  if (segmentIndex !== rec.anchorSegment) {
    // Segments only move forward, so the previous segment's anchors are never needed again.
    rec.anchors = new Map();
    rec.anchorSegment = segmentIndex;
  }
  let stored = 0;
  for (const [ssrc, acc] of streams) {
    if (acc.count === 0 && acc.rejected === 0) continue;
    // Leading packets that are already stored (a resend) must not become the anchor of a new segment.
    let anchor = rec.anchors.get(ssrc);
    let from = 0;
    while (
      anchor === undefined &&
      from < acc.count &&
      store.hasPacket(rec.key, ssrc, acc.extSeq[from] as number)
    ) {
      from += 1;
    }
    if (anchor === undefined && from < acc.count) {
      anchor = { timestamp: acc.timestamp[from] as number, positionSamples: segmentStartMs * SAMPLES_PER_MS };
      store.insertAnchor(rec.key, { segmentIndex, ssrc, ...anchor });
      rec.anchors.set(ssrc, anchor);
    }
    let duplicates = from;
    let received = 0;
    // Plain numbers, not number | null: a variable that may hold null keeps each new value as a heap
    // number, one allocation per packet.
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let end = 0;
    if (anchor !== undefined && from < acc.count) {
      for (let i = from; i < acc.count; i++) {
        acc.positionSamples[i] =
          anchor.positionSamples + timestampDelta(acc.timestamp[i] as number, anchor.timestamp);
      }
      const inserted = store.insertPacketBatch(rec.key, ssrc, acc, from);
      for (let i = from; i < acc.count; i++) {
        if (inserted[i] !== 1) {
          duplicates += 1;
          continue;
        }
        const extSeq = acc.extSeq[i] as number;
        received += 1;
        min = Math.min(min, extSeq);
        max = Math.max(max, extSeq);
        end = Math.max(end, (acc.positionSamples[i] as number) + (acc.length[i] as number));
      }
    }
    const delta: StreamStatsDelta = {
      received,
      duplicates,
      rejected: acc.rejected,
      minExtSeq: received > 0 ? min : null,
      maxExtSeq: received > 0 ? max : null,
      endSamples: end,
    };
    store.addStreamStats(rec.key, ssrc, delta);
    rec.packetsStored += received;
    stored += received;
    rec.positionMs = Math.max(rec.positionMs, Math.floor(end / SAMPLES_PER_MS));
  }
  return stored;
}

function closeOpenSegment(store: SinkStore, rec: RecordingRuntime, positionMs: number): void {
  const last = store.getSegments(rec.key).at(-1);
  if (last !== undefined && last.endMs === null) store.closeSegment(rec.key, last.index, positionMs);
}

function applyOp(store: SinkStore, op: Exclude<PendingOp, MediaWrite>): void {
  const { rec } = op;
  switch (op.kind) {
    case 'create':
      store.insertRecording(op.row);
      for (const s of rec.media.streams)
        store.insertStream({ recordingId: rec.key, ssrc: s.ssrc, label: s.label });
      store.insertSegment(rec.key, { index: 0, startMs: op.row.openPositionMs, endMs: null });
      return;
    case 'pause':
      store.closeSegment(rec.key, op.segmentIndex, op.positionMs);
      store.updateRecording(rec.key, { state: 'paused' });
      break;
    case 'resume':
      store.insertSegment(rec.key, { index: op.segmentIndex, startMs: op.positionMs, endMs: null });
      store.updateRecording(rec.key, { state: 'active' });
      break;
    case 'event':
      store.insertEvent(rec.key, op.row);
      return;
    case 'discard':
      // On Demand never started: the provisional capture is not kept.
      closeOpenSegment(store, rec, op.positionMs);
      store.purgeAudio(rec.key);
      store.updateRecording(rec.key, { state: 'discarded', endPositionMs: op.positionMs });
      rec.packetsStored = 0;
      break;
    case 'close':
      closeOpenSegment(store, rec, op.positionMs);
      store.updateRecording(rec.key, {
        state: 'closed',
        endPositionMs: op.positionMs,
        closeReason: op.reason,
      });
      break;
    case 'interrupted': {
      const row = store.getRecording(rec.key);
      if (row !== undefined) store.updateRecording(rec.key, { interruptions: row.interruptions + 1 });
      return;
    }
  }
  rec.positionMs = Math.max(rec.positionMs, op.positionMs);
}
