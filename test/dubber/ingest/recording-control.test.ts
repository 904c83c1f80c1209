/**
 * Recording control as a table: each row is a recording (state, segments), a control message and the
 * step the ingest core must apply — next state, segment change, storage write, what the commit answers,
 * or the reason the message is refused (S23 pause/resume, S26 announcements, S29 tones, S21 On Demand discard).
 */
import { describe, expect, it } from 'vitest';
import {
  type ControlMessage,
  type ControlSegment,
  type ControlState,
  type ControlStep,
  controlRecording,
} from '../../../src/dubber/ingest/recording-control.ts';
import type { ClientMessageOf, ClientMessageType } from '../../../src/protocol/messages.ts';
import { clientMessage } from '../../../src/protocol/parse-message.ts';

const seg = (index: number, startMs: number, endMs: number | null = null): ControlSegment => ({
  index,
  startMs,
  endMs,
});

function msg<T extends Exclude<ClientMessageType, 'open'>>(
  type: T,
  parameters: ClientMessageOf<T>['parameters'],
): ControlMessage {
  return clientMessage(type, { id: 'r1', seq: 2, positionMs: 0, parameters }) as ControlMessage;
}

const ACTIVE: ControlState = { state: 'active', segments: [seg(0, 0)] };
const PAUSED: ControlState = { state: 'paused', segments: [seg(0, 0, 4_000)] };
const RESUMED: ControlState = { state: 'active', segments: [seg(0, 0, 4_000), seg(1, 6_000)] };
const CLOSED: ControlState = { state: 'closed', segments: [seg(0, 0, 9_000)] };
const DISCARDED: ControlState = { state: 'discarded', segments: [seg(0, 0, 3_000)] };

interface Row {
  readonly name: string;
  readonly given: ControlState;
  readonly message: ControlMessage;
  readonly atMs: number;
  readonly step: ControlStep;
}

const ROWS: readonly Row[] = [
  {
    name: 'ping: answered by a pong once everything before it is durable',
    given: ACTIVE,
    message: msg('ping', {}),
    atMs: 1_000,
    step: { state: 'active', awaits: 'pong', answered: false },
  },
  {
    name: 'pause of an active recording ends its segment',
    given: ACTIVE,
    message: msg('paused', {}),
    atMs: 4_000,
    step: {
      state: 'paused',
      endSegmentAtMs: 4_000,
      write: { kind: 'pause', segmentIndex: 0, positionMs: 4_000 },
      answered: true,
    },
  },
  {
    name: 'pause resent at the same position: already applied, nothing to do',
    given: PAUSED,
    message: msg('paused', {}),
    atMs: 4_000,
    step: { state: 'paused', answered: false },
  },
  {
    name: 'pause of a paused recording at another position is refused',
    given: PAUSED,
    message: msg('paused', {}),
    atMs: 5_000,
    step: { state: 'paused', answered: false, refused: 'the recording is paused' },
  },
  {
    name: 'pause before the current segment started is refused',
    given: RESUMED,
    message: msg('paused', {}),
    atMs: 5_000,
    step: { state: 'active', answered: false, refused: 'it precedes the start of the current segment' },
  },
  {
    name: 'resume of a paused recording starts the next segment',
    given: PAUSED,
    message: msg('resumed', {}),
    atMs: 6_000,
    step: {
      state: 'active',
      startSegment: seg(1, 6_000),
      write: { kind: 'resume', segmentIndex: 1, positionMs: 6_000 },
      answered: true,
    },
  },
  {
    name: 'resume resent at the start of the current segment: already applied',
    given: RESUMED,
    message: msg('resumed', {}),
    atMs: 6_000,
    step: { state: 'active', answered: false },
  },
  {
    name: 'resume of an active recording is refused',
    given: ACTIVE,
    message: msg('resumed', {}),
    atMs: 6_000,
    step: { state: 'active', answered: false, refused: 'the recording is active, not paused' },
  },
  {
    name: 'resume before the pause is refused',
    given: PAUSED,
    message: msg('resumed', {}),
    atMs: 3_000,
    step: { state: 'paused', answered: false, refused: 'it precedes the pause' },
  },
  {
    name: 'announcement of a live recording is stored as an event',
    given: PAUSED,
    message: msg('announcement', { kind: 'pause', sound: 'beep' }),
    atMs: 4_000,
    step: {
      state: 'paused',
      write: {
        kind: 'event',
        row: { type: 'announcement', kind: 'pause', positionMs: 4_000, detail: { sound: 'beep' } },
      },
      answered: true,
    },
  },
  {
    name: 'tone of a live recording is stored with its index',
    given: ACTIVE,
    message: msg('tone', { index: 3 }),
    atMs: 60_000,
    step: {
      state: 'active',
      write: { kind: 'event', row: { type: 'tone', kind: '3', positionMs: 60_000, detail: { index: 3 } } },
      answered: true,
    },
  },
  {
    name: 'a client-reported error is stored as an event',
    given: ACTIVE,
    message: msg('error', { code: 'MEDIA_LOST', message: 'no audio from the remote party' }),
    atMs: 2_000,
    step: {
      state: 'active',
      write: {
        kind: 'event',
        row: {
          type: 'client-error',
          kind: 'MEDIA_LOST',
          positionMs: 2_000,
          detail: { message: 'no audio from the remote party' },
        },
      },
      answered: true,
    },
  },
  {
    name: 'an event after the close is refused',
    given: CLOSED,
    message: msg('tone', { index: 1 }),
    atMs: 10_000,
    step: { state: 'closed', answered: false, refused: 'the recording is closed' },
  },
  {
    name: 'discard of an active recording ends its segment and purges it',
    given: ACTIVE,
    message: msg('discarded', {}),
    atMs: 3_000,
    step: {
      state: 'discarded',
      endSegmentAtMs: 3_000,
      write: { kind: 'discard', positionMs: 3_000 },
      answered: true,
    },
  },
  {
    name: 'discard of a paused recording keeps the segment end of the pause',
    given: PAUSED,
    message: msg('discarded', {}),
    atMs: 5_000,
    step: { state: 'discarded', write: { kind: 'discard', positionMs: 5_000 }, answered: true },
  },
  {
    name: 'discard resent: already discarded',
    given: DISCARDED,
    message: msg('discarded', {}),
    atMs: 3_000,
    step: { state: 'discarded', answered: false },
  },
  {
    name: 'discard of a closed recording is refused',
    given: CLOSED,
    message: msg('discarded', {}),
    atMs: 9_500,
    step: { state: 'closed', answered: false, refused: 'the recording is closed' },
  },
  {
    name: 'close of an active recording ends its segment and is answered with closed',
    given: ACTIVE,
    message: msg('close', { reason: 'stopped' }),
    atMs: 9_000,
    step: {
      state: 'closed',
      endSegmentAtMs: 9_000,
      write: { kind: 'close', positionMs: 9_000, reason: 'stopped' },
      awaits: 'closed',
      answered: true,
    },
  },
  {
    name: 'close of a paused recording',
    given: PAUSED,
    message: msg('close', { reason: 'end' }),
    atMs: 7_000,
    step: {
      state: 'closed',
      write: { kind: 'close', positionMs: 7_000, reason: 'end' },
      awaits: 'closed',
      answered: true,
    },
  },
  {
    name: 'close resent after the close: nothing stored, answered with closed again',
    given: CLOSED,
    message: msg('close', { reason: 'end' }),
    atMs: 9_000,
    step: { state: 'closed', awaits: 'closed', answered: true },
  },
  {
    name: 'close of a discarded recording: answered with closed (state discarded)',
    given: DISCARDED,
    message: msg('close', { reason: 'end' }),
    atMs: 3_000,
    step: { state: 'discarded', awaits: 'closed', answered: true },
  },
];

describe('recording control', () => {
  it.each(ROWS)('$name', ({ given, message, atMs, step }) => {
    expect(controlRecording(given, message, atMs)).toEqual(step);
  });

  it('covers every control message type', () => {
    const types = new Set(ROWS.map((r) => r.message.type));
    expect([...types].sort()).toEqual(
      ['announcement', 'close', 'discarded', 'error', 'paused', 'ping', 'resumed', 'tone'].sort(),
    );
  });

  it('never changes the state it is given', () => {
    for (const { given, message, atMs } of ROWS) {
      const before = structuredClone(given);
      controlRecording(given, message, atMs);
      expect(given).toEqual(before);
    }
  });
});
