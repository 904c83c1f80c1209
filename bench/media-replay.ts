/**
 * Media replay benchmark: a one-hour Always call (two streams, 360,000 packets) replayed on the virtual clock
 * through the real pipeline (gating, conversation, G.711, rtp.js), against bare loops that only serialize
 * the same number of packets — with werift-rtp (the goal's baseline) and with rtp.js — in the same run.
 */
import { RtpPacket as RtpJsPacket } from 'rtp.js/packets';
import { RtpHeader, RtpPacket as WeriftPacket } from 'werift-rtp';
import type { CallLogEvent } from '../machines/call-events.ts';
import { createCallMediaFromLog, createConversation, createG711Encoder } from '../src/media/index.ts';
import {
  PACKET_BYTES,
  PAYLOAD_BYTES,
  RTP_HEADER_BYTES,
  SAMPLES_PER_PACKET,
} from '../src/media/media-format.ts';
import { createRng, createVirtualClock } from '../src/time/index.ts';
import { type BenchResult, bestOfMs, runIfMain } from './bench-result.ts';

const CALL_MS = 3_600_000;
const SLOTS_PER_STREAM = CALL_MS / 20;
const TOTAL_PACKETS = 2 * SLOTS_PER_STREAM;

const alwaysCall: readonly CallLogEvent[] = [
  { atMs: 0, type: 'call', phase: 'connected' },
  { atMs: 0, type: 'media', action: 'open' },
  { atMs: CALL_MS, type: 'media', action: 'close' },
  { atMs: CALL_MS, type: 'call', phase: 'ended' },
];

function replayOnce(): number {
  const clock = createVirtualClock();
  const media = createCallMediaFromLog(alwaysCall, {
    scheduler: clock.scheduler,
    rng: createRng('bench-replay'),
  });
  let packets = 0;
  let bytes = 0;
  media.packets$.subscribe((p) => {
    packets++;
    bytes += p.bytes.length;
  });
  clock.advanceTo(CALL_MS);
  if (packets !== TOTAL_PACKETS || bytes !== TOTAL_PACKETS * PACKET_BYTES) {
    throw new Error(`replay produced ${packets} packets, expected ${TOTAL_PACKETS}`);
  }
  return packets;
}

// Same payload sizes and header fields as the replay; payloads cycle through real encoded speech frames.
function payloadPool(): Uint8Array[] {
  const conversation = createConversation(createRng('bench-pool'));
  const encode = createG711Encoder('mulaw');
  return Array.from({ length: 64 }, (_, i) => {
    const out = new Uint8Array(PAYLOAD_BYTES);
    encode(conversation.user.frameAt(i * 20 * 37), out, 0);
    return out;
  });
}

function bareWerift(pool: readonly Buffer[]): number {
  let bytes = 0;
  for (const ssrc of [0x1234, 0x5678]) {
    for (let i = 0; i < SLOTS_PER_STREAM; i++) {
      const header = new RtpHeader({
        payloadType: 0,
        sequenceNumber: i & 0xffff,
        timestamp: (i * SAMPLES_PER_PACKET) >>> 0,
        ssrc,
        marker: i === 0,
      });
      bytes += new WeriftPacket(header, pool[i & 63] as Buffer).serialize().length;
    }
  }
  return bytes;
}

function bareRtpJs(pool: readonly Uint8Array[]): number {
  let bytes = 0;
  for (const ssrc of [0x1234, 0x5678]) {
    const packet = new RtpJsPacket();
    packet.setPayloadType(0);
    packet.setSsrc(ssrc);
    packet.setPayload(new DataView(new ArrayBuffer(PAYLOAD_BYTES)));
    for (let i = 0; i < SLOTS_PER_STREAM; i++) {
      const out = new ArrayBuffer(PACKET_BYTES);
      packet.serialize(out, 0);
      packet.setSequenceNumber(i & 0xffff);
      packet.setTimestamp((i * SAMPLES_PER_PACKET) >>> 0);
      packet.setMarker(i === 0);
      new Uint8Array(out).set(pool[i & 63] as Uint8Array, RTP_HEADER_BYTES);
      bytes += out.byteLength;
    }
  }
  return bytes;
}

export default async function bench(): Promise<BenchResult> {
  const pool = payloadPool();
  const bufferPool = pool.map((p) => Buffer.from(p));
  replayOnce(); // warm-up: tables, JIT
  const replayMs = await bestOfMs(3, replayOnce);
  const bareWeriftMs = await bestOfMs(3, () => bareWerift(bufferPool));
  const bareRtpJsMs = await bestOfMs(3, () => bareRtpJs(pool));
  const vsBareWerift = bareWeriftMs / replayMs;
  return {
    name: 'media-replay',
    figures: {
      packets: TOTAL_PACKETS,
      replayMs,
      bareWeriftSerializeMs: bareWeriftMs,
      bareRtpJsSerializeMs: bareRtpJsMs,
    },
    ratios: { vsBareWerift, vsBareRtpJs: bareRtpJsMs / replayMs },
    goals: [
      { goal: 'virtual replay of a 1-hour Always call (360,000 packets) < 1,000 ms', met: replayMs < 1000 },
      {
        goal: 'replay at least 0.5× as fast as bare werift-rtp serialization (bareMs / replayMs ≥ 0.5)',
        met: vsBareWerift >= 0.5,
      },
    ],
    notes: [
      'best of 3 each, same process; the bare loops serialize the same header fields and 160-byte payloads, nothing else',
      'ratio = bareMs / replayMs: above 1 means the whole replay is faster than the bare loop',
    ],
  };
}

await runIfMain(import.meta, bench);
