/**
 * Deletes recordings whose retention ran out (S6, S10, S11), on the injected clock and on demand. The
 * rule itself is the domain's `retentionStatus`; this module only applies it to what is stored. Turning
 * recording off for a user does not matter here (S14): only the subscription history does.
 */
import { retentionStatus } from '../domain/retention.ts';
import type { SimClock } from '../time/clock.ts';
import type { SinkStore } from './store/store.ts';

export interface SweepResult {
  /** Recordings deleted by this sweep, with the moment their retention ended. */
  readonly deleted: readonly { readonly recordingId: string; readonly deletedAtMs: number }[];
}

export function sweepRetention(store: SinkStore, nowMs: number): SweepResult {
  return store.transaction(() => {
    const deleted: { recordingId: string; deletedAtMs: number }[] = [];
    for (const recording of store.listRecordings({})) {
      const history = store.getUser(recording.userId)?.subscription ?? [];
      const status = retentionStatus(recording, history, nowMs);
      if (status.state !== 'deleted') continue;
      store.purgeAudio(recording.recordingId);
      store.updateRecording(recording.recordingId, { deletedAtMs: status.deletedAtMs });
      deleted.push({ recordingId: recording.recordingId, deletedAtMs: status.deletedAtMs });
    }
    return { deleted };
  });
}

export interface SweepSchedule {
  stop(): void;
}

/** Runs `sweep` every `intervalMs` on the clock (virtual in tests, real in the CLI). */
export function scheduleRetentionSweep(
  clock: SimClock,
  intervalMs: number,
  sweep: () => void,
): SweepSchedule {
  let timer: unknown;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    sweep();
    timer = clock.setTimeout(tick, intervalMs);
  };
  timer = clock.setTimeout(tick, intervalMs);
  return {
    stop() {
      stopped = true;
      clock.clearTimeout(timer);
    },
  };
}
