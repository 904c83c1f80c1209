/**
 * A delay line: items go out at their due time on the clock, never before, in due order (ties in arrival
 * order), from one timer at a time. One timer per item would not keep the order: timers round to whole
 * milliseconds, so an item due later but scheduled later can fire first.
 */
import type { WanClock } from './deliver-at.ts';

export interface DelayLine<T> {
  push(dueMs: number, item: T): void;
  /** Items still waiting. */
  readonly pending: number;
  /** Drops what is waiting and stops the timer. */
  clear(): void;
}

export function createDelayLine<T>(
  clock: WanClock,
  deliver: (item: T, nowMs: number, dueMs: number) => void,
): DelayLine<T> {
  const queue: { dueMs: number; item: T }[] = [];
  let timer: unknown;
  let armedFor = Number.POSITIVE_INFINITY;

  const arm = (): void => {
    const head = queue[0];
    if (head === undefined || head.dueMs >= armedFor) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    armedFor = head.dueMs;
    timer = clock.setTimeout(fire, Math.max(0, Math.ceil(head.dueMs - clock.nowMs())));
  };
  const fire = (): void => {
    timer = undefined;
    armedFor = Number.POSITIVE_INFINITY;
    const now = clock.nowMs();
    while (queue.length > 0 && (queue[0] as { dueMs: number }).dueMs <= now) {
      const { dueMs, item } = queue.shift() as { dueMs: number; item: T };
      deliver(item, now, dueMs);
    }
    arm();
  };
  return {
    push(dueMs, item) {
      // Mostly in order already: insert from the back.
      let i = queue.length;
      while (i > 0 && (queue[i - 1] as { dueMs: number }).dueMs > dueMs) i--;
      queue.splice(i, 0, { dueMs, item });
      if (i === 0) arm();
    },
    get pending() {
      return queue.length;
    },
    clear() {
      queue.length = 0;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      armedFor = Number.POSITIVE_INFINITY;
    },
  };
}
