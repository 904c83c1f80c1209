/**
 * Runs `fn` at `dueMs` on the clock and never before: a timer that fires early (timers round to whole
 * milliseconds) is re-armed for the rest, so an emulated delay is a lower bound on the delivered one.
 */
import type { SimClock } from '../time/index.ts';

export type WanClock = Pick<SimClock, 'nowMs' | 'setTimeout' | 'clearTimeout'>;

export function deliverAt(clock: WanClock, dueMs: number, fn: (nowMs: number) => void): void {
  const fire = (): void => {
    const now = clock.nowMs();
    if (now < dueMs) {
      clock.setTimeout(fire, Math.max(1, Math.ceil(dueMs - now)));
      return;
    }
    fn(now);
  };
  const waitMs = dueMs - clock.nowMs();
  if (waitMs <= 0) queueMicrotask(fire);
  else clock.setTimeout(fire, Math.ceil(waitMs));
}
