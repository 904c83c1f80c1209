/**
 * A drift-free 20 ms media clock on any RxJS scheduler. Each tick is a fresh top-level action (not
 * `interval`, and not `this.schedule` inside the action: both chain one subscription per tick, which
 * overflowed the stack and grew memory in long virtual calls — xstate-rxjs-notes.md).
 *
 * Same-instant rule: a tick due at `t` first yields once (a zero-delay hop) so that everything already
 * queued for `t` — gating events, prompts — runs before the tick decides what to emit.
 */
import type { SchedulerLike, Subscription } from 'rxjs';

export interface MediaTickerOptions {
  readonly scheduler: SchedulerLike;
  /** The timeline the slots are on (virtual ms, or ms since the real clock started). */
  readonly nowMs: () => number;
  /** Time of slot 0. */
  readonly originMs: number;
  /** First slot to tick (default 0); a resumed stream restarts on the same slot grid. */
  readonly firstSlot?: number;
  readonly periodMs: number;
  /** Called once per slot in order; return false to stop. */
  readonly onTick: (slot: number, slotMs: number) => boolean;
}

export interface MediaTicker {
  stop(): void;
}

export function startMediaTicker(options: MediaTickerOptions): MediaTicker {
  const { scheduler, nowMs, originMs, periodMs, onTick } = options;
  let slot = options.firstSlot ?? 0;
  let pending: Subscription | undefined;
  let stopped = false;

  const fire = (): void => {
    if (stopped) return;
    if (!onTick(slot, originMs + slot * periodMs)) {
      stopped = true;
      return;
    }
    slot++;
    arm();
  };
  const settle = (): void => {
    if (!stopped) pending = scheduler.schedule(fire, 0);
  };
  // The delay is computed from the slot's due time, not from the last tick, so real-time jitter in one
  // tick does not push every later packet back.
  const arm = (): void => {
    pending = scheduler.schedule(settle, Math.max(0, originMs + slot * periodMs - nowMs()));
  };
  arm();
  return {
    stop() {
      stopped = true;
      pending?.unsubscribe();
    },
  };
}
