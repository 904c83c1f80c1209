/**
 * The TCP variant of the emulated WAN (signalling, the recorder's WebSocket): every chunk is delayed by at
 * least its direction's one-way delay and the byte stream arrives whole and in order. Lower bounds only.
 */
import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SimError } from '../../src/errors.ts';
import { createRealClock, createRng } from '../../src/time/index.ts';
import { createTcpRelay, LOOPBACK, type TcpRelay } from '../../src/wan/index.ts';

const clock = createRealClock();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function echoServer(): Promise<Server> {
  const server = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, LOOPBACK, () => r()));
  cleanup.push(() => new Promise((r) => server.close(() => r())));
  return server;
}

describe('emulated WAN: TCP relay', () => {
  it('delays each direction by at least its one-way delay and keeps the stream in order', async () => {
    const server = await echoServer();
    const relay: TcpRelay = await createTcpRelay({
      clock,
      target: { address: LOOPBACK, port: (server.address() as { port: number }).port },
      upstream: { oneWayMs: 15, jitterMs: 10, lossRate: 0 },
      downstream: { oneWayMs: 7, jitterMs: 0, lossRate: 0 },
      rng: createRng('tcp-relay'),
    });
    cleanup.push(() => relay.close());
    const socket = connect(relay.address.port, LOOPBACK);
    socket.setNoDelay(true);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}\n`);
    const sentAt = clock.nowMs();
    let received = '';
    const firstByteMs = new Promise<number>((resolve) =>
      socket.once('data', () => resolve(clock.nowMs() - sentAt)),
    );
    const whole = new Promise<void>((resolve) => {
      socket.on('data', (chunk) => {
        received += chunk.toString();
        if (received.length === lines.join('').length) resolve();
      });
    });
    for (const line of lines) socket.write(line);
    await whole;
    socket.destroy();
    expect(received).toBe(lines.join(''));
    // Up at least 15 − 10 ms, down 7 ms.
    expect(await firstByteMs).toBeGreaterThanOrEqual(5 + 7);
    const stats = relay.stats();
    expect(stats.upstream.delivered).toBe(stats.upstream.received);
    expect(stats.upstream.meanLateMs).toBeGreaterThanOrEqual(0);
    expect(stats.downstream.meanRequestedMs).toBeGreaterThanOrEqual(7);
  });

  it('refuses to emulate loss on TCP, which would resend it', async () => {
    await expect(
      createTcpRelay({
        clock,
        target: { address: LOOPBACK, port: 9 },
        upstream: { oneWayMs: 10, jitterMs: 0, lossRate: 0.01 },
        downstream: { oneWayMs: 10, jitterMs: 0, lossRate: 0 },
        rng: createRng('x'),
      }),
    ).rejects.toBeInstanceOf(SimError);
  });
});
