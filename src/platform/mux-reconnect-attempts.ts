/**
 * The reconnect attempts after one drop of a multiplexed connection: the first after reconnectDelayMs, each
 * later one after twice the wait before (at most maxReconnectDelayMs), at most maxReconnects of them. A
 * reconnect that works starts the count again. Timers come from the caller's clock.
 */
import type { TimerClock } from '../time/clock.ts';
import { type MuxReconnectPolicy, reconnectDelayMsOf } from './mux-reconnect-policy.ts';

export interface ReconnectAttempts {
  /** Attempts made since the drop. */
  readonly made: number;
  /** Schedules the next attempt, or calls `giveUp` when maxReconnects have been made. */
  next(): void;
  /** The reconnect worked: the next drop starts from the first attempt. */
  succeeded(): void;
  /** No more attempts (the connection failed or was ended). */
  cancel(): void;
}

export function createReconnectAttempts(
  policy: MuxReconnectPolicy,
  timers: TimerClock,
  on: { attempt(): void; giveUp(): void },
): ReconnectAttempts {
  let made = 0;
  let timer: unknown;
  const cancel = () => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  };
  return {
    get made() {
      return made;
    },
    next() {
      cancel();
      if (made >= policy.maxReconnects) return on.giveUp();
      made += 1;
      timer = timers.setTimeout(
        () => {
          timer = undefined;
          on.attempt();
        },
        reconnectDelayMsOf(policy, made),
      );
    },
    succeeded() {
      made = 0;
    },
    cancel,
  };
}
