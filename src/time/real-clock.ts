/** Wall-clock time for live runs; the only module that reads the host's clock. */
import { performance } from 'node:perf_hooks';
import { asyncScheduler } from 'rxjs';
import type { SimClock } from './clock.ts';

export function createRealClock(): SimClock {
  const startedAt = performance.now();
  return {
    scheduler: asyncScheduler,
    nowMs: () => performance.now() - startedAt,
    setTimeout: (fn, timeoutMs) => setTimeout(fn, timeoutMs),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  };
}

/** Wall-clock epoch milliseconds, for timestamps a human reads (report headers). */
export function wallClockEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Real time read as epoch milliseconds: the clock of a sink on real time and of its clients, which sign
 * and check requests with epoch times (`callrec sink`, live runs, live load).
 */
export function createEpochClock(): SimClock {
  return { ...createRealClock(), nowMs: wallClockEpochMs };
}
