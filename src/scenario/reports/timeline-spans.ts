/**
 * The intervals a call timeline is drawn from: how long the call was in each phase and the recording
 * in each state, read off the call log. Times stay in the scenario's virtual clock.
 */
import type { CallPhase, RecordingState } from '../../../machines/call-events.ts';
import type { CallReport } from '../report-types.ts';

export interface Span<T> {
  readonly startMs: number;
  readonly endMs: number;
  readonly value: T;
}

/** Where the drawing ends: the call's end, or later if something was logged or closed after it. */
export function timelineEndMs(call: CallReport): number {
  const last = Math.max(
    call.endedAtMs,
    ...call.timeline.map((e) => e.atMs),
    ...call.recordings.map((r) => r.closedAtMs),
  );
  // A zero-length call still needs a non-empty axis to divide by.
  return Math.max(last, call.startedAtMs + 1);
}

/**
 * Turns "value from this instant on" changes into spans; `hidden` values are not drawn. The last value
 * is kept even when it starts at the end (a recording that failed as the call ended), so it shows.
 */
function toSpans<T>(
  startMs: number,
  initial: T | undefined,
  changes: readonly { atMs: number; value: T }[],
  endMs: number,
  hidden: readonly T[],
): Span<T>[] {
  const spans: Span<T>[] = [];
  let current = initial;
  let since = startMs;
  const all = [...changes, { atMs: endMs, value: undefined }];
  for (const [index, change] of all.entries()) {
    const last = index === all.length - 1;
    if (
      current !== undefined &&
      !hidden.includes(current) &&
      (change.atMs > since || (last && change.atMs === since))
    ) {
      spans.push({ startMs: since, endMs: change.atMs, value: current });
    }
    current = change.value;
    since = change.atMs;
  }
  return spans;
}

export function phaseSpans(call: CallReport): Span<CallPhase>[] {
  const changes = call.timeline.flatMap((e) => (e.type === 'call' ? [{ atMs: e.atMs, value: e.phase }] : []));
  return toSpans<CallPhase>(call.startedAtMs, 'setup', changes, timelineEndMs(call), ['ended']);
}

export function recordingStateSpans(call: CallReport): Span<RecordingState>[] {
  const changes = call.timeline.flatMap((e) =>
    e.type === 'recording' ? [{ atMs: e.atMs, value: e.state }] : [],
  );
  // The state at hang-up is frozen (it is what the API reports), so it is drawn up to the call's end only.
  return toSpans<RecordingState>(call.startedAtMs, 'none', changes, call.endedAtMs, ['none']);
}
