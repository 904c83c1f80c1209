/**
 * `callrec diff a.json b.json`: what changed between two runs' JSON reports — scenarios that flipped
 * between pass and fail (or appeared, or went away), expectations whose actual value moved (including
 * ones that started or stopped failing), and the measured values of each call (recorded time, tones,
 * final state, recordings, packets) that moved even where every expectation still holds.
 */
import { SimError } from '../errors.ts';
import type { RunReport, ScenarioReport } from './report-types.ts';

export interface ScenarioKey {
  readonly file: string;
  readonly name: string;
}

export interface ValueChange extends ScenarioKey {
  /** `expect.calls.c1.tones`, or `calls.c1.recordedMs` for a measured value. */
  readonly what: string;
  /** `undefined` when the expectation held (or the value did not exist) on that side. */
  readonly before: unknown;
  readonly after: unknown;
}

export interface RunDiff {
  readonly flipped: readonly (ScenarioKey & {
    readonly before: 'passed' | 'failed';
    readonly after: 'passed' | 'failed';
  })[];
  readonly added: readonly ScenarioKey[];
  readonly removed: readonly ScenarioKey[];
  readonly expectations: readonly ValueChange[];
  readonly measures: readonly ValueChange[];
}

const keyOf = (s: ScenarioKey) => `${s.file}\n${s.name}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Reads a JSON report written by `callrec run --json`; anything else is refused with a clear message. */
export function parseRunReport(text: string, file: string): RunReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `${file} is not JSON; give reports written by callrec run --json.`,
      {
        cause,
      },
    );
  }
  const report = data as Partial<RunReport> | null;
  if (report === null || report.tool !== 'callrec' || !Array.isArray(report.scenarios)) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `${file} is not a callrec run report (no "tool": "callrec" and "scenarios"); write one with callrec run --json.`,
    );
  }
  return report as RunReport;
}

function measuresOf(scenario: ScenarioReport): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const call of scenario.calls ?? []) {
    const at = `calls.${call.id}`;
    out.set(`${at}.finalRecordingState`, call.finalRecordingState);
    out.set(`${at}.recordedMs`, call.recordedMs);
    out.set(`${at}.tones`, call.tones);
    out.set(`${at}.recordings`, call.recordings.length);
    out.set(`${at}.endedAtMs`, call.endedAtMs);
    out.set(
      `${at}.packetsPerStream`,
      call.recordings.map((r) => r.streams.map((s) => s.packets)),
    );
    out.set(`${at}.refusals`, (call.refusals ?? []).length);
  }
  return out;
}

export function diffReports(before: RunReport, after: RunReport): RunDiff {
  const a = new Map(before.scenarios.map((s) => [keyOf(s), s]));
  const b = new Map(after.scenarios.map((s) => [keyOf(s), s]));
  const flipped: RunDiff['flipped'][number][] = [];
  const expectations: ValueChange[] = [];
  const measures: ValueChange[] = [];
  const key = (s: ScenarioReport): ScenarioKey => ({ file: s.file, name: s.name });
  for (const [k, x] of a) {
    const y = b.get(k);
    if (y === undefined) continue;
    if (x.passed !== y.passed) {
      flipped.push({
        ...key(x),
        before: x.passed ? 'passed' : 'failed',
        after: y.passed ? 'passed' : 'failed',
      });
    }
    const fx = new Map(x.failures.map((f) => [f.expectation, f.actual]));
    const fy = new Map(y.failures.map((f) => [f.expectation, f.actual]));
    for (const what of [...new Set([...fx.keys(), ...fy.keys()])].sort()) {
      if (!same(fx.get(what), fy.get(what)) || fx.has(what) !== fy.has(what))
        expectations.push({ ...key(x), what, before: fx.get(what), after: fy.get(what) });
    }
    const mx = measuresOf(x);
    const my = measuresOf(y);
    for (const what of [...new Set([...mx.keys(), ...my.keys()])].sort()) {
      if (!same(mx.get(what), my.get(what)))
        measures.push({ ...key(x), what, before: mx.get(what), after: my.get(what) });
    }
  }
  return {
    flipped,
    added: after.scenarios.filter((s) => !a.has(keyOf(s))).map(key),
    removed: before.scenarios.filter((s) => !b.has(keyOf(s))).map(key),
    expectations,
    measures,
  };
}

export function isEmptyDiff(diff: RunDiff): boolean {
  return (
    diff.flipped.length +
      diff.added.length +
      diff.removed.length +
      diff.expectations.length +
      diff.measures.length ===
    0
  );
}

const show = (value: unknown) => (value === undefined ? '(holds)' : JSON.stringify(value));
const showMeasure = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

export function renderRunDiff(diff: RunDiff, names: { before: string; after: string }): string {
  if (isEmptyDiff(diff)) return `No differences between ${names.before} and ${names.after}.`;
  const lines = [`Changes from ${names.before} to ${names.after}:`];
  const section = (title: string, items: readonly string[]) => {
    if (items.length === 0) return;
    lines.push('', `${title} (${items.length})`, ...items.map((i) => `  ${i}`));
  };
  section(
    'Flipped',
    diff.flipped.map((f) => `${f.before === 'passed' ? '✓ → ✗' : '✗ → ✓'} ${f.name} (${f.file})`),
  );
  section(
    'New scenarios',
    diff.added.map((s) => `+ ${s.name} (${s.file})`),
  );
  section(
    'Scenarios gone',
    diff.removed.map((s) => `- ${s.name} (${s.file})`),
  );
  section(
    'Expectations whose actual moved',
    diff.expectations.map((e) => `${e.name}: ${e.what}: ${show(e.before)} → ${show(e.after)}`),
  );
  section(
    'Measured values that moved',
    diff.measures.map((m) => `${m.name}: ${m.what}: ${showMeasure(m.before)} → ${showMeasure(m.after)}`),
  );
  return lines.join('\n');
}
