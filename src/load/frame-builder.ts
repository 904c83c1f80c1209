/**
 * The batching of a live load: per tick, one binary frame per connection holding the two RTP packets of
 * every call on it (docs/sink-protocol.md framing: 2-byte big-endian length, then the packet). One message
 * per connection per 20 ms instead of one per call is what lets a loopback WebSocket carry thousands of
 * calls (facts.md: the cost is per message, not per byte).
 *
 * Each stream's packet is made by the media packetiser once (slot 0: SSRC, payload type, initial sequence
 * and timestamp, marker); every later tick copies that header into the frame and advances it the way the
 * packetiser does (sequence + 1 mod 2^16, timestamp + 160 mod 2^32, no marker), then copies the tick's
 * pre-encoded payload. Calling the packetiser per packet cost ≈ 1.4 µs with 4,000 streams (rtp.js
 * serialisation, slab churn), 0.28 of a core at 2,000 calls on a 2-core machine; test/load checks the
 * bytes are identical to the packetiser's, across a sequence wrap.
 */
import type { G711Law } from '../media/g711.ts';
import { PACKET_BYTES, RTP_HEADER_BYTES, TIMESTAMP_STEP } from '../media/media-format.ts';
import { createRtpPacketiser } from '../media/rtp-packetiser.ts';
import type { LoadCall } from './load-calls.ts';
import type { PayloadBank } from './payload-bank.ts';

const LENGTH_PREFIX_BYTES = 2;
/** Bytes one call adds to each frame: two length-prefixed 172-byte packets. */
export const FRAME_BYTES_PER_CALL = 2 * (LENGTH_PREFIX_BYTES + PACKET_BYTES);

export interface ConnectionFrames {
  readonly calls: number;
  /** Packets in the frame of `tick`: 2 per call that has started by then. */
  packetsAt(tick: number): number;
  /** The frame of tick `tick` (0-based, any order), with the packets of the calls started by then. */
  buildFrame(tick: number): Uint8Array;
}

interface StreamTemplate {
  /** The packetiser's slot-0 header (12 bytes). */
  readonly header: Uint8Array;
  readonly initialSequence: number;
  readonly initialTimestamp: number;
  readonly payloads: readonly Uint8Array[];
  readonly bankOffset: number;
  readonly startTick: number;
}

/** The 12-byte header the packetiser writes for slot 0 of this stream. */
function templateHeader(
  identity: LoadCall['identities']['user'],
  law: G711Law,
  payload: Uint8Array,
): Uint8Array {
  const packetiser = createRtpPacketiser({ identity, law });
  return packetiser.writeEncoded(0, payload, true).bytes.slice(0, RTP_HEADER_BYTES);
}

export function createConnectionFrames(
  calls: readonly LoadCall[],
  bank: PayloadBank,
  law: G711Law,
): ConnectionFrames {
  const streams: StreamTemplate[] = [];
  for (const call of calls) {
    for (const party of ['user', 'remote'] as const) {
      const identity = call.identities[party];
      streams.push({
        header: templateHeader(identity, law, bank[party][0] as Uint8Array),
        initialSequence: identity.initialSequence,
        initialTimestamp: identity.initialTimestamp,
        payloads: bank[party],
        bankOffset: call.bankOffset,
        startTick: call.startTick,
      });
    }
  }
  const packetsAt = (tick: number): number => {
    let n = 0;
    for (const s of streams) if (s.startTick <= tick) n += 1;
    return n;
  };
  return {
    calls: calls.length,
    packetsAt,
    buildFrame(tick) {
      // A fresh buffer per frame: the socket may still hold the previous one.
      const frame = Buffer.allocUnsafe(packetsAt(tick) * (LENGTH_PREFIX_BYTES + PACKET_BYTES));
      let at = 0;
      for (const s of streams) {
        const slot = tick - s.startTick; // the stream's own packet number
        if (slot < 0) continue;
        frame[at] = PACKET_BYTES >> 8;
        frame[at + 1] = PACKET_BYTES & 0xff;
        const h = at + LENGTH_PREFIX_BYTES;
        frame.set(s.header, h);
        if (slot > 0) {
          frame[h + 1] = (s.header[1] as number) & 0x7f; // marker only on the first packet
          const sequence = (s.initialSequence + slot) & 0xffff;
          frame[h + 2] = sequence >> 8;
          frame[h + 3] = sequence & 0xff;
          frame.writeUInt32BE((s.initialTimestamp + slot * TIMESTAMP_STEP) >>> 0, h + 4);
        }
        frame.set(s.payloads[(slot + s.bankOffset) % bank.frames] as Uint8Array, h + RTP_HEADER_BYTES);
        at = h + PACKET_BYTES;
      }
      return frame;
    },
  };
}
