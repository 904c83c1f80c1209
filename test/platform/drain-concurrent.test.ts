/**
 * Two drains (pings) in flight at once on the same recording: the sink may answer both with one commit and
 * one pong, and each call still resolves. Timeouts are hang guards only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSinkServer, type SinkServer } from '../../src/dubber/server.ts';
import { connectMux } from '../../src/platform/connection.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';
import {
  ALL_KEYS,
  aliceRecordingRequest,
  PLATFORM_KEY,
  platformClient,
  provisionWorld,
  rtpStream,
  USER_SSRC,
} from '../harness/helpers.ts';
import { muxRequest } from './mux-request.ts';

const servers: SinkServer[] = [];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start() {
  const clock = createVirtualClock();
  const server = await createSinkServer({ clock, keys: ALL_KEYS });
  servers.push(server);
  provisionWorld(server.provisioning);
  return { clock, server };
}

/** Rejects when `promise` has not settled after `ms` of real time (a hang guard, not a speed check). */
function withinHangGuard<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} never resolved`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

describe('drain called twice at once', () => {
  it('resolves both drains of a one-recording client', async () => {
    const { server, clock } = await start();
    const client = platformClient(server.streamUrl, clock, 10);
    const rec = await client.openRecording(aliceRecordingRequest('drain-twice'));
    for (const p of rtpStream(USER_SSRC, 20)) rec.sendPacket(p);
    const [a, b] = await withinHangGuard(Promise.all([rec.drain(), rec.drain()]), 'the second drain');
    expect(a.packetsStored).toBe(20);
    expect(b.packetsStored).toBe(20);
    await rec.close(1000);
  });

  it('resolves both pings of a multiplexed connection', async () => {
    const { server, clock } = await start();
    const mux = await connectMux({
      url: server.streamUrl,
      keyId: PLATFORM_KEY.keyId,
      secret: PLATFORM_KEY.secret,
      clock,
    });
    cleanups.push(() => mux.terminate());
    const request = muxRequest('mux-drain-twice', 'bob', { user: 0x0101_0001, remote: 0x0101_0002 });
    await mux.open(request);
    const [a, b] = await withinHangGuard(
      Promise.all([mux.ping('mux-drain-twice'), mux.ping('mux-drain-twice')]),
      'the second ping',
    );
    expect(a.packetsStored).toBe(0);
    expect(b.packetsStored).toBe(0);
  });
});
