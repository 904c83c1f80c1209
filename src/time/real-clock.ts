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
