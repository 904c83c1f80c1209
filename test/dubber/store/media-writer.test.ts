/**
 * The media writer thread over real loopback sockets and a real database file: the same client traffic
 * (audio in gathered commits, resent packets, a pause, a close) stored by a sink that commits audio on its
 * event loop and by one whose writer thread commits it leaves the same recording behind, packet for
 * packet; and the writer really did the writing. Timeouts are hang guards only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSinkServer } from '../../../src/dubber/server.ts';
import { createSqliteStore } from '../../../src/dubber/store/sqlite/sqlite-store.ts';
import { createVirtualClock } from '../../../src/time/virtual-clock.ts';
import {
  ALL_KEYS,
  aliceRecordingRequest,
  interleave,
  platformClient,
  provisionWorld,
  REMOTE_SSRC,
  rtpStream,
  USER_SSRC,
} from '../../harness/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'callrec-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Records one call into `dbPath` and returns what the sink reported. */
async function recordCall(dbPath: string, writerThread: boolean) {
  const clock = createVirtualClock();
  clock.advanceTo(1_700_000_000_000);
  const server = await createSinkServer({
    clock,
    dbPath,
    keys: ALL_KEYS,
    limits: { mediaCommitFrames: 5 },
    ...(writerThread ? { mediaWriterThread: true, walCheckpointIntervalMs: 100 } : {}),
  });
  provisionWorld(server.provisioning);
  try {
    const client = platformClient(server.streamUrl, clock, 8);
    const rec = await client.openRecording(aliceRecordingRequest('writer-1'));
    const packets = interleave(rtpStream(USER_SSRC, 600, 65_300), rtpStream(REMOTE_SSRC, 600, 65_300));
    for (const p of packets.slice(0, 700)) rec.sendPacket(p);
    await rec.drain();
    for (const p of packets.slice(650, 800)) rec.sendPacket(p); // 50 resent (25 a stream): duplicates, not stored twice
    rec.paused(8000);
    rec.resumed(9000);
    for (const p of packets.slice(800)) rec.sendPacket(p);
    const closed = await rec.close(15_000);
    return { closed, stats: server.stats() };
  } finally {
    await server.close();
  }
}

function readBack(dbPath: string) {
  const store = createSqliteStore({ path: dbPath });
  try {
    const { createdAtMs: _created, ...recording } = store.getRecording('writer-1') ?? {};
    return {
      recording,
      streams: store.getStreams('writer-1'),
      segments: store.getSegments('writer-1'),
      anchors: [0, 1].flatMap((segment) => store.getAnchors('writer-1', segment)),
      packets: [...store.readPackets('writer-1')].map((p) => ({
        ...p,
        payload: Buffer.from(p.payload).toString('hex'),
      })),
    };
  } finally {
    store.close();
  }
}

describe('media writer thread', () => {
  it('stores the same recording as the event loop does, packet for packet, and does the writing', async () => {
    const inLoop = await recordCall(join(dir, 'loop.db'), false);
    const inWriter = await recordCall(join(dir, 'writer.db'), true);
    expect(inLoop.stats.writerCommits).toBe(0);
    expect(inWriter.stats.writerCommits).toBeGreaterThan(0);
    expect(inWriter.closed).toEqual(inLoop.closed);
    const loop = readBack(join(dir, 'loop.db'));
    const writer = readBack(join(dir, 'writer.db'));
    expect(writer.packets).toHaveLength(1200);
    expect(writer.streams.map((s) => [s.received, s.duplicates])).toEqual([
      [600, 25],
      [600, 25],
    ]);
    expect(writer).toEqual(loop);
  });
});
