/**
 * The sessions of one sink and their group commit: writes queued by every session during one event-loop
 * turn are applied in one transaction, then each session sends what waited for durability. Also keeps
 * one live session per recording (a reconnect supersedes the old connection). Socket-free, so tests can
 * drive it with a manual `flush`.
 */

import type { SinkKey } from '../../protocol/auth-signature.ts';
import type { SinkFault } from '../../protocol/sink-errors.ts';
import type { SimClock } from '../../time/clock.ts';
import type { SinkLimits } from '../limits.ts';
import type { MediaWriter } from '../store/sqlite/media-writer.ts';
import type { SinkStore } from '../store/store.ts';
import { createSinkSession, type SessionTransport, type SinkSession } from './session.ts';

export interface SessionHubOptions {
  readonly store: SinkStore;
  readonly clock: SimClock;
  readonly limits: SinkLimits;
  /** Arranges for `flush` to run soon (the server uses setImmediate; tests flush by hand). */
  readonly scheduleFlush: (flush: () => void) => void;
  readonly onStorageError?: (cause: unknown) => void;
  /**
   * Commits new audio on another thread (file databases, media-writer.ts): commits that only store audio
   * go to it, one at a time, and their checkpoints wait for it; every other commit stays on this thread.
   */
  readonly mediaWriter?: MediaWriter;
}

export interface SessionHub {
  createSession(key: SinkKey, transport: SessionTransport): SinkSession;
  /** Commits every queued write now, on this thread (after any audio the media writer is committing). */
  flush(): void;
  terminateAll(fault: SinkFault): void;
  /** Stops committing (the store is about to close). */
  stop(): void;
  readonly sessionCount: number;
  readonly commits: number;
  /** Commits whose audio the media writer thread wrote (included in `commits`). */
  readonly writerCommits: number;
  /** Packets newly stored by all commits so far (after dedupe). */
  readonly packetsStored: number;
  /** Packets dropped so far by sessions that ended and by those still open. */
  readonly packetsDropped: number;
}

export function createSessionHub(options: SessionHubOptions): SessionHub {
  const { store } = options;
  const sessions = new Set<SinkSession>();
  const liveByRecording = new Map<string, SinkSession>();
  /** Recordings (store keys) whose connection ended on this sink; the others were last carried by an earlier one. */
  const endedHere = new Set<string>();
  const dirty = new Set<SinkSession>();
  let flushScheduled = false;
  let commits = 0;
  let writerCommits = 0;
  let packetsStored = 0;
  let droppedByEnded = 0;
  let sessionsCreated = 0;
  let stopped = false;

  const writer = options.mediaWriter;
  const canDefer = (): boolean => writer?.healthy === true && store.deferMedia !== undefined;

  const committed = (batch: readonly SinkSession[], stored: number): void => {
    commits += 1;
    packetsStored += stored;
    for (const session of batch) session.afterCommit();
  };
  const failed = (batch: readonly SinkSession[], cause: unknown): void => {
    // Nothing in the batch is durable; every client in it reconnects and resends after its last checkpoint.
    options.onStorageError?.(cause);
    for (const session of batch) session.failStorage(cause);
  };

  const scheduleSoon = (): void => {
    if (flushScheduled) return;
    flushScheduled = true;
    options.scheduleFlush(flushSoon);
  };

  /** Applies the batch in one transaction; with `defer`, its new audio is committed by the media writer. */
  const commit = (batch: readonly SinkSession[], defer: boolean): void => {
    const job = defer ? writer?.createJob() : undefined;
    const applyAll = (): number => {
      let n = 0;
      for (const session of batch) n += session.applyPending();
      return n;
    };
    let stored: number;
    try {
      stored = store.transaction(() =>
        job !== undefined && store.deferMedia !== undefined ? store.deferMedia(job, applyAll) : applyAll(),
      );
    } catch (cause) {
      failed(batch, cause);
      return;
    }
    if (writer === undefined || job === undefined || (job.runCount === 0 && job.statsCount === 0)) {
      committed(batch, stored);
      return;
    }
    writer.submit(job, (error) => {
      if (error === undefined) {
        writerCommits += 1;
        committed(batch, stored);
      } else {
        store.forgetUncommitted?.();
        failed(batch, error);
      }
      // What arrived while the job was written waits in `dirty`.
      if (dirty.size > 0) scheduleSoon();
    });
  };

  /** The event loop's flush: defers pure audio commits to the media writer, one job at a time. */
  const flushSoon = (): void => {
    flushScheduled = false;
    if (dirty.size === 0 || stopped || writer?.busy) return; // a busy writer flushes again when done
    const batch = [...dirty];
    dirty.clear();
    commit(batch, canDefer() && batch.every((session) => !session.hasQueuedWrites()));
  };

  /** Commits every queued write now, on this thread, after the writer's job in flight: readers see it all. */
  const flush = (): void => {
    writer?.drainSync();
    if (dirty.size === 0 || stopped) return;
    const batch = [...dirty];
    dirty.clear();
    commit(batch, false);
  };

  const requestFlush = (session: SinkSession): void => {
    dirty.add(session);
    scheduleSoon();
  };

  const claimRecording = (recordingId: string, session: SinkSession): void => {
    const previous = liveByRecording.get(recordingId);
    liveByRecording.set(recordingId, session);
    // A one-recording connection ends; a multiplexed one just drops this recording.
    if (previous !== undefined && previous !== session) previous.supersede(recordingId);
  };

  return {
    createSession(key, transport) {
      const session = createSinkSession(
        {
          store,
          clock: options.clock,
          key,
          limits: options.limits,
          requestFlush,
          flushNow: (recordingId) => {
            // The connection that holds the recording may be gathering its audio for a later commit.
            liveByRecording.get(recordingId)?.sealRecording(recordingId);
            flush();
          },
          claimRecording,
          unseenBySink: (key) => !liveByRecording.has(key) && !endedHere.has(key),
          commitPhase: sessionsCreated,
          onEnded: (s) => {
            sessions.delete(s);
            droppedByEnded += s.packetsDropped;
            for (const id of s.recordingIds()) {
              endedHere.add(id);
              if (liveByRecording.get(id) === s) liveByRecording.delete(id);
            }
          },
        },
        transport,
      );
      sessionsCreated += 1;
      sessions.add(session);
      return session;
    },
    flush,
    terminateAll(fault) {
      for (const session of [...sessions]) session.terminate(fault);
    },
    stop() {
      // Sessions may hold media deferred by mediaCommitFrames; it is committed like everything else.
      for (const session of sessions) if (session.hasPending()) dirty.add(session);
      flush();
      stopped = true;
    },
    get sessionCount() {
      return sessions.size;
    },
    get commits() {
      return commits;
    },
    get writerCommits() {
      return writerCommits;
    },
    get packetsStored() {
      return packetsStored;
    },
    get packetsDropped() {
      let n = droppedByEnded;
      for (const session of sessions) n += session.packetsDropped;
      return n;
    },
  };
}
