/**
 * The names a `timeline` expectation gives the events a call report shows: `<type>-<detail>` in the
 * words of the report (`call-ended`, `recording-pending`, `announcement-start`, `tone`, `rejected` …).
 * Listed from the call log's own unions, so a new kind of event cannot be left out by accident.
 */
import type {
  AnnouncementKind,
  CallLogEvent,
  CallPhase,
  Indicator,
  MediaAction,
  RecordingState,
} from '../../../machines/call-events.ts';

const PHASES = { setup: 1, connected: 1, held: 1, ended: 1 } satisfies Record<CallPhase, 1>;
const STATES = {
  none: 1,
  pending: 1,
  started: 1,
  paused: 1,
  stopped: 1,
  failed: 1,
} satisfies Record<RecordingState, 1>;
const INDICATORS = { off: 1, recording: 1, paused: 1 } satisfies Record<Indicator, 1>;
const MEDIA = {
  open: 1,
  keep: 1,
  pause: 1,
  resume: 1,
  close: 1,
  discard: 1,
} satisfies Record<MediaAction, 1>;
const ANNOUNCEMENTS = {
  start: 1,
  stop: 1,
  pause: 1,
  resume: 1,
  failure: 1,
} satisfies Record<AnnouncementKind, 1>;
const RECORDER = { requested: 1, connected: 1, unreachable: 1 } satisfies Record<
  Extract<CallLogEvent, { type: 'recorder' }>['status'],
  1
>;

const names = (prefix: string, values: object) => Object.keys(values).map((v) => `${prefix}-${v}`);

/** Every event name a timeline entry may use; `dubber-refused` is Dubber refusing a recording (S33). */
export const TIMELINE_EVENT_NAMES: readonly [string, ...string[]] = [
  'tone',
  ...names('call', PHASES),
  ...names('recording', STATES),
  ...names('indicator', INDICATORS),
  ...names('media', MEDIA),
  ...names('announcement', ANNOUNCEMENTS),
  ...names('recorder', RECORDER),
  'rejected',
  'dubber-refused',
];

/** The timeline name of one call-log entry. */
export function timelineEventName(event: CallLogEvent): string {
  switch (event.type) {
    case 'call':
      return `call-${event.phase}`;
    case 'recording':
      return `recording-${event.state}`;
    case 'indicator':
      return `indicator-${event.indicator}`;
    case 'media':
      return `media-${event.action}`;
    case 'announcement':
      return `announcement-${event.kind}`;
    case 'tone':
      return 'tone';
    case 'recorder':
      return `recorder-${event.status}`;
    case 'rejected':
      return 'rejected';
  }
}
