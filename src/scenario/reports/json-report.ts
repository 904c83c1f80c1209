/**
 * The machine-readable report: the RunReport as JSON with a fixed key order, 2-space indent and a
 * trailing newline, so the same seed gives byte-identical files that diff cleanly between runs.
 */
import type {
  CallReport,
  ExpectationFailure,
  RecordingReport,
  RunReport,
  ScenarioReport,
  StepOutcome,
  StreamReport,
} from '../report-types.ts';
import { type KeyShape, orderKeys } from './key-order.ts';

/** Lists every key of T in the order wanted; a type error names any key left out, so the order stays complete. */
function keysOf<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K &
      (Exclude<keyof T, K[number]> extends never ? unknown : { missing: Exclude<keyof T, K[number]> }),
  ): readonly string[] => keys;
}

const RECORDING: KeyShape = {
  keys: keysOf<RecordingReport>()([
    'id',
    'openedAtMs',
    'closedAtMs',
    'recordedMs',
    'segments',
    'pauses',
    'announcements',
    'tones',
    'streams',
    'stored',
    'sinkRecordingId',
  ]),
  nested: {
    segments: { keys: ['startMs', 'endMs'] },
    pauses: { keys: ['pausedAtMs', 'resumedAtMs'] },
    announcements: { keys: ['atMs', 'kind', 'reportedToDubber'] },
    streams: { keys: keysOf<StreamReport>()(['label', 'party', 'ssrc', 'packets', 'lost']) },
  },
};

const CALL: KeyShape = {
  keys: keysOf<CallReport>()([
    'id',
    'user',
    'mode',
    'direction',
    'remote',
    'voicemail',
    'startedAtMs',
    'endedAtMs',
    'lastEventAtMs',
    'finalRecordingState',
    'tones',
    'recordedMs',
    'timeline',
    'recordings',
    'endedBy',
    'refusals',
  ]),
  // Events lead with when and what; their other fields follow alphabetically.
  nested: { timeline: { keys: ['atMs', 'type'] }, recordings: RECORDING },
};

const SCENARIO: KeyShape = {
  keys: keysOf<ScenarioReport>()([
    'name',
    'file',
    'cites',
    'seed',
    'passed',
    'durationMs',
    'failures',
    'steps',
    'calls',
  ]),
  nested: {
    failures: { keys: keysOf<ExpectationFailure>()(['expectation', 'message', 'expected', 'actual']) },
    steps: {
      keys: keysOf<StepOutcome>()(['index', 'atMs', 'kind', 'summary', 'error']),
      nested: { error: { keys: ['code', 'message', 'expected'] } },
    },
    calls: CALL,
  },
};

const RUN: KeyShape = {
  keys: keysOf<RunReport>()([
    'tool',
    'version',
    'seed',
    'mode',
    'sink',
    'portalUrl',
    'summary',
    'scenarios',
    'skipped',
  ]),
  nested: {
    summary: { keys: ['scenarios', 'passed', 'failed'] },
    scenarios: SCENARIO,
    skipped: { keys: ['name', 'file', 'reason'] },
  },
};

export function renderJsonReport(report: RunReport): string {
  return `${JSON.stringify(orderKeys(report, RUN), null, 2)}\n`;
}
