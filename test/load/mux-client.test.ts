/**
 * The multiplexed client against a real sink over loopback, with a file database, media committed in
 * slices and WAL checkpoints in a worker thread: every packet of every recording is stored and survives
 * the sink closing; a refused open rejects only that recording's promise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSinkServer } from '../../src/dubber/server.ts';
import { createSqliteStore } from '../../src/dubber/store/sqlite/sqlite-store.ts';
import { connectMux } from '../../src/platform/connection.ts';
import { encodeMediaFrame } from '../../src/protocol/media-frame.ts';
import { createEpochClock } from '../../src/time/real-clock.ts';
import { dubPointOf, PLATFORM_KEY, provisionWorld, rtpStream } from '../harness/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'callrec-mux-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clock = createEpochClock();
const request = (recordingId: string, userId: string, ssrcs: { user: number; remote: number }) => ({
  recordingId,
  orgId: 'acme',
  userId,
  dubPoint: dubPointOf(userId),
  direction: 'inbound' as const,
  remote: { type: 'pstn' as const },
  format: 'PCMU' as const,
  ssrcs,
});

describe('connectMux', () => {
  it('carries two recordings on one socket into a file database', async () => {
    const dbPath = join(dir, 'mux.db');
    const server = await createSinkServer({
      clock,
      dbPath,
      keys: [PLATFORM_KEY],
      limits: { mediaCommitFrames: 10 },
      walCheckpointIntervalMs: 20,
    });
    provisionWorld(server.provisioning);
    const mux = await connectMux({
      url: server.streamUrl,
      keyId: PLATFORM_KEY.keyId,
      secret: PLATFORM_KEY.secret,
      clock,
    });
    await Promise.all([
      mux.open(request('mux-a', 'alice', { user: 1, remote: 2 })),
      mux.open(request('mux-b', 'bob', { user: 3, remote: 4 })),
    ]);
    await expect(mux.open(request('mux-x', 'mallory', { user: 5, remote: 6 }))).rejects.toMatchObject({
      code: 'SIM_ERR_SINK_PROTOCOL',
      details: { sinkCode: 'SINK_ERR_UNKNOWN_USER', recordingId: 'mux-x' },
    });
    const streams = [1, 2, 3, 4].map((ssrc) => rtpStream(ssrc, 150));
    for (let i = 0; i < 150; i++) mux.sendFrame(encodeMediaFrame(streams.map((s) => s[i] as Uint8Array)));
    const [a, b] = await Promise.all([mux.close('mux-a', 3000), mux.close('mux-b', 3000)]);
    expect(a?.packetsStored).toBe(300);
    expect(b?.packetsStored).toBe(300);
    expect(mux.framesSent).toBe(150);
    await mux.end();
    await server.close();
    const reader = createSqliteStore({ path: dbPath });
    try {
      expect(reader.countPackets('mux-a')).toBe(300);
      expect(reader.getStreams('mux-b').map((s) => [s.received, s.minExtSeq, s.maxExtSeq])).toEqual([
        [150, 100, 249],
        [150, 100, 249],
      ]);
    } finally {
      reader.close();
    }
  });
});
