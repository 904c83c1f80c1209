/** Replays a recorded call log on a scheduler: each event is emitted at its own `atMs`, in log order. */
import { Observable, type SchedulerLike } from 'rxjs';
import type { CallLogEvent } from '../../machines/call-events.ts';

/** The order a replay delivers a log in: by time, and in log order at the same instant. */
export function orderCallLog(events: readonly CallLogEvent[]): CallLogEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.atMs - b.event.atMs || a.index - b.index)
    .map((e) => e.event);
}

/**
 * Every event is scheduled when the replay is subscribed, so at any instant the log's events run before
 * packet ticks due at the same instant. Completes right after the last event. Events already in the past
 * are emitted immediately. `nowMs` defaults to `scheduler.now()` (virtual ms on a VirtualTimeScheduler).
 */
export function createEventReplay$(
  events: readonly CallLogEvent[],
  scheduler: SchedulerLike,
  nowMs: () => number = () => scheduler.now(),
): Observable<CallLogEvent> {
  return new Observable<CallLogEvent>((subscriber) => {
    const ordered = orderCallLog(events);
    const startMs = nowMs();
    if (ordered.length === 0) {
      subscriber.complete();
      return undefined;
    }
    const last = ordered.length - 1;
    ordered.forEach((event, i) => {
      subscriber.add(
        scheduler.schedule(
          () => {
            subscriber.next(event);
            if (i === last) subscriber.complete();
          },
          Math.max(0, event.atMs - startMs),
        ),
      );
    });
    return undefined;
  });
}
