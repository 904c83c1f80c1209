/** Drives sink sessions without sockets: an in-memory store, a virtual clock and a hand-flushed session hub. */

import { createSessionHub } from '../../src/dubber/ingest/session-hub.ts';
import { DEFAULT_SINK_LIMITS, type SinkLimits } from '../../src/dubber/limits.ts';
import { createPortal } from '../../src/dubber/portal.ts';
import { createProvisioning } from '../../src/dubber/provisioning.ts';
import type { MediaWriter } from '../../src/dubber/store/sqlite/media-writer.ts';
import { createSqliteStore } from '../../src/dubber/store/sqlite/sqlite-store.ts';
import type { SinkStore } from '../../src/dubber/store/store.ts';
import type { SinkKey } from '../../src/protocol/auth-signature.ts';
import { encodeMediaFrame } from '../../src/protocol/media-frame.ts';
import type { ServerMessage } from '../../src/protocol/messages.ts';
import { formatPosition } from '../../src/protocol/position.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';
import { dubPointOf, PLATFORM_KEY, provisionWorld, REMOTE_SSRC, USER_SSRC } from '../harness/helpers.ts';

export function createHarness(
  limits: Partial<SinkLimits> = {},
  options: {
    readonly mediaWriter?: MediaWriter;
    /** A store to use (e.g. on a file the writer thread can open); default a new in-memory one. */
    readonly store?: SinkStore;
    /** The recording id connections use until they open another (default 'rec-1'). */
    readonly recordingId?: string;
  } = {},
) {
  const clock = createVirtualClock();
  /** The flush the hub asked the event loop for, run by `flushSoon`. */
  let scheduled: (() => void) | undefined;
  const store = options.store ?? createSqliteStore({ path: ':memory:' });
  const provisioning = createProvisioning(store, clock);
  provisionWorld(provisioning);
  const hub = createSessionHub({
    store,
    clock,
    limits: { ...DEFAULT_SINK_LIMITS, openTimeoutMs: 0, ...limits },
    scheduleFlush: (flush) => {
      scheduled = flush;
    },
    ...(options.mediaWriter === undefined ? {} : { mediaWriter: options.mediaWriter }),
  });

  function connect(key: SinkKey = PLATFORM_KEY) {
    const received: ServerMessage[] = [];
    let closed: { code: number; reason: string } | undefined;
    const session = hub.createSession(key, {
      sendText: (text) => received.push(JSON.parse(text) as ServerMessage),
      close: (code, reason) => {
        closed = { code, reason };
      },
    });
    let seq = 0;
    let id = options.recordingId ?? 'rec-1';
    const conn = {
      session,
      received,
      get closed() {
        return closed;
      },
      /** Sends a text message with the next seq (or the given overrides). */
      send(
        type: string,
        positionMs: number,
        parameters: unknown = {},
        overrides: Record<string, unknown> = {},
      ) {
        seq += 1;
        session.onText(
          JSON.stringify({
            version: '1',
            id,
            type,
            seq,
            position: formatPosition(positionMs),
            parameters,
            ...overrides,
          }),
        );
      },
      raw(text: string) {
        session.onText(text);
      },
      open(
        options: { id?: string; userId?: string; orgId?: string; dubPoint?: object; format?: string } = {},
      ) {
        id = options.id ?? id;
        const userId = options.userId ?? 'alice';
        conn.send('open', 0, {
          orgId: options.orgId ?? 'acme',
          userId,
          dubPoint: options.dubPoint ?? dubPointOf(userId),
          direction: 'outbound',
          remote: { type: 'internal' },
          media: {
            format: options.format ?? 'PCMU',
            rate: 8000,
            streams: [
              { ssrc: USER_SSRC, label: 1 },
              { ssrc: REMOTE_SSRC, label: 2 },
            ],
          },
        });
      },
      frame(packets: readonly Uint8Array[]) {
        session.onBinary(encodeMediaFrame(packets));
      },
      last(): ServerMessage | undefined {
        return received.at(-1);
      },
      ofType<T extends ServerMessage['type']>(type: T) {
        return received.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
      },
      errors() {
        return conn.ofType('error').map((m) => m.parameters.code);
      },
    };
    return conn;
  }

  return {
    clock,
    store,
    provisioning,
    hub,
    connect,
    portal: createPortal(store, clock, {
      maxWavDurationMs: limits.maxWavDurationMs ?? DEFAULT_SINK_LIMITS.maxWavDurationMs,
    }),
    flush: () => hub.flush(),
    /** Runs the flush the hub scheduled, as the event loop would (with a media writer, audio is deferred). */
    flushSoon: () => {
      const flush = scheduled;
      scheduled = undefined;
      flush?.();
    },
  };
}
