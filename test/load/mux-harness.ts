/**
 * Drives multiplexed sink sessions without sockets: an in-memory store with users alice and bob (acme) and
 * carol (globex), a virtual clock, a hand-flushed session hub, and helpers to open recordings with their
 * own SSRCs and send frames mixing packets of several recordings.
 */

import { createSessionHub } from '../../src/dubber/ingest/session-hub.ts';
import { DEFAULT_SINK_LIMITS, type SinkLimits } from '../../src/dubber/limits.ts';
import { createProvisioning } from '../../src/dubber/provisioning.ts';
import { createSqliteStore } from '../../src/dubber/store/sqlite/sqlite-store.ts';
import { encodeMediaFrame } from '../../src/protocol/media-frame.ts';
import type { ServerMessage } from '../../src/protocol/messages.ts';
import { formatPosition } from '../../src/protocol/position.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';
import { dubPointOf, PLATFORM_KEY, provisionWorld } from '../harness/helpers.ts';

export interface MuxRecording {
  readonly id: string;
  readonly userId: string;
  readonly ssrcs: readonly [number, number];
}

export function createMuxHarness(limits: Partial<SinkLimits> = {}) {
  const clock = createVirtualClock();
  const store = createSqliteStore({ path: ':memory:' });
  provisionWorld(createProvisioning(store, clock));
  const hub = createSessionHub({
    store,
    clock,
    limits: { ...DEFAULT_SINK_LIMITS, openTimeoutMs: 0, ...limits },
    scheduleFlush: () => {},
  });

  function connect() {
    const received: ServerMessage[] = [];
    let closed: { code: number; reason: string } | undefined;
    const session = hub.createSession(PLATFORM_KEY, {
      sendText: (text) => received.push(JSON.parse(text) as ServerMessage),
      close: (code, reason) => {
        closed = { code, reason };
      },
    });
    let seq = 0;
    const conn = {
      session,
      received,
      get closed() {
        return closed;
      },
      send(type: string, id: string, positionMs: number, parameters: unknown = {}) {
        seq += 1;
        session.onText(
          JSON.stringify({ version: '1', id, type, seq, position: formatPosition(positionMs), parameters }),
        );
      },
      open(rec: MuxRecording, multiplex = true) {
        conn.send('open', rec.id, 0, {
          orgId: rec.userId === 'carol' ? 'globex' : 'acme',
          userId: rec.userId,
          dubPoint: dubPointOf(rec.userId),
          direction: 'outbound',
          remote: { type: 'pstn' },
          media: {
            format: 'PCMU',
            rate: 8000,
            streams: [
              { ssrc: rec.ssrcs[0], label: 1 },
              { ssrc: rec.ssrcs[1], label: 2 },
            ],
          },
          ...(multiplex ? { multiplex: true } : {}),
        });
      },
      frame(packets: readonly Uint8Array[]) {
        session.onBinary(encodeMediaFrame(packets));
      },
      of<T extends ServerMessage['type']>(type: T, id?: string) {
        return received.filter(
          (m): m is Extract<ServerMessage, { type: T }> =>
            m.type === type && (id === undefined || m.id === id),
        );
      },
      errors(id?: string) {
        return conn.of('error', id).map((m) => m.parameters.code);
      },
    };
    return conn;
  }

  return { clock, store, hub, connect, flush: () => hub.flush() };
}
