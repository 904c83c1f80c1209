/**
 * The emulated WAN delivers what it is asked for: a bare UDP echo through a relay with a one-way delay and
 * loss per direction. Asserted on counts and lower bounds only (no wall-clock speed): no datagram arrives
 * before its one-way delay, the drop count is within a binomial bound, and a seed reproduces its drop pattern.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createRealClock, createRng } from '../../src/time/index.ts';
import { createImpairment, createUdpPairRelay, LOOPBACK, type UdpPairRelay } from '../../src/wan/index.ts';

const clock = createRealClock();
const open: (Socket | UdpPairRelay)[] = [];

afterEach(async () => {
  for (const o of open.splice(0)) {
    if ('faceForA' in o) await o.close();
    else o.close();
  }
});

function bind(): Promise<Socket> {
  const s = createSocket('udp4');
  open.push(s);
  return new Promise((r) => s.bind(0, LOOPBACK, () => r(s)));
}

const DATAGRAMS = 300;
const A_TO_B = { oneWayMs: 12, jitterMs: 4, lossRate: 0.1 };
const B_TO_A = { oneWayMs: 5, jitterMs: 0, lossRate: 0 };

interface EchoRun {
  /** Sequence numbers that reached B. */
  readonly atB: number[];
  /** One-way times A → B, ms. */
  readonly oneWayMs: number[];
  /** Round trips of the echoes that came back, ms. */
  readonly rttMs: number[];
  readonly relay: ReturnType<UdpPairRelay['stats']>;
}

async function echoRun(seed: string): Promise<EchoRun> {
  const relay = await createUdpPairRelay({ clock, aToB: A_TO_B, bToA: B_TO_A, rng: createRng(seed) });
  open.push(relay);
  const a = await bind();
  const b = await bind();
  relay.setA({ address: LOOPBACK, port: a.address().port });
  relay.setB({ address: LOOPBACK, port: b.address().port });
  const sentAt = new Map<number, number>();
  const atB: number[] = [];
  const oneWayMs: number[] = [];
  const rttMs: number[] = [];
  b.on('message', (msg, rinfo) => {
    const seq = msg.readUInt32BE(0);
    atB.push(seq);
    oneWayMs.push(clock.nowMs() - (sentAt.get(seq) as number));
    // B answers to whoever it saw: the relay's face, never A directly.
    expect(rinfo.port).toBe(relay.faceForB.port);
    b.send(msg, rinfo.port, rinfo.address);
  });
  const back = new Promise<void>((resolve) => {
    a.on('message', (msg) => {
      rttMs.push(clock.nowMs() - (sentAt.get(msg.readUInt32BE(0)) as number));
      if (rttMs.length === DATAGRAMS - relay.stats().aToB.dropped && sentAt.size === DATAGRAMS) resolve();
    });
  });
  for (let seq = 0; seq < DATAGRAMS; seq++) {
    const msg = Buffer.alloc(64);
    msg.writeUInt32BE(seq, 0);
    sentAt.set(seq, clock.nowMs());
    a.send(msg, relay.faceForA.port, LOOPBACK);
    // Let the relay read them in batches, so no socket buffer overflows.
    if (seq % 25 === 24) await new Promise((r) => setImmediate(r));
  }
  await back;
  return { atB, oneWayMs, rttMs, relay: relay.stats() };
}

describe('emulated WAN: UDP pair relay', () => {
  it('never delivers before the one-way delay, drops within a binomial bound, and counts both', async () => {
    const run = await echoRun('wan-echo');
    const { aToB, bToA } = run.relay;
    expect(aToB.received).toBe(DATAGRAMS);
    expect(aToB.delivered + aToB.dropped).toBe(DATAGRAMS);
    expect(run.atB.length).toBe(aToB.delivered);
    // Binomial(300, 0.1): mean 30, sd 5.2; ±4 sd.
    expect(aToB.dropped).toBeGreaterThanOrEqual(9);
    expect(aToB.dropped).toBeLessThanOrEqual(51);
    expect(bToA.dropped).toBe(0);
    expect(run.rttMs.length).toBe(aToB.delivered);
    // Lower bounds: one-way delay minus jitter each way, and its sum for the echo.
    expect(Math.min(...run.oneWayMs)).toBeGreaterThanOrEqual(A_TO_B.oneWayMs - A_TO_B.jitterMs);
    expect(Math.min(...run.rttMs)).toBeGreaterThanOrEqual(
      A_TO_B.oneWayMs - A_TO_B.jitterMs + B_TO_A.oneWayMs,
    );
    // The relay's own account: the delays it was asked for average the requested one-way delay, and it is
    // never early (lateness is measured, not asserted on speed).
    expect(aToB.meanRequestedMs).toBeGreaterThan(A_TO_B.oneWayMs - 1);
    expect(aToB.meanRequestedMs).toBeLessThan(A_TO_B.oneWayMs + 1);
    expect(aToB.meanLateMs).toBeGreaterThanOrEqual(0);
    expect(bToA.meanRequestedMs).toBe(B_TO_A.oneWayMs);
  });

  it('drops exactly the datagrams its seed says, run after run', async () => {
    const first = await echoRun('wan-pattern');
    const second = await echoRun('wan-pattern');
    const other = await echoRun('wan-other');
    const lost = (r: EchoRun) => {
      const got = new Set(r.atB);
      return Array.from({ length: DATAGRAMS }, (_, i) => i).filter((i) => !got.has(i));
    };
    // The decider alone, replayed from the same seed, predicts the same pattern.
    const fate = createImpairment(A_TO_B, createRng('wan-pattern').fork('aToB'));
    const predicted = Array.from({ length: DATAGRAMS }, (_, i) => i).filter(() => fate() === undefined);
    expect(lost(first)).toEqual(predicted);
    expect(lost(second)).toEqual(predicted);
    expect(lost(other)).not.toEqual(predicted);
  });
});
