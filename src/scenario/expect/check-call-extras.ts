/**
 * Per-call expectations beyond the basic counts: the reasons of refused commands, the recorded segments
 * (a zero-length gap is not a pause), the timeline, and a recording Dubber refused (S33).
 */
import { formatDurationMs } from '../duration.ts';
import type { CallReport, RecordingReport } from '../report-types.ts';
import type { CallExpect } from '../schema.ts';
import { checkTimeline } from './check-timeline.ts';

type Fail = (expectation: string, expected: unknown, actual: unknown, message: string) => void;

/** Segments of all kept recordings in call time; segments that touch (a zero-length gap) are one. */
export function recordedSegments(call: CallReport): { fromMs: number; toMs: number }[] {
  const out: { fromMs: number; toMs: number }[] = [];
  for (const r of call.recordings) {
    for (const s of r.segments) {
      const fromMs = s.startMs - call.startedAtMs;
      const toMs = s.endMs - call.startedAtMs;
      if (toMs <= fromMs) continue;
      const last = out.at(-1);
      if (last !== undefined && last.toMs === fromMs) last.toMs = toMs;
      else out.push({ fromMs, toMs });
    }
  }
  return out;
}

/** Gaps in the recording that lasted: a pause resumed (or closed) at the same millisecond is no gap. */
export function countPauses(recordings: readonly RecordingReport[]): number {
  return recordings.reduce(
    (n, r) => n + r.pauses.filter((p) => (p.resumedAtMs ?? r.closedAtMs) > p.pausedAtMs).length,
    0,
  );
}

export function checkRejected(
  where: string,
  wanted: NonNullable<CallExpect['rejected']>,
  call: CallReport,
  fail: Fail,
): void {
  const refused = call.timeline.flatMap((e) => (e.type === 'rejected' ? [e] : []));
  const commands = wanted.map((w) => (typeof w === 'string' ? w : w.command));
  if (JSON.stringify(commands) !== JSON.stringify(refused.map((e) => e.command))) {
    fail(
      `${where}.rejected`,
      commands,
      refused.map((e) => `${e.command}: ${e.reason}`),
      'Commands the call refused',
    );
    return;
  }
  wanted.forEach((w, i) => {
    if (typeof w === 'string') return;
    const reason = refused[i]?.reason ?? '';
    if (!reason.includes(w.reasonIncludes)) {
      fail(
        `${where}.rejected[${i}]`,
        `${w.command} refused with a reason including "${w.reasonIncludes}"`,
        `${w.command}: ${reason}`,
        'Why the call refused the command',
      );
    }
  });
}

export function checkCallExtras(where: string, wanted: CallExpect, call: CallReport, fail: Fail): void {
  if (wanted.rejected !== undefined) checkRejected(where, wanted.rejected, call, fail);
  if (wanted.timeline !== undefined) checkTimeline(where, wanted.timeline, call, fail);
  if (wanted.segments !== undefined) {
    const actual = recordedSegments(call);
    const show = (s: { fromMs: number; toMs: number }) =>
      `${formatDurationMs(s.fromMs)} … ${formatDurationMs(s.toMs)}`;
    if (actual.length !== wanted.segments.length) {
      fail(
        `${where}.segments`,
        wanted.segments.map((s) => show({ fromMs: s.from, toMs: s.to })),
        actual.map(show),
        'Recorded segments in call time (a zero-length gap is not a pause)',
      );
    } else {
      wanted.segments.forEach((s, i) => {
        const a = actual[i];
        const tolerance = s.tolerance ?? 0;
        if (a === undefined) return;
        if (Math.abs(a.fromMs - s.from) > tolerance || Math.abs(a.toMs - s.to) > tolerance) {
          const tol = tolerance > 0 ? ` ± ${formatDurationMs(tolerance)}` : '';
          fail(
            `${where}.segments[${i}]`,
            `${show({ fromMs: s.from, toMs: s.to })}${tol}`,
            show(a),
            `Recorded segment ${i + 1} of call ${call.id}`,
          );
        }
      });
    }
  }
  if (wanted.refusedByDubber !== undefined) {
    const w = wanted.refusedByDubber;
    const fits = call.refusals.find(
      (r) =>
        (w.code === undefined || r.code === w.code) &&
        (w.fields === undefined ||
          JSON.stringify([...w.fields].sort()) === JSON.stringify([...r.fields].sort())) &&
        (w.messageIncludes === undefined || r.message.includes(w.messageIncludes)),
    );
    if (fits === undefined) {
      fail(
        `${where}.refusedByDubber`,
        w,
        call.refusals.length === 0
          ? 'Dubber accepted every recording'
          : call.refusals.map((r) => ({ code: r.code, fields: r.fields, message: r.message })),
        'Dubber refuses a recording whose dub.point differs from Control Hub (S33)',
      );
    }
  }
}

/** A refusal nobody expected is a failure of its own: a call silently left unrecorded must not pass. */
export function unexpectedRefusals(
  calls: readonly CallReport[],
  expected: Readonly<Record<string, CallExpect>>,
  fail: Fail,
): void {
  for (const call of calls) {
    if (call.refusals.length === 0 || expected[call.id]?.refusedByDubber !== undefined) continue;
    fail(
      `expect.calls.${call.id}.refusedByDubber`,
      'Dubber stores the recording',
      call.refusals.map((r) => `${r.recording}: ${r.message}`),
      'Dubber refused a recording of this call (S33); expect it with refusedByDubber or fix the dub.point',
    );
  }
}
