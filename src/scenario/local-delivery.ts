/**
 * Without a sink (`--no-sink`), what the recorder would have received is counted here from the same
 * captured media the sink is sent, impairment included: packets received per stream (duplicates once) and
 * lost = the gaps in the extended sequence, as the sink counts them. So a scenario gives the same verdict
 * with and without the sink.
 */

import type { RecordingDelivery } from './build-report.ts';
import { captureCallMedia } from './capture-call-media.ts';
import type { ExecutedCall } from './execute-scenario.ts';

interface StreamCount {
  readonly seen: Set<number>;
  minExt: number | null;
  maxExt: number | null;
  lastExt: number | null;
}

/** RFC 3550 style unwrapping: the extended sequence closest to the previous one. */
function extend(stream: StreamCount, sequence: number): number {
  if (stream.lastExt === null) return sequence;
  const base = stream.lastExt - (stream.lastExt & 0xffff);
  const candidates = [base - 0x10000 + sequence, base + sequence, base + 0x10000 + sequence];
  let best = candidates[1] as number;
  for (const c of candidates) if (Math.abs(c - stream.lastExt) < Math.abs(best - stream.lastExt)) best = c;
  return best;
}

/** Deliveries for the kept recordings of a call that has a network impairment (none needed otherwise). */
export function localDeliveries(call: ExecutedCall, seed: string): Map<string, RecordingDelivery> {
  const out = new Map<string, RecordingDelivery>();
  if (call.spec.impairment === undefined) return out;
  const captured = captureCallMedia(call.spec, call.run.log, seed);
  for (const recording of captured.recordings) {
    const streams = new Map<number, StreamCount>();
    for (const packet of recording.packets) {
      let stream = streams.get(packet.ssrc);
      if (stream === undefined) {
        stream = { seen: new Set(), minExt: null, maxExt: null, lastExt: null };
        streams.set(packet.ssrc, stream);
      }
      const ext = extend(stream, packet.sequence);
      stream.lastExt = ext;
      stream.seen.add(ext);
      stream.minExt = stream.minExt === null ? ext : Math.min(stream.minExt, ext);
      stream.maxExt = stream.maxExt === null ? ext : Math.max(stream.maxExt, ext);
    }
    const count = (ssrc: number) => {
      const s = streams.get(ssrc);
      if (s === undefined || s.minExt === null || s.maxExt === null) return { packets: 0, lost: 0 };
      return { packets: s.seen.size, lost: s.maxExt - s.minExt + 1 - s.seen.size };
    };
    const user = count(recording.identities.user.ssrc);
    const remote = count(recording.identities.remote.ssrc);
    out.set(recording.id, {
      packetsPerStream: [user.packets, remote.packets],
      lostPerStream: [user.lost, remote.lost],
      stored: false,
    });
  }
  return out;
}
