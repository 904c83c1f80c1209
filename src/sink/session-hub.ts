/**
 * The sessions of one sink and their group commit: writes queued by every session during one event-loop
 * turn are applied in one transaction, then each session sends what waited for durability. Also keeps
 * one live session per recording (a reconnect supersedes the old connection). Socket-free, so tests can
 * drive it with a manual `flush`.
 */
import type { SimClock } from '../time/clock.ts';
import type { SinkKey } from './auth-signature.ts';
import type { SinkLimits } from './limits.ts';
import { createSinkSession, type SessionTransport, type SinkSession } from './session.ts';
import { type SinkFault, sinkFault } from './sink-errors.ts';
import type { SinkStore } from './store.ts';

export interface SessionHubOptions {
  readonly store: SinkStore;
  readonly clock: SimClock;
  readonly limits: SinkLimits;
  /** Arranges for `flush` to run soon (the server uses setImmediate; tests flush by hand). */
  readonly scheduleFlush: (flush: () => void) => void;
  readonly onStorageError?: (cause: unknown) => void;
}

export interface SessionHub {
  createSession(key: SinkKey, transport: SessionTransport): SinkSession;
  /** Commits every queued write now. */
  flush(): void;
  terminateAll(fault: SinkFault): void;
  /** Stops committing (the store is about to close). */
  stop(): void;
  readonly sessionCount: number;
  readonly commits: number;
}

export function createSessionHub(options: SessionHubOptions): SessionHub {
  const { store } = options;
  const sessions = new Set<SinkSession>();
  const liveByRecording = new Map<string, SinkSession>();
  const dirty = new Set<SinkSession>();
  let flushScheduled = false;
  let commits = 0;
  let stopped = false;

  const flush = (): void => {
    flushScheduled = false;
    if (dirty.size === 0 || stopped) return;
    const batch = [...dirty];
    dirty.clear();
    try {
      store.transaction(() => {
        for (const session of batch) session.applyPending();
      });
      commits += 1;
    } catch (cause) {
      // Nothing in the batch is durable; every client in it reconnects and resends after its last checkpoint.
      options.onStorageError?.(cause);
      for (const session of batch) session.failStorage(cause);
      return;
    }
    for (const session of batch) session.afterCommit();
  };

  const requestFlush = (session: SinkSession): void => {
    dirty.add(session);
    if (!flushScheduled) {
      flushScheduled = true;
      options.scheduleFlush(flush);
    }
  };

  const claimRecording = (recordingId: string, session: SinkSession): void => {
    const previous = liveByRecording.get(recordingId);
    liveByRecording.set(recordingId, session);
    if (previous !== undefined && previous !== session) {
      previous.terminate(
        sinkFault('SINK_ERR_SUPERSEDED', `Recording "${recordingId}" was opened on a newer connection.`),
      );
    }
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
          flushNow: flush,
          claimRecording,
          onEnded: (s) => {
            sessions.delete(s);
            const id = s.recordingId;
            if (id !== undefined && liveByRecording.get(id) === s) liveByRecording.delete(id);
          },
        },
        transport,
      );
      sessions.add(session);
      return session;
    },
    flush,
    terminateAll(fault) {
      for (const session of [...sessions]) session.terminate(fault);
    },
    stop() {
      flush();
      stopped = true;
    },
    get sessionCount() {
      return sessions.size;
    },
    get commits() {
      return commits;
    },
  };
}
