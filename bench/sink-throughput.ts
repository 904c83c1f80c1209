/**
 * Sink benchmark: how fast the sink stores a one-hour call (360,000 packets). Measured three ways in
 * one run: the session + group commit alone into a WAL file database (synchronous NORMAL and FULL), and a
 * replay through the real client over loopback WebSocket (batched frames, durable at the end), against a
 * bare loop that only parses the same RTP headers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionHub } from '../src/dubber/ingest/session-hub.ts';
import { DEFAULT_SINK_LIMITS } from '../src/dubber/limits.ts';
import { createProvisioning } from '../src/dubber/provisioning.ts';
import { createSinkServer } from '../src/dubber/server.ts';
import { createSqliteStore } from '../src/dubber/store/sqlite/sqlite-store.ts';
import { encodeMediaFrame } from '../src/protocol/media-frame.ts';
import { buildRtpPacket, parseRtpHeader } from '../src/protocol/rtp-header.ts';
import { createVirtualClock } from '../src/time/index.ts';
import {
  dubPointOf,
  PLATFORM_KEY,
  platformClient,
  provisionWorld,
  REMOTE_SSRC,
  USER_SSRC,
} from '../test/harness/helpers.ts';
import { openMessageText, openParameters } from '../test/harness/open-message.ts';
import { type BenchResult, bestOfMs, runIfMain } from './bench-result.ts';

const PACKETS_PER_STREAM = 180_000; // one hour at 20 ms
const TOTAL_PACKETS = 2 * PACKETS_PER_STREAM;
const PACKETS_PER_FRAME = 50;

function makePackets(): Uint8Array[] {
  const payload = new Uint8Array(160).fill(0xd5);
  const out: Uint8Array[] = [];
  for (let i = 0; i < PACKETS_PER_STREAM; i++) {
    for (const ssrc of [USER_SSRC, REMOTE_SSRC]) {
      out.push(
        buildRtpPacket({ payloadType: 0, sequenceNumber: i & 0xffff, timestamp: i * 160, ssrc, payload }),
      );
    }
  }
  return out;
}

function makeFrames(packets: readonly Uint8Array[]): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < packets.length; i += PACKETS_PER_FRAME)
    frames.push(encodeMediaFrame(packets.slice(i, i + PACKETS_PER_FRAME)));
  return frames;
}

/** Session + group commit without sockets: one commit per 20 frames, as one busy event-loop turn would. */
function ingestOnce(frames: readonly Uint8Array[], synchronous: 'NORMAL' | 'FULL'): void {
  const dir = mkdtempSync(join(tmpdir(), 'sink-bench-'));
  const clock = createVirtualClock();
  const store = createSqliteStore({ path: join(dir, 'sink.db'), synchronous });
  try {
    provisionWorld(createProvisioning(store, clock));
    const hub = createSessionHub({
      store,
      clock,
      limits: { ...DEFAULT_SINK_LIMITS, openTimeoutMs: 0 },
      scheduleFlush: () => {},
    });
    const session = hub.createSession(PLATFORM_KEY, { sendText: () => {}, close: () => {} });
    session.onText(openMessageText('bench', openParameters()));
    frames.forEach((frame, i) => {
      session.onBinary(frame);
      if (i % 20 === 19) hub.flush();
    });
    hub.flush();
    if (store.countPackets('bench') !== TOTAL_PACKETS) throw new Error('ingest lost packets');
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function replayOverLoopback(packets: readonly Uint8Array[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sink-bench-'));
  const clock = createVirtualClock();
  const server = await createSinkServer({
    clock,
    keys: [PLATFORM_KEY],
    dbPath: join(dir, 'sink.db'),
    limits: { maxPayloadBytes: 1 << 20 },
  });
  try {
    provisionWorld(server.provisioning);
    const client = platformClient(server.streamUrl, clock, PACKETS_PER_FRAME);
    const rec = await client.openRecording({
      orgId: 'acme',
      userId: 'alice',
      dubPoint: dubPointOf('alice'),
      direction: 'inbound',
      remote: { type: 'pstn' },
      format: 'PCMU',
      ssrcs: { user: USER_SSRC, remote: REMOTE_SSRC },
    });
    for (const p of packets) rec.sendPacket(p);
    await rec.close(3_600_000);
    if (server.store.countPackets(rec.recordingId) !== TOTAL_PACKETS) throw new Error('replay lost packets');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function bench(): Promise<BenchResult> {
  const packets = makePackets();
  const frames = makeFrames(packets);
  const bareParseMs = await bestOfMs(3, () => {
    let sum = 0;
    for (const p of packets) {
      const h = parseRtpHeader(p);
      if (h.ok) sum += h.sequenceNumber;
    }
    return sum;
  });
  const ingestNormalMs = await bestOfMs(3, () => ingestOnce(frames, 'NORMAL'));
  const ingestFullMs = await bestOfMs(3, () => ingestOnce(frames, 'FULL'));
  const loopbackReplayMs = await bestOfMs(3, () => replayOverLoopback(packets));
  return {
    name: 'sink-throughput',
    figures: {
      packets: TOTAL_PACKETS,
      packetsPerFrame: PACKETS_PER_FRAME,
      bareParseMs,
      ingestNormalMs,
      ingestFullMs,
      loopbackReplayMs,
      ingestNormalPacketsPerS: Math.round(TOTAL_PACKETS / (ingestNormalMs / 1000)),
      loopbackPacketsPerS: Math.round(TOTAL_PACKETS / (loopbackReplayMs / 1000)),
    },
    ratios: {
      fullVsNormal: ingestFullMs / ingestNormalMs,
      loopbackVsIngest: loopbackReplayMs / ingestNormalMs,
      ingestVsBareParse: ingestNormalMs / bareParseMs,
    },
    goals: [
      {
        goal: 'store 200,000 packets/s (2,000 live calls) in one sink process',
        met: TOTAL_PACKETS / (ingestNormalMs / 1000) >= 200_000,
      },
    ],
    notes: [
      'ingest = session validation + group commit into a WAL file database, no sockets',
      'loopback = the real client and server over ws in one process, durable at close',
    ],
  };
}

await runIfMain(import.meta, bench);
