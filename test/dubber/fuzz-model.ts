/**
 * Arbitraries and the checker for the sink fuzz properties, shared by test/sink/protocol-fuzz.test.ts and
 * bench/sink-fuzz.ts. `runOrder` plays a random op list against real sessions and checks invariants.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { MediaWriter } from '../../src/dubber/store/sqlite/media-writer.ts';
import type { SinkStore } from '../../src/dubber/store/store.ts';
import { ANNOUNCEMENT_KINDS, type ClientMessage } from '../../src/protocol/messages.ts';
import { clientMessage } from '../../src/protocol/parse-message.ts';
import { REMOTE_SSRC, rtpStream, USER_SSRC } from '../harness/helpers.ts';
import { openParameters } from '../harness/open-message.ts';
import { createHarness } from './session-harness.ts';

/** Any text at all, JSON or not: what the parser must classify without throwing. */
export const clientTextArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

const positionMs = fc.nat({ max: 10_000_000 });
const base = {
  id: fc.constantFrom('rec-1', 'a.b:c-d_9'),
  seq: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  positionMs,
};

export const validClientMessageArbitrary: fc.Arbitrary<ClientMessage> = fc.oneof(
  fc
    .record(base)
    .map((b) =>
      clientMessage('open', { ...b, parameters: openParameters({ format: 'PCMA', ssrcs: [5, 6] }) }),
    ),
  fc.record(base).map((b) => clientMessage('paused', { ...b, parameters: {} })),
  fc.record(base).map((b) => clientMessage('resumed', { ...b, parameters: {} })),
  fc
    .record({
      ...base,
      kind: fc.constantFrom(...ANNOUNCEMENT_KINDS),
      sound: fc.constantFrom('announcement', 'beep' as const),
    })
    .map(({ kind, sound, ...b }) => clientMessage('announcement', { ...b, parameters: { kind, sound } })),
  fc
    .record({ ...base, index: fc.integer({ min: 1, max: 1000 }) })
    .map(({ index, ...b }) => clientMessage('tone', { ...b, parameters: { index } })),
  fc.record(base).map((b) => clientMessage('ping', { ...b, parameters: {} })),
  fc
    .record({ ...base, reason: fc.constantFrom('end', 'stopped', 'failure' as const) })
    .map(({ reason, ...b }) => clientMessage('close', { ...b, parameters: { reason } })),
  fc
    .record({
      ...base,
      code: fc.string({ minLength: 1, maxLength: 20 }),
      message: fc.string({ maxLength: 50 }),
    })
    .map(({ code, message, ...b }) => clientMessage('error', { ...b, parameters: { code, message } })),
);

export type OrderOp =
  | { readonly op: 'open' }
  | { readonly op: 'frame'; readonly packets: number; readonly unknownSsrc: boolean }
  | {
      readonly op: 'control';
      readonly type:
        | 'paused'
        | 'resumed'
        | 'announcement'
        | 'tone'
        | 'discarded'
        | 'close'
        | 'ping'
        | 'update';
      readonly advanceMs: number;
    }
  | { readonly op: 'garbage'; readonly text: string }
  | { readonly op: 'flush' }
  | { readonly op: 'drop' }
  /** The event loop's flush: with a media writer, audio-only commits go to it… */
  | { readonly op: 'flushSoon' }
  /** …and complete here (the writer's job in flight is waited for and acknowledged). */
  | { readonly op: 'settle' };

const controlArbitrary = fc.record({
  op: fc.constant('control' as const),
  type: fc.constantFrom(
    'paused',
    'resumed',
    'announcement',
    'tone',
    'discarded',
    'close',
    'ping',
    'update' as const,
  ),
  advanceMs: fc.nat({ max: 3000 }),
});

const frameArbitrary = fc.record({
  op: fc.constant('frame' as const),
  packets: fc.integer({ min: 1, max: 6 }),
  unknownSsrc: fc.boolean(),
});

export const orderRunArbitrary: fc.Arbitrary<OrderOp[]> = fc.array(
  fc.oneof(
    { weight: 2, arbitrary: fc.constant<OrderOp>({ op: 'open' }) },
    { weight: 5, arbitrary: frameArbitrary },
    { weight: 5, arbitrary: controlArbitrary },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('garbage' as const), text: fc.string({ maxLength: 30 }) }),
    },
    { weight: 3, arbitrary: fc.constant<OrderOp>({ op: 'flush' }) },
    { weight: 1, arbitrary: fc.constant<OrderOp>({ op: 'drop' }) },
  ),
  { maxLength: 40 },
);

/**
 * For the media writer: mostly audio and the event loop's flushes (so commits go to the writer and pile up
 * behind a job in flight), with controls, writer completions, synchronous flushes and drops in between.
 */
export const writerOrderRunArbitrary: fc.Arbitrary<OrderOp[]> = fc
  .array(
    fc.oneof(
      { weight: 1, arbitrary: fc.constant<OrderOp>({ op: 'open' }) },
      { weight: 6, arbitrary: frameArbitrary },
      { weight: 2, arbitrary: controlArbitrary },
      { weight: 4, arbitrary: fc.constant<OrderOp>({ op: 'flushSoon' }) },
      { weight: 2, arbitrary: fc.constant<OrderOp>({ op: 'settle' }) },
      { weight: 1, arbitrary: fc.constant<OrderOp>({ op: 'flush' }) },
      { weight: 1, arbitrary: fc.constant<OrderOp>({ op: 'drop' }) },
    ),
    { minLength: 10, maxLength: 60, size: 'large' },
  )
  // Opened first, so most of the run has audio to commit.
  .map((ops) => [{ op: 'open' } as const, ...ops]);

export interface RunOrderOptions {
  readonly store?: SinkStore;
  readonly mediaWriter?: MediaWriter;
  /** A recording id of its own when runs share a store (default 'rec-1'). */
  readonly recordingId?: string;
}

/** Plays `ops`; reconnects after a drop or a fatal close. Throws (fails the property) on any broken invariant. */
/** Returns how many commits the media writer wrote. */
export function runOrder(ops: readonly OrderOp[], options: RunOrderOptions = {}): { writerCommits: number } {
  const recordingId = options.recordingId ?? 'rec-1';
  const h = createHarness({}, options);
  /** Checkpoints already checked, per connection (by its message list). */
  const checked = new WeakMap<object, number>();
  let conn = h.connect();
  let positionMs = 0;
  let nextSeq = 1000;
  let connections = 1;
  const fresh = () => {
    conn = h.connect();
    connections += 1;
  };
  for (const step of ops) {
    if (conn.closed !== undefined) fresh();
    switch (step.op) {
      case 'open':
        conn.open();
        break;
      case 'frame': {
        const ssrc = step.unknownSsrc ? 0xbad : USER_SSRC;
        conn.frame([
          ...rtpStream(ssrc, step.packets, nextSeq, nextSeq * 160),
          ...rtpStream(REMOTE_SSRC, 1, nextSeq, nextSeq * 160),
        ]);
        nextSeq += step.packets;
        break;
      }
      case 'control': {
        positionMs += step.advanceMs;
        const parameters =
          step.type === 'announcement' ? { kind: 'start' } : step.type === 'tone' ? { index: 1 } : {};
        conn.send(step.type, positionMs, parameters);
        break;
      }
      case 'garbage':
        conn.raw(step.text);
        break;
      case 'flush':
        h.flush();
        break;
      case 'drop':
        conn.session.onTransportClosed();
        h.flush();
        fresh();
        break;
      case 'flushSoon':
        h.flushSoon();
        break;
      case 'settle':
        options.mediaWriter?.drainSync();
        break;
    }
    // A checkpoint promises only what is stored: never more packets than the store holds when it is sent.
    const stored = h.store.getRecording(recordingId) === undefined ? 0 : h.store.countPackets(recordingId);
    const seen = checked.get(conn.received) ?? 0;
    for (const m of conn.received.slice(seen)) {
      if (m.type === 'checkpoint') expect(m.parameters.packets).toBeLessThanOrEqual(stored);
    }
    checked.set(conn.received, conn.received.length);
    // Server seq is 1, 2, 3… on each connection; after a fatal error nothing else is sent.
    conn.received.forEach((m, i) => {
      expect(m.seq).toBe(i + 1);
    });
    const fatal = conn.received.findIndex((m) => m.type === 'error' && m.parameters.fatal);
    if (fatal >= 0) expect(conn.received.length).toBe(fatal + 1);
  }
  h.flush();
  expect(connections).toBeGreaterThan(0);
  const writerCommits = h.hub.writerCommits;
  const recording = h.store.getRecording(recordingId);
  if (recording === undefined) return { writerCommits };
  const segments = h.store.getSegments(recordingId);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as (typeof segments)[number];
    expect(s.index).toBe(i);
    if (s.endMs !== null) expect(s.endMs).toBeGreaterThanOrEqual(s.startMs);
    const next = segments[i + 1];
    if (next !== undefined) expect(next.startMs).toBeGreaterThanOrEqual(s.endMs ?? Number.POSITIVE_INFINITY);
  }
  const open = segments.filter((s) => s.endMs === null).length;
  expect(open).toBe(recording.state === 'active' ? 1 : 0);
  const streams = h.store.getStreams(recordingId);
  const received = streams.reduce((n, s) => n + s.received, 0);
  expect(h.store.countPackets(recordingId)).toBe(recording.state === 'discarded' ? 0 : received);
  if (recording.state === 'discarded') expect(h.store.countPackets(recordingId)).toBe(0);
  for (const s of streams) expect([1, 2]).toContain(s.label);
  if (options.store === undefined) h.store.close();
  return { writerCommits };
}
