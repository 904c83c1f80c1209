/**
 * The plain-text story of a failed scenario, shared by the console summary and the JUnit body: each
 * failed expectation with expected vs actual (and a diff), then the timelines of the calls involved.
 */

import { replaceUnsafeChars } from '../../text/safe-text.ts';
import type { CallReport, ExpectationFailure, ScenarioReport } from '../report-types.ts';
import type { Paint } from './ansi-paint.ts';
import { describeEvent } from './describe-event.ts';
import { formatValue } from './key-order.ts';
import { formatClockMs } from './time-format.ts';
import { diffValues } from './value-diff.ts';

/** Report text goes to a terminal: control characters must not act there. */
export const safe = (text: string) => replaceUnsafeChars(text);

/** Calls a failure is about, read from its path (`expect.calls.<id>.…`); ids may hold dots. */
export function callsOfFailure(scenario: ScenarioReport, failure: ExpectationFailure): CallReport[] {
  return scenario.calls.filter((call) => {
    const prefix = `expect.calls.${call.id}`;
    return failure.expectation === prefix || failure.expectation.startsWith(`${prefix}.`);
  });
}

/** The calls any failure of the scenario is about, once each, in the scenario's order. */
export function failingCalls(scenario: ScenarioReport): CallReport[] {
  const ids = new Set(scenario.failures.flatMap((f) => callsOfFailure(scenario, f).map((c) => c.id)));
  return scenario.calls.filter((c) => ids.has(c.id));
}

export function failureLines(failure: ExpectationFailure, paint: Paint): string[] {
  const lines = [
    `${paint.fail('✗')} ${paint.bold(safe(failure.expectation))}: ${safe(failure.message)}`,
    `    expected: ${paint.added(safe(formatValue(failure.expected)))}`,
    `    actual:   ${paint.removed(safe(formatValue(failure.actual)))}`,
  ];
  const diff = diffValues(failure.expected, failure.actual);
  if (diff?.some((d) => d.op !== 'same')) {
    // "-" is what the scenario expected and is missing, "+" what happened instead.
    lines.push(`    ${paint.dim('diff:')} ${paint.removed('- expected')} ${paint.added('+ actual')}`);
    for (const line of diff) {
      const text = safe(line.text);
      if (line.op === 'removed') lines.push(`      ${paint.removed(`- ${text}`)}`);
      else if (line.op === 'added') lines.push(`      ${paint.added(`+ ${text}`)}`);
      else if (line.op === 'folded') lines.push(`      ${paint.dim(`  ${text}`)}`);
      else lines.push(`        ${text}`);
    }
  }
  return lines;
}

/** A call that ended before its last scheduled event (e.g. ended after a recorder failure) says so. */
export function endedEarly(call: CallReport): string {
  return call.endedAtMs < call.lastEventAtMs
    ? ` · ended early (last event was due at ${formatClockMs(call.lastEventAtMs - call.startedAtMs)})`
    : '';
}

export function callHeading(call: CallReport): string {
  const kind = `${call.direction} ${call.remote}${call.voicemail ? ' voicemail' : ''}`;
  const span = `scenario time ${formatClockMs(call.startedAtMs)} → ${formatClockMs(call.endedAtMs)}`;
  return `call ${safe(call.id)} · ${safe(call.user)} · ${safe(call.mode)} · ${kind} · ${span}${endedEarly(call)}`;
}

/** Timeline times are from the call's start, as the scenario's call events are written (`at: 30s`). */
export function timelineLines(call: CallReport, paint: Paint): string[] {
  const entries = [
    ...call.timeline.map((event) => ({
      atMs: event.atMs,
      text: describeEvent(event),
      warn: event.type === 'rejected',
    })),
    // Recordings Dubber refused (S33) sit among the call's events at the moment the recorder answered.
    ...call.refusals.map((r) => ({
      atMs: r.atMs,
      text: `Dubber refused recording ${r.recording}: ${r.fields.join(', ') || r.code} differs`,
      warn: true,
    })),
  ].sort((a, b) => a.atMs - b.atMs);
  return entries.map((entry) => {
    const text = safe(entry.text);
    return `${paint.dim(formatClockMs(entry.atMs - call.startedAtMs))}  ${entry.warn ? paint.warn(text) : text}`;
  });
}

/** Everything a reader needs about one failed scenario, indented under its name. */
export function scenarioFailureLines(scenario: ScenarioReport, paint: Paint): string[] {
  const lines = [paint.dim(`${safe(scenario.file)} · seed ${safe(scenario.seed)}`)];
  for (const failure of scenario.failures) lines.push(...failureLines(failure, paint));
  for (const call of failingCalls(scenario)) {
    lines.push(`${paint.bold(callHeading(call))} ${paint.dim('(times from call start)')}`);
    lines.push(...timelineLines(call, paint).map((l) => `    ${l}`));
  }
  return lines;
}
