/**
 * A virtual clock: time moves only when asked, so a one-hour call replays in milliseconds and exactly the
 * same way every time. Backed by an RxJS VirtualTimeScheduler so XState timers and RxJS streams share it.
 *
 * Ordering rule: things due at the same instant run in the order they were scheduled (FIFO). A hang-up
 * scheduled before a tone due at the same millisecond therefore wins, and the tone never plays.
 */
import { type Subscription, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { SimError } from '../errors.ts';
import type { SimClock } from './clock.ts';

export interface VirtualClock extends SimClock {
  readonly scheduler: VirtualTimeScheduler;
  /** Run everything due up to and including `tMs`, then leave the clock reading exactly `tMs`. */
  advanceTo(tMs: number): void;
  /** `advanceTo(nowMs() + durationMs)`. */
  advanceBy(durationMs: number): void;
  /** The time of the next due action, or `undefined` when nothing is scheduled. */
  nextDueMs(): number | undefined;
  /** Number of scheduled actions not yet run. */
  pendingCount(): number;
  /**
   * Runs only the next due action (moving the clock to its time) and returns true, or returns false when
   * nothing is scheduled. Lets a driver do asynchronous work between two actions due at the same instant.
   */
  runNext(): boolean;
}

export function createVirtualClock(): VirtualClock {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);

  const advanceTo = (tMs: number): void => {
    if (!Number.isFinite(tMs) || tMs < scheduler.frame) {
      throw new SimError(
        'SIM_ERR_INVALID_ARGUMENT',
        `Cannot move the virtual clock to ${tMs} ms: it already reads ${scheduler.frame} ms and only moves forward.`,
        { details: { requestedMs: tMs, nowMs: scheduler.frame } },
      );
    }
    scheduler.maxFrames = tMs;
    try {
      scheduler.flush();
    } finally {
      scheduler.maxFrames = Number.POSITIVE_INFINITY;
    }
    scheduler.frame = tMs;
  };

  return {
    scheduler,
    nowMs: () => scheduler.frame,
    setTimeout: (fn, timeoutMs) => scheduler.schedule(() => fn(), Math.max(0, timeoutMs)),
    clearTimeout: (id) => (id as Subscription | undefined)?.unsubscribe(),
    advanceTo,
    advanceBy: (durationMs) => advanceTo(scheduler.frame + durationMs),
    nextDueMs: () => scheduler.actions.find((a) => !a.closed)?.delay,
    pendingCount: () => scheduler.actions.filter((a) => !a.closed).length,
    runNext: () => {
      while (scheduler.actions[0]?.closed) scheduler.actions.shift();
      const action = scheduler.actions.shift();
      if (action === undefined) return false;
      scheduler.frame = action.delay;
      const error = action.execute(action.state, action.delay);
      if (error) throw error;
      return true;
    },
  };
}
