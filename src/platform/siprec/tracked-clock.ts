/**
 * The shared clock with a record of the timers set through it, so the client can end them all when it
 * is closed: SIP transactions linger after their answer (Timer M, K, D keep absorbing retransmissions
 * for up to 32 s), and a closed client must not keep a process waiting for them.
 */
import type { SimClock } from '../../time/index.ts';

export interface TrackedClock extends SimClock {
  /** Clears every timer still pending. */
  clearAll(): void;
  readonly pending: number;
}

export function trackClock(clock: SimClock): TrackedClock {
  const pending = new Set<unknown>();
  return {
    scheduler: clock.scheduler,
    nowMs: () => clock.nowMs(),
    setTimeout(fn, timeoutMs) {
      const id: unknown = clock.setTimeout((...args: unknown[]) => {
        pending.delete(id);
        fn(...args);
      }, timeoutMs);
      pending.add(id);
      return id;
    },
    clearTimeout(id) {
      pending.delete(id);
      clock.clearTimeout(id);
    },
    clearAll() {
      for (const id of pending) clock.clearTimeout(id);
      pending.clear();
    },
    get pending() {
      return pending.size;
    },
  };
}
