/**
 * The clock every timer in the simulator runs on. XState actors take it as their `clock` option and RxJS
 * operators take its `scheduler`, so machine timers and media streams share one timeline.
 */
import type { SchedulerLike } from 'rxjs';

/** The shape XState v5 expects for `createActor(machine, { clock })`. */
export interface TimerClock {
  // biome-ignore lint/suspicious/noExplicitAny: matches XState's own Clock signature.
  setTimeout(fn: (...args: any[]) => void, timeoutMs: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface SimClock extends TimerClock {
  /** The RxJS scheduler backed by the same timeline; pass it to every time-based operator. */
  readonly scheduler: SchedulerLike;
  /** Milliseconds since the clock started. */
  nowMs(): number;
}
