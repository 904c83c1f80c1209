/**
 * The protocol session without sockets: the happy path, the robustness table of docs/sink-protocol.md
 * (each defect → its SINK_ERR code and policy), resume/dedupe, and the dub.point check (S33).
 */
import { describe, expect, it } from 'vitest';
import { SINK_ERROR_POLICIES, type SinkErrorCode } from '../../src/protocol/sink-errors.ts';
import { ACME_KEY, dubPointOf, interleave, REMOTE_SSRC, rtpStream, USER_SSRC } from '../harness/helpers.ts';
import { createHarness } from './session-harness.ts';

describe('happy path', () => {
  it('opens, stores media, checkpoints after control messages and answers ping after the commit', () => {
    const h = createHarness();
    const c = h.connect();
    c.open();
    expect(c.last()).toMatchObject({
      type: 'opened',
      seq: 1,
      clientseq: 1,
      parameters: { resumed: false, state: 'active' },
    });
    c.frame(interleave(rtpStream(USER_SSRC, 4), rtpStream(REMOTE_SSRC, 4)));
    c.send('announcement', 0, { kind: 'start' }); // S26
    c.send('ping', 0);
    expect(c.received).toHaveLength(1); // nothing durable yet, so nothing promised
    h.flush();
    expect(c.received.map((m) => m.type)).toEqual(['opened', 'checkpoint', 'pong']);
    expect(c.ofType('checkpoint')[0]).toMatchObject({ clientseq: 3, parameters: { frames: 1, packets: 8 } });
    expect(c.received.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(h.store.countPackets('rec-1')).toBe(8);
  });

  it('checkpoints media-only traffic every checkpointEveryFrames frames', () => {
    const h = createHarness({ checkpointEveryFrames: 3 });
    const c = h.connect();
    c.open();
    const packets = rtpStream(USER_SSRC, 7);
    for (const p of packets) {
      c.frame([p]);
      h.flush();
    }
    expect(c.ofType('checkpoint').map((m) => m.parameters.frames)).toEqual([3, 6]);
  });

  it('keeps pause gaps as segments and places audio after a resume at the resume position', () => {
    const h = createHarness();
    const c = h.connect();
    c.open();
    c.frame(rtpStream(USER_SSRC, 50, 0, 0)); // 0–1 s
    c.send('paused', 1000);
    c.send('announcement', 1000, { kind: 'pause', sound: 'beep' }); // S27
    c.send('resumed', 4000);
    // The media clock did not run during the pause here; the anchor puts it at 4 s anyway.
    c.frame(rtpStream(USER_SSRC, 50, 50, 50 * 160));
    c.send('close', 5000);
    h.flush();
    expect(c.last()).toMatchObject({ type: 'closed', parameters: { state: 'closed' } });
    expect(h.store.getSegments('rec-1')).toEqual([
      { index: 0, startMs: 0, endMs: 1000 },
      { index: 1, startMs: 4000, endMs: 5000 },
    ]);
    const positions = [...h.store.readPackets('rec-1')].map((p) => p.positionSamples);
    expect(positions[50]).toBe(4000 * 8);
    expect(positions[99]).toBe(4000 * 8 + 49 * 160);
  });
});

interface RobustnessCase {
  readonly name: string;
  readonly run: (c: ReturnType<ReturnType<typeof createHarness>['connect']>) => void;
  readonly code: SinkErrorCode;
}

const opened = (c: ReturnType<ReturnType<typeof createHarness>['connect']>) => c.open();

const FATAL_CASES: RobustnessCase[] = [
  { name: 'malformed JSON', run: (c) => c.raw('{oops'), code: 'SINK_ERR_MALFORMED_JSON' },
  {
    name: 'wrong version',
    run: (c) => c.send('open', 0, {}, { version: '0.9' }),
    code: 'SINK_ERR_UNSUPPORTED_VERSION',
  },
  { name: 'schema violation', run: (c) => c.send('open', 0, { orgId: 1 }), code: 'SINK_ERR_INVALID_MESSAGE' },
  { name: 'binary before open', run: (c) => c.frame(rtpStream(USER_SSRC, 1)), code: 'SINK_ERR_NOT_OPEN' },
  { name: 'control before open', run: (c) => c.send('paused', 0), code: 'SINK_ERR_NOT_OPEN' },
  { name: 'first seq not 1', run: (c) => c.send('ping', 0, {}, { seq: 2 }), code: 'SINK_ERR_SEQ' },
  {
    name: 'seq duplicate',
    run: (c) => {
      opened(c);
      c.send('ping', 0, {}, { seq: 1 });
    },
    code: 'SINK_ERR_SEQ',
  },
  {
    name: 'seq gap',
    run: (c) => {
      opened(c);
      c.send('ping', 0, {}, { seq: 5 });
    },
    code: 'SINK_ERR_SEQ',
  },
  {
    name: 'second open',
    run: (c) => {
      opened(c);
      opened(c);
    },
    code: 'SINK_ERR_ALREADY_OPEN',
  },
  {
    name: 'id of another recording',
    run: (c) => {
      opened(c);
      c.send('paused', 0, {}, { id: 'rec-2' });
    },
    code: 'SINK_ERR_ID_MISMATCH',
  },
  {
    name: 'broken binary framing',
    run: (c) => {
      opened(c);
      c.session.onBinary(new Uint8Array([0, 200, 1]));
    },
    code: 'SINK_ERR_BAD_FRAME',
  },
  { name: 'unsupported media', run: (c) => c.open({ format: 'G722' }), code: 'SINK_ERR_UNSUPPORTED_MEDIA' },
  { name: 'unknown user', run: (c) => c.open({ userId: 'mallory' }), code: 'SINK_ERR_UNKNOWN_USER' },
  { name: 'user of another org', run: (c) => c.open({ userId: 'carol' }), code: 'SINK_ERR_UNKNOWN_USER' },
];

describe('robustness: fatal defects send error, then close with the documented status', () => {
  it.each(FATAL_CASES)('$name → $code', ({ run, code }) => {
    const h = createHarness();
    const c = h.connect();
    run(c);
    const error = c.ofType('error').at(-1);
    expect(error?.parameters).toMatchObject({ code, fatal: true });
    expect(c.closed).toEqual({ code: SINK_ERROR_POLICIES[code].status, reason: code });
    // Never a crash, and nothing after the fatal message is processed.
    c.send('ping', 0);
    expect(c.ofType('error')).toHaveLength(1);
  });

  it('an org key cannot record for another organisation', () => {
    const h = createHarness();
    const c = h.connect(ACME_KEY);
    c.open({ userId: 'carol', orgId: 'globex', dubPoint: dubPointOf('carol', 'globex') });
    expect(c.errors()).toEqual(['SINK_ERR_FORBIDDEN_ORG']);
    expect(c.closed?.code).toBe(1008);
  });

  it('a connection that never opens is closed with 4000 when openTimeoutMs passes on the clock', () => {
    const h = createHarness({ openTimeoutMs: 5000 });
    const c = h.connect();
    h.clock.advanceBy(4999);
    expect(c.closed).toBeUndefined();
    h.clock.advanceBy(1);
    expect(c.closed).toEqual({ code: 4000, reason: 'SINK_ERR_OPEN_TIMEOUT' });
  });
});

describe('robustness: non-fatal defects get an error reply and the connection carries on', () => {
  it('unknown type (counted in seq), unknown SSRC, bad RTP, wrong payload type, out-of-state control', () => {
    const h = createHarness();
    const c = h.connect();
    c.open();
    c.send('update', 0, {}); // AudioHook has it; we do not
    c.frame([...rtpStream(0x999, 1), new Uint8Array(12).fill(0x40), ...rtpStream(USER_SSRC, 1, 5, 0, 8)]);
    c.send('resumed', 0); // not paused
    c.frame(rtpStream(USER_SSRC, 2));
    c.send('ping', 0);
    h.flush();
    expect(c.errors()).toEqual([
      'SINK_ERR_UNKNOWN_TYPE',
      'SINK_ERR_UNKNOWN_SSRC',
      'SINK_ERR_BAD_RTP',
      'SINK_ERR_BAD_RTP',
      'SINK_ERR_BAD_STATE',
    ]);
    expect(c.ofType('error').every((e) => !e.parameters.fatal)).toBe(true);
    expect(c.closed).toBeUndefined();
    expect(c.last()).toMatchObject({ type: 'pong', clientseq: 4 });
    expect(h.store.countPackets('rec-1')).toBe(2);
    expect(h.store.getStreams('rec-1')[0]).toMatchObject({ ssrc: USER_SSRC, received: 2, rejected: 1 });
  });

  it('audio while paused is dropped (no audio is fabricated or kept) and reported once', () => {
    const h = createHarness();
    const c = h.connect();
    c.open();
    c.send('paused', 0);
    c.frame(rtpStream(USER_SSRC, 3));
    c.frame(rtpStream(USER_SSRC, 3, 200));
    h.flush();
    expect(c.errors()).toEqual(['SINK_ERR_BAD_STATE']);
    expect(h.store.countPackets('rec-1')).toBe(0);
  });
});

describe('dub.points (S33)', () => {
  it('refuses to record a user whose dub.point differs, naming each mismatching field', () => {
    const h = createHarness();
    const c = h.connect();
    c.open({ dubPoint: { ...dubPointOf('alice'), externalGroup: 'acme-old', serviceProvider: 'sp-us-2' } });
    const error = c.ofType('error')[0];
    expect(error?.parameters.code).toBe('SINK_ERR_DUBPOINT_MISMATCH');
    expect(error?.parameters.message).toContain('serviceProvider');
    expect(error?.parameters.message).toContain('externalGroup');
    expect(error?.parameters.details?.mismatches).toEqual([
      { field: 'serviceProvider', expected: 'sp-us-2', actual: 'sp-eu-1' },
      { field: 'externalGroup', expected: 'acme-old', actual: 'acme' },
    ]);
    expect(c.closed?.code).toBe(1008);
    expect(h.store.getRecording('rec-1')).toBeUndefined();
  });

  it('records once the dub.point in Dubber is fixed', () => {
    const h = createHarness();
    const wrong = { ...dubPointOf('alice'), externalType: 'Other' };
    h.connect().open({ dubPoint: wrong });
    const user = h.provisioning.getUser('alice');
    h.provisioning.upsertUser({ ...(user as NonNullable<typeof user>), dubPoint: wrong });
    const c = h.connect();
    c.open({ dubPoint: wrong });
    expect(c.last()?.type).toBe('opened');
  });

  it('a disabled user (S14) cannot start new recordings', () => {
    const h = createHarness();
    h.provisioning.setRecordingEnabled({ userId: 'alice', enabled: false });
    const c = h.connect();
    c.open();
    expect(c.errors()).toEqual(['SINK_ERR_USER_DISABLED']);
  });
});

describe('resume after an unexpected close', () => {
  it('keeps the recording open, then resumes it on a new connection without duplicating resent data', () => {
    const h = createHarness();
    const first = h.connect();
    first.open();
    const user = rtpStream(USER_SSRC, 10);
    first.frame(user.slice(0, 6));
    first.send('paused', 120);
    h.flush();
    first.session.onTransportClosed(); // no close message
    h.flush();
    expect(h.store.getRecording('rec-1')).toMatchObject({ state: 'paused', interruptions: 1 });

    const second = h.connect();
    second.open();
    expect(second.last()).toMatchObject({
      type: 'opened',
      parameters: { resumed: true, state: 'paused', packets: 6 },
    });
    // The client did not see a checkpoint for all of it, so it resends everything: all duplicates.
    second.frame(user.slice(0, 6));
    second.send('paused', 120);
    second.send('resumed', 200);
    second.frame(user.slice(6));
    second.send('close', 400);
    h.flush();
    expect(second.errors()).toEqual(['SINK_ERR_BAD_STATE']); // the resent frame arrived while paused: dropped
    expect(h.store.countPackets('rec-1')).toBe(10);
    expect(h.store.getSegments('rec-1')).toHaveLength(2);
    expect(second.last()).toMatchObject({ type: 'closed', parameters: { state: 'closed' } });
  });

  it('drops duplicate packets resent while active and counts them', () => {
    const h = createHarness();
    const first = h.connect();
    first.open();
    const user = rtpStream(USER_SSRC, 8);
    first.frame(user.slice(0, 5));
    h.flush();
    first.session.onTransportClosed();
    const second = h.connect();
    second.open();
    second.frame(user);
    h.flush();
    expect(h.store.countPackets('rec-1')).toBe(8);
    expect(h.store.getStreams('rec-1')[0]).toMatchObject({ received: 8, duplicates: 5 });
  });

  it('a newer connection for the same recording supersedes the old one (4009)', () => {
    const h = createHarness();
    const first = h.connect();
    first.open();
    h.flush();
    const second = h.connect();
    second.open();
    expect(first.last()).toMatchObject({ type: 'disconnect', parameters: { reason: 'SINK_ERR_SUPERSEDED' } });
    expect(first.closed?.code).toBe(4009);
    expect(second.last()?.type).toBe('opened');
  });

  it('refuses to resume a recording as another user or with other media', () => {
    const h = createHarness();
    h.connect().open();
    h.flush();
    const other = h.connect();
    other.open({ userId: 'bob' });
    expect(other.errors()).toEqual(['SINK_ERR_RECORDING_CONFLICT']);
    const otherMedia = h.connect();
    otherMedia.open({ format: 'PCMA' });
    expect(otherMedia.errors()).toEqual(['SINK_ERR_RECORDING_CONFLICT']);
  });

  it('close is idempotent: a resent close after reconnect gets closed again', () => {
    const h = createHarness();
    const first = h.connect();
    first.open();
    first.send('close', 100);
    h.flush();
    first.session.onTransportClosed();
    const second = h.connect();
    second.open();
    expect(second.last()).toMatchObject({ type: 'opened', parameters: { state: 'closed' } });
    second.send('close', 100);
    h.flush();
    expect(second.last()).toMatchObject({ type: 'closed' });
    expect(second.errors()).toEqual([]);
  });
});

describe('discarded (On Demand never started)', () => {
  it('purges the provisional audio and hides the recording', () => {
    const h = createHarness();
    const c = h.connect();
    c.open();
    c.frame(rtpStream(USER_SSRC, 5));
    c.send('discarded', 100);
    c.send('close', 100);
    h.flush();
    expect(h.store.countPackets('rec-1')).toBe(0);
    expect(h.store.getRecording('rec-1')?.state).toBe('discarded');
    const token = h.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    expect(h.portal.list(token)).toEqual([]);
  });
});
