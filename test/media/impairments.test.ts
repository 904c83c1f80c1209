import fc from 'fast-check';
import type { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { isSimError } from '../../src/errors.ts';
import { createCallMediaFromLog } from '../../src/media/call-media.ts';
import { createImpairment, type ImpairmentOptions } from '../../src/media/impairments.ts';
import type { MediaPacket } from '../../src/media/media-packet.ts';
import { createRng, createVirtualClock } from '../../src/time/index.ts';
import { alwaysCall } from './call-logs.ts';

type Settings = Omit<ImpairmentOptions, 'scheduler' | 'rng'>;

/** 20 s of an Always call (2,000 packets) through the network model; returns arrivals and counters. */
function impairedRun(seed: string, settings: Settings) {
  const clock = createVirtualClock();
  const media = createCallMediaFromLog(alwaysCall(20_000), {
    scheduler: clock.scheduler,
    rng: createRng('call'),
  });
  const network = createImpairment({ scheduler: clock.scheduler, rng: createRng(seed), ...settings });
  const arrivals: MediaPacket[] = [];
  let completedAtMs: number | undefined;
  (media.packets$.pipe(network.operator) as Observable<MediaPacket>).subscribe({
    next: (p) => arrivals.push(p),
    complete: () => (completedAtMs = clock.nowMs()),
  });
  clock.advanceTo(30_000);
  return { arrivals, counters: { ...network.counters }, completedAtMs };
}

const NETWORK: Settings = {
  delayMs: 40,
  jitterMs: 30,
  lossRate: 0.02,
  reorderRate: 0.01,
  duplicateRate: 0.005,
};
const signature = (ps: readonly MediaPacket[]) => ps.map((p) => `${p.label}:${p.sequence}@${p.atMs}`);

describe('network impairments between platform and recorder, reproducible from the seed', () => {
  it('the same seed gives the same arrivals (order, times) and the same counters', () => {
    const a = impairedRun('net-1', NETWORK);
    const b = impairedRun('net-1', NETWORK);
    expect(signature(a.arrivals)).toEqual(signature(b.arrivals));
    expect(a.counters).toEqual(b.counters);
  });

  it('another seed gives other arrivals', () => {
    expect(signature(impairedRun('net-2', NETWORK).arrivals)).not.toEqual(
      signature(impairedRun('net-1', NETWORK).arrivals),
    );
  });

  it('counters add up: delivered = sent − lost + duplicated, and match what arrived', () => {
    const { arrivals, counters } = impairedRun('net-1', NETWORK);
    expect(counters.sent).toBe(2000);
    expect(counters.delivered).toBe(counters.sent - counters.lost + counters.duplicated);
    expect(arrivals.length).toBe(counters.delivered);
    expect(counters.lost).toBeGreaterThan(0);
    expect(counters.reordered).toBeGreaterThan(0);
    expect(counters.duplicated).toBeGreaterThan(0);
    expect(counters.arrivedOutOfOrder).toBeGreaterThan(0);
  });

  it('every arrival is at least the base delay after it was sent and at most delay + jitter + hold-back + dup offset', () => {
    const { arrivals } = impairedRun('net-1', NETWORK);
    const lateness = arrivals.map((p) => p.atMs - p.mediaMs);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(40 + 30 + 50 + 20);
  });

  it('a clean network only delays: all packets, in order, 40 ms late; completes after the last arrival', () => {
    const { arrivals, counters, completedAtMs } = impairedRun('net-1', { delayMs: 40 });
    expect(arrivals.length).toBe(2000);
    expect(arrivals.every((p) => p.atMs === p.mediaMs + 40)).toBe(true);
    expect(counters).toMatchObject({ lost: 0, reordered: 0, duplicated: 0, arrivedOutOfOrder: 0 });
    expect(completedAtMs).toBe(20_000 + 20);
  });

  it('property: the loss counter tracks the loss rate and the run replays exactly from its seed', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.string({ maxLength: 8 }),
        (lossRate, seed) => {
          const a = impairedRun(seed, { lossRate });
          const b = impairedRun(seed, { lossRate });
          expect(a.counters).toEqual(b.counters);
          // 2,000 Bernoulli draws: within 5 standard deviations of the rate.
          const sd = Math.sqrt(2000 * lossRate * (1 - lossRate));
          expect(Math.abs(a.counters.lost - 2000 * lossRate)).toBeLessThanOrEqual(5 * sd + 1);
        },
      ),
      { seed: 42, numRuns: 10 },
    );
  });

  it('refuses a rate outside [0, 1] with SIM_ERR_INVALID_ARGUMENT', () => {
    let caught: unknown;
    try {
      createImpairment({ scheduler: createVirtualClock().scheduler, rng: createRng(1), lossRate: 1.5 });
    } catch (error) {
      caught = error;
    }
    expect(isSimError(caught, 'SIM_ERR_INVALID_ARGUMENT')).toBe(true);
  });
});
