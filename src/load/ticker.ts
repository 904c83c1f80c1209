/**
 * The one 20 ms ticker of a live load: every call's packets of tick k are due at `startMs + k × interval`
 * and are sent together (one frame per connection), so there is one timer for the whole run rather than
 * one per call. A late wake-up runs every tick that has come due, in order and none skipped: each tick's
 * frames still go out (late), which keeps 50 packets/s per stream and lets the receiver map frame n of a
 * connection to tick n − 1.
 */
import type { SimClock } from '../time/clock.ts';

export type TickerClock = Pick<SimClock, 'nowMs' | 'setTimeout' | 'clearTimeout'>;

export interface TickerOptions {
  readonly clock: TickerClock;
  /** Due time of tick 0 on the clock. */
  readonly startMs: number;
  readonly intervalMs: number;
  /** Ticks to run: 0 … ticks − 1. */
  readonly ticks: number;
  /** Runs tick `tick` (due at `dueMs`); the clock may already be past it. */
  readonly onTick: (tick: number, dueMs: number) => void;
  /** After the last tick, or after `stop()`. */
  readonly onDone?: () => void;
}

export interface Ticker {
  /** Ticks run so far. */
  readonly ticksRun: number;
  /** Largest number of ticks run by one wake-up (1 when the ticker never fell behind). */
  readonly maxCatchUp: number;
  stop(): void;
}

export function startTicker(options: TickerOptions): Ticker {
  const { clock, startMs, intervalMs, ticks } = options;
  let next = 0;
  let maxCatchUp = 0;
  let timer: unknown;
  let done = false;

  const finish = () => {
    if (done) return;
    done = true;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    options.onDone?.();
  };

  const wake = () => {
    timer = undefined;
    if (done) return;
    const now = clock.nowMs();
    let ran = 0;
    while (next < ticks && startMs + next * intervalMs <= now) {
      const tick = next;
      next += 1; // before onTick, so a stop() inside it is final
      ran += 1;
      options.onTick(tick, startMs + tick * intervalMs);
      if (done) return;
    }
    maxCatchUp = Math.max(maxCatchUp, ran);
    if (next >= ticks) return finish();
    // Timers fire at or after their delay, never before, so aim exactly at the due time.
    timer = clock.setTimeout(wake, Math.max(0, startMs + next * intervalMs - clock.nowMs()));
  };

  if (ticks <= 0) {
    // Still asynchronous, like every other outcome.
    timer = clock.setTimeout(finish, 0);
  } else {
    timer = clock.setTimeout(wake, Math.max(0, startMs - clock.nowMs()));
  }
  return {
    get ticksRun() {
      return next;
    },
    get maxCatchUp() {
      return maxCatchUp;
    },
    stop: finish,
  };
}
