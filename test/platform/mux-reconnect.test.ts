/**
 * The multiplexed client's opt-in reconnect over loopback, with a TCP proxy in between to cut connections,
 * swallow frames in flight and refuse reconnects: after a drop mid-stream every packet is stored exactly
 * once; a sink restart is ridden out; attempts are bounded; the journal bound fails with a clear error.
 * Timeouts and delays here are hang guards and backoff settings only; nothing asserts how long anything took.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSinkServer, type SinkServer } from '../../src/dubber/server.ts';
import { createSqliteStore } from '../../src/dubber/store/sqlite/sqlite-store.ts';
import type { SinkStore } from '../../src/dubber/store/store.ts';
import { isSimError, type SimError } from '../../src/errors.ts';
import { connectMux, type MuxConnection, type MuxReconnectOptions } from '../../src/platform/connection.ts';
import { encodeMediaFrame } from '../../src/protocol/media-frame.ts';
import { createEpochClock } from '../../src/time/real-clock.ts';
import { ALL_KEYS, PLATFORM_KEY, provisionWorld, rtpStream } from '../harness/helpers.ts';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.ts';
import { muxRequest } from './mux-request.ts';

const clock = createEpochClock();
const POLL = { timeout: 20_000 };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startSink(options: { store?: SinkStore; provision?: boolean } = {}) {
  const server = await createSinkServer({
    clock,
    keys: ALL_KEYS,
    ...(options.store ? { store: options.store } : {}),
    // Audio gathered 10 frames per run, as the live load runs it: checkpoints lag behind the frames sent.
    limits: { mediaCommitFrames: 10 },
  });
  cleanups.push(() => server.close());
  if (options.provision !== false) provisionWorld(server.provisioning);
  return server;
}

async function startProxy(server: SinkServer) {
  const proxy = await startTcpProxy(server.port);
  cleanups.push(() => proxy.close());
  return proxy;
}

async function connect(proxy: TcpProxy, reconnect?: MuxReconnectOptions) {
  const base = { url: proxy.streamUrl, keyId: PLATFORM_KEY.keyId, secret: PLATFORM_KEY.secret };
  const mux = await (reconnect === undefined
    ? connectMux({ ...base, clock })
    : connectMux({ ...base, clock, reconnect }));
  cleanups.push(() => mux.terminate());
  return mux;
}

const FAST: MuxReconnectOptions = { reconnectDelayMs: 1, maxReconnectDelayMs: 20, maxReconnects: 1000 };

/** Frame i holds packet i of each stream (seqs from 100). */
function framesOf(ssrcs: readonly number[], count: number): Uint8Array[] {
  const streams = ssrcs.map((ssrc) => rtpStream(ssrc, count));
  return Array.from({ length: count }, (_, i) => encodeMediaFrame(streams.map((s) => s[i] as Uint8Array)));
}

function send(mux: MuxConnection, frames: readonly Uint8Array[], from: number, to: number) {
  for (let i = from; i < to; i++) mux.sendFrame(frames[i] as Uint8Array);
}

/** Each stream of the recording holds every packet once: seqs 100…100+count−1, none lost. */
function expectStoredOnce(server: SinkServer, recordingId: string, userId: string, count: number) {
  const token = server.provisioning.issueToken({ orgId: 'acme', userId });
  const meta = server.portal.get(token, recordingId);
  expect(server.store.countPackets(recordingId)).toBe(2 * count);
  for (const stream of meta.streams) {
    expect(stream).toMatchObject({ packets: count, lost: 0, firstExtSeq: 100, lastExtSeq: 100 + count - 1 });
  }
  return meta;
}

async function failureOf(promise: Promise<unknown>): Promise<SimError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSimError(outcome)) throw new Error(`expected a SimError, got ${String(outcome)}`);
  return outcome;
}

describe('connectMux with reconnect', () => {
  it('stores every packet exactly once after the connection is cut mid-stream and reconnects are refused a while', async () => {
    const server = await startSink();
    const proxy = await startProxy(server);
    const mux = await connect(proxy, FAST);
    await Promise.all([
      mux.open(muxRequest('mux-a', 'alice', { user: 1, remote: 2 })),
      mux.open(muxRequest('mux-b', 'bob', { user: 3, remote: 4 })),
    ]);
    const frames = framesOf([1, 2, 3, 4], 300);

    send(mux, frames, 0, 100);
    await expect.poll(() => server.stats().framesReceived, POLL).toBe(100);
    proxy.hold(); // frames 100–149 leave the client but never reach the sink
    send(mux, frames, 100, 150);
    expect(mux.unackedFrames).toBeGreaterThanOrEqual(50);
    const pinged = mux.ping('mux-a'); // waits across the reconnect
    proxy.refuse = true;
    proxy.cut();
    await expect.poll(() => mux.reconnecting, POLL).toBe(true);
    send(mux, frames, 150, 200); // kept in the journal while the sink is unreachable
    await expect.poll(() => proxy.refused, POLL).toBeGreaterThanOrEqual(2);
    proxy.refuse = false;
    await expect.poll(() => mux.reconnects, POLL).toBe(1);
    expect(mux.reconnecting).toBe(false);
    const checkpoint = await pinged;
    expect(checkpoint.packetsStored).toBe(400); // frames 0–199 of mux-a's two streams

    send(mux, frames, 200, 300);
    const [a, b] = await Promise.all([mux.close('mux-a', 6000), mux.close('mux-b', 6000)]);
    expect(a.packetsStored).toBe(600);
    expect(b.packetsStored).toBe(600);
    expect(mux.framesSent).toBe(300);
    expect(mux.durableFrames).toBe(300);
    expect(mux.unackedFrames).toBe(0);
    expect(mux.warnings).toEqual([]);
    for (const [id, user] of [
      ['mux-a', 'alice'],
      ['mux-b', 'bob'],
    ] as const) {
      const meta = expectStoredOnce(server, id, user, 300);
      expect(meta.interruptions).toBe(1);
      expect(meta.state).toBe('closed');
    }
  });

  it('rides out a sink restart (disconnect SINK_ERR_SHUTDOWN) onto a new sink over the same store', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    cleanups.push(() => store.close());
    const first = await startSink({ store });
    const proxy = await startProxy(first);
    const mux = await connect(proxy, FAST);
    await mux.open(muxRequest('mux-r', 'alice', { user: 11, remote: 12 }));
    const frames = framesOf([11, 12], 150);
    send(mux, frames, 0, 50);
    await mux.ping('mux-r');
    send(mux, frames, 50, 100);
    const second = await startSink({ store, provision: false });
    proxy.target = second.port;
    await first.close();
    await expect.poll(() => mux.reconnects, POLL).toBe(1);
    send(mux, frames, 100, 150);
    const last = await mux.close('mux-r', 3000);
    expect(last.packetsStored).toBe(300);
    expectStoredOnce(second, 'mux-r', 'alice', 150);
  });

  it('gives up after maxReconnects attempts with an error that says what to do', async () => {
    const server = await startSink();
    const proxy = await startProxy(server);
    const mux = await connect(proxy, { reconnectDelayMs: 1, maxReconnects: 3 });
    await mux.open(muxRequest('mux-g', 'alice', { user: 21, remote: 22 }));
    await mux.ping('mux-g');
    const waiting = mux.ping('mux-g');
    proxy.hold(); // the ping never arrives, so it is still waiting when the connection goes
    proxy.refuse = true;
    proxy.cut();
    const error = await failureOf(waiting);
    expect(error.code).toBe('SIM_ERR_SINK_UNAVAILABLE');
    expect(error.message).toContain('3 reconnect attempts failed');
    expect(error.message).toContain('raise maxReconnects');
    expect(proxy.refused).toBe(3);
    expect((await failureOf(mux.open(muxRequest('mux-h', 'bob', { user: 23, remote: 24 })))).code).toBe(
      'SIM_ERR_SINK_UNAVAILABLE',
    );
  });

  it('fails clearly when more than maxJournalFrames frames are unacknowledged', async () => {
    const server = await startSink();
    const proxy = await startProxy(server);
    const mux = await connect(proxy, { ...FAST, maxJournalFrames: 10 });
    await mux.open(muxRequest('mux-j', 'alice', { user: 31, remote: 32 }));
    const frames = framesOf([31, 32], 11);
    const pinged = mux.ping('mux-j');
    // No checkpoint can arrive within one synchronous run, so all ten stay unacknowledged.
    send(mux, frames, 0, 10);
    expect(mux.unackedFrames).toBe(10);
    let thrown: unknown;
    try {
      mux.sendFrame(frames[10] as Uint8Array);
    } catch (e) {
      thrown = e;
    }
    expect(isSimError(thrown, 'SIM_ERR_SINK_UNAVAILABLE')).toBe(true);
    const message = (thrown as SimError).message;
    expect(message).toContain('keeps 10 unacknowledged frames');
    expect(message).toContain('maxJournalFrames');
    expect(message).toContain('ping a recording more often');
    expect(await failureOf(pinged)).toBe(thrown);
    expect(mux.framesSent).toBe(10);
  });

  it('fails clearly when an outage outlasts the journal', async () => {
    const server = await startSink();
    const proxy = await startProxy(server);
    const mux = await connect(proxy, { ...FAST, maxJournalFrames: 20 });
    await mux.open(muxRequest('mux-o', 'alice', { user: 41, remote: 42 }));
    await mux.ping('mux-o');
    proxy.refuse = true;
    proxy.cut();
    await expect.poll(() => mux.reconnecting, POLL).toBe(true);
    const frames = framesOf([41, 42], 21);
    send(mux, frames, 0, 20);
    expect(() => mux.sendFrame(frames[20] as Uint8Array)).toThrow(/down too long.*raise maxJournalFrames/);
    const error = await failureOf(mux.ping('mux-o'));
    expect(error.message).toContain('maxJournalFrames');
  });

  it('leaves out a recording the sink refuses on reopen; the others carry on', async () => {
    const server = await startSink();
    const proxy = await startProxy(server);
    const mux = await connect(proxy, FAST);
    await Promise.all([
      mux.open(muxRequest('mux-x', 'alice', { user: 51, remote: 52 })),
      mux.open(muxRequest('mux-y', 'bob', { user: 53, remote: 54 })),
    ]);
    const frames = framesOf([51, 52, 53, 54], 100);
    send(mux, frames, 0, 50);
    await mux.ping('mux-x');
    proxy.refuse = true;
    proxy.cut();
    await expect.poll(() => mux.reconnecting, POLL).toBe(true);
    server.provisioning.setRecordingEnabled({ userId: 'bob', enabled: false }); // S14: refused from now on
    const refused = failureOf(mux.ping('mux-y'));
    const closed = failureOf(mux.close('mux-y', 2000));
    proxy.refuse = false;
    await expect.poll(() => mux.reconnects, POLL).toBe(1);
    for (const outcome of await Promise.all([refused, closed])) {
      expect(outcome.details).toMatchObject({ recordingId: 'mux-y', sinkCode: 'SINK_ERR_USER_DISABLED' });
    }
    send(mux, frames, 50, 100); // mux-y's packets are dropped by the sink: unknown SSRC
    const x = await mux.close('mux-x', 2000);
    expect(x.packetsStored).toBe(200);
    expectStoredOnce(server, 'mux-x', 'alice', 100);
    expect(server.store.countPackets('mux-y')).toBe(100);
    expect(mux.warnings.map((w) => w.code)).toContain('SINK_ERR_UNKNOWN_SSRC');
  });

  it('without reconnect, a drop still fails every recording at once', async () => {
    const server = await startSink();
    const proxy = await startProxy(server);
    const mux = await connect(proxy);
    await mux.open(muxRequest('mux-n', 'alice', { user: 61, remote: 62 }));
    proxy.hold();
    const waiting = mux.ping('mux-n');
    proxy.cut();
    const error = await failureOf(waiting);
    expect(error.code).toBe('SIM_ERR_SINK_UNAVAILABLE');
    expect(error.message).toContain('The sink connection closed');
    expect(mux.reconnects).toBe(0);
    expect(mux.unackedFrames).toBe(0);
  });

  it('refuses reconnect options that are not whole numbers in range', async () => {
    const server = await startSink();
    const proxy = await startProxy(server);
    await expect(connect(proxy, { maxReconnects: 0 })).rejects.toMatchObject({
      code: 'SIM_ERR_INVALID_ARGUMENT',
      message: expect.stringContaining('reconnect.maxReconnects'),
    });
  });
});
