/**
 * What a scenario run produces: the data behind the console summary and the JSON, JUnit and HTML reports.
 * Everything here is a function of the scenario files and the seed (no wall-clock time), so the same
 * seed gives a byte-identical JSON report.
 */
import type { CallLogEvent } from '../../machines/call-events.ts';

export interface ExpectationFailure {
  /** Where the expectation is, e.g. `expect.calls.c1.tones`. */
  readonly expectation: string;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly message: string;
}

export interface StepOutcome {
  readonly index: number;
  readonly atMs: number;
  readonly kind: string;
  readonly summary: string;
  readonly error?: { readonly code: string; readonly message: string; readonly expected: boolean };
}

export interface StreamReport {
  readonly label: 1 | 2;
  readonly party: 'user' | 'remote';
  readonly ssrc: number;
  readonly packets: number;
  readonly lost: number;
}

export interface RecordingReport {
  readonly id: string;
  readonly openedAtMs: number;
  readonly closedAtMs: number;
  readonly recordedMs: number;
  readonly segments: readonly { readonly startMs: number; readonly endMs: number }[];
  readonly pauses: readonly { readonly pausedAtMs: number; readonly resumedAtMs: number | null }[];
  readonly announcements: readonly {
    readonly atMs: number;
    readonly kind: string;
    readonly reportedToDubber: boolean;
  }[];
  readonly tones: readonly number[];
  readonly streams: readonly StreamReport[];
  /** Whether the sink acknowledged storing it (false when no sink took part). */
  readonly stored: boolean;
  /** The id the sink stored it under (set when a sink took part); its portal page is at `/portal/recordings/<id>`. */
  readonly sinkRecordingId?: string;
}

export interface CallReport {
  readonly id: string;
  readonly user: string;
  readonly mode: string;
  readonly direction: 'incoming' | 'outgoing';
  readonly remote: 'internal' | 'pstn';
  readonly voicemail: boolean;
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  /** When the call's last scheduled event was due; a call that ended before it ended by itself. */
  readonly lastEventAtMs: number;
  readonly finalRecordingState: string;
  readonly tones: number;
  readonly recordedMs: number;
  readonly timeline: readonly CallLogEvent[];
  readonly recordings: readonly RecordingReport[];
  /** Who ended the call: the user (or the end of the scenario) hanging up, or the recorder failure behaviour. */
  readonly endedBy: 'hang-up' | 'recorder-failure' | null;
  /** Recordings Dubber refused when the recorder answered (S33); they are not among `recordings`. */
  readonly refusals: readonly DubberRefusal[];
}

export interface DubberRefusal {
  readonly recording: string;
  /** Scenario time the recording was to open at. */
  readonly atMs: number;
  readonly code: string;
  readonly message: string;
  /** The dub.point fields that differ. */
  readonly fields: readonly string[];
}

export interface ScenarioReport {
  readonly name: string;
  readonly file: string;
  readonly cites: readonly string[];
  readonly seed: string;
  readonly passed: boolean;
  readonly failures: readonly ExpectationFailure[];
  readonly steps: readonly StepOutcome[];
  readonly calls: readonly CallReport[];
  /** Virtual time the scenario covered. */
  readonly durationMs: number;
}

/** A scenario that was loaded but not run (`--bail` stopped the run before it). */
export interface SkippedScenario {
  readonly name: string;
  readonly file: string;
  readonly reason: string;
}

export interface RunReport {
  readonly tool: 'callrec';
  readonly version: string;
  readonly seed: string;
  readonly mode: 'virtual' | 'live';
  readonly sink: 'embedded' | 'external' | 'none';
  /** Where the sink's portal pages can show the stored recordings after the run (a persistent sink only). */
  readonly portalUrl?: string;
  readonly summary: { readonly scenarios: number; readonly passed: number; readonly failed: number };
  readonly scenarios: readonly ScenarioReport[];
  /** Scenarios not run, in file order; absent or empty when every loaded scenario ran. */
  readonly skipped?: readonly SkippedScenario[];
}
