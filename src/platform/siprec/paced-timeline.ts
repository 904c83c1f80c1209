/**
 * Plays a recording's timeline on the clock: each RTP packet and each control (pause, resume,
 * announcement, close) runs when the clock reaches the origin plus its own time, in time order and, at
 * the same time, in the order given. Live that is real-time pacing by the packets' own times (50 packets
 * a second per stream); on the virtual clock the same timeline runs as the driver moves time. One timer
 * is pending at a time, for the next due moment. List a pause before the packets of its moment: the
 * packet due at the pause's time is then held, as the ws delivery does it.
 */
import type { TimerClock } from '../../time/index.ts';

export interface TimelineItem {
  /** Milliseconds after the timeline's origin. */
  readonly atMs: number;
  run(): void;
}

export interface PacedTimeline {
  /** Resolves once every item has run (or the timeline was cancelled). */
  readonly done: Promise<void>;
  /** Items run so far. */
  readonly ran: number;
  cancel(): void;
}

export function playTimeline(
  clock: TimerClock & { nowMs(): number },
  items: readonly TimelineItem[],
  originMs: number = clock.nowMs(),
): PacedTimeline {
  const sorted = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.atMs - b.item.atMs || a.index - b.index)
    .map((e) => e.item);
  let next = 0;
  let timer: unknown;
  let cancelled = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const tick = () => {
    timer = undefined;
    if (cancelled) return;
    const now = clock.nowMs();
    while (next < sorted.length && originMs + (sorted[next]?.atMs ?? 0) <= now) sorted[next++]?.run();
    if (next >= sorted.length) {
      finish();
      return;
    }
    timer = clock.setTimeout(tick, Math.max(0, originMs + (sorted[next]?.atMs ?? 0) - now));
  };
  tick();
  return {
    done,
    get ran() {
      return next;
    },
    cancel() {
      cancelled = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      finish();
    },
  };
}
