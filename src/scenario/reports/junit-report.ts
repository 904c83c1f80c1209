/**
 * JUnit XML for CI (Jenkins, GitLab): one <testsuite> per scenario file, one <testcase> per scenario,
 * one <failure> per failed expectation. Deterministic, so no timestamps and no host names.
 *
 * Why a suite per file: seed and cites belong to a scenario, and the JUnit schema CI tools follow only
 * allows <properties> on a <testsuite>; a scenario file holds one scenario, so the suite carries them.
 */

import { escapeAttribute as attr, escapeText as text } from '../../text/markup-escape.ts';
import type { RunReport, ScenarioReport, SkippedScenario } from '../report-types.ts';
import { PLAIN_PAINT } from './ansi-paint.ts';
import { failureLines, scenarioFailureLines } from './failure-text.ts';
import { formatValue } from './key-order.ts';

/** CI tools show `message` on one line and may cut it; the body holds the full values. */
const MAX_MESSAGE_CHARS = 300;

function clip(value: string): string {
  return value.length <= MAX_MESSAGE_CHARS ? value : `${value.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}

/**
 * `scenarios/modes/always.yaml` → `scenarios.modes.always`: Jenkins reads the part before the last dot as
 * the package. A file outside the working directory (`../x.yaml`, `/tmp/x.yaml`) drops the `..`, `.` and
 * empty segments, so no classname starts with a dot.
 */
export function classnameOf(file: string): string {
  const segments = file
    .replace(/\.(ya?ml|json)$/i, '')
    .split(/[\\/]+/)
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  return segments.join('.').replace(/^\.+/, '') || 'scenario';
}

function property(name: string, value: string): string {
  return `      <property name="${attr(name)}" value="${attr(value)}"/>`;
}

// `time` is required by the schema; wall-clock time is not in the report (it must be reproducible) and
// virtual time would distort CI duration trends, so it is 0 and the virtual duration is a property.
function testcase(scenario: ScenarioReport): string[] {
  const open = `    <testcase classname="${attr(classnameOf(scenario.file))}" name="${attr(scenario.name)}" time="0"`;
  if (scenario.passed) return [`${open}/>`];
  const lines = [`${open}>`];
  for (const failure of scenario.failures) {
    const message = `${failure.message}: expected ${formatValue(failure.expected)}, actual ${formatValue(failure.actual)}`;
    const body = failureLines(failure, PLAIN_PAINT).join('\n');
    lines.push(
      `      <failure message="${attr(clip(message))}" type="${attr(failure.expectation)}">${text(body)}</failure>`,
    );
  }
  if (scenario.failures.length === 0) {
    lines.push('      <failure message="Scenario failed without a failed expectation" type="scenario"/>');
  }
  // Jenkins and GitLab show only the first <failure>; system-out keeps all of them with the timelines.
  lines.push(
    `      <system-out>${text(scenarioFailureLines(scenario, PLAIN_PAINT).join('\n'))}</system-out>`,
  );
  lines.push('    </testcase>');
  return lines;
}

function skippedCase(skipped: SkippedScenario): string[] {
  return [
    `    <testcase classname="${attr(classnameOf(skipped.file))}" name="${attr(skipped.name)}" time="0">`,
    `      <skipped message="${attr(skipped.reason)}"/>`,
    '    </testcase>',
  ];
}

function testsuite(
  file: string,
  scenarios: readonly ScenarioReport[],
  report: RunReport,
  skipped: readonly SkippedScenario[] = [],
): string[] {
  const failures = scenarios.filter((s) => !s.passed).length;
  const unique = (values: readonly string[]) => [...new Set(values)].join(' ');
  return [
    `  <testsuite name="${attr(file)}" tests="${scenarios.length + skipped.length}" failures="${failures}" errors="0" skipped="${skipped.length}" time="0">`,
    '    <properties>',
    property('seed', unique(scenarios.map((s) => s.seed))),
    property('cites', unique(scenarios.flatMap((s) => s.cites))),
    property('virtualDurationMs', scenarios.map((s) => String(s.durationMs)).join(' ')),
    property('runSeed', report.seed),
    property('tool', `${report.tool} ${report.version}`),
    property('mode', report.mode),
    property('sink', report.sink),
    '    </properties>',
    ...scenarios.flatMap(testcase),
    ...skipped.flatMap(skippedCase),
    '  </testsuite>',
  ];
}

export function renderJunitReport(report: RunReport): string {
  const byFile = new Map<string, ScenarioReport[]>();
  for (const scenario of report.scenarios) {
    byFile.set(scenario.file, [...(byFile.get(scenario.file) ?? []), scenario]);
  }
  const skippedByFile = new Map<string, SkippedScenario[]>();
  for (const skipped of report.skipped ?? []) {
    skippedByFile.set(skipped.file, [...(skippedByFile.get(skipped.file) ?? []), skipped]);
    if (!byFile.has(skipped.file)) byFile.set(skipped.file, []);
  }
  const failures = report.scenarios.filter((s) => !s.passed).length;
  const skippedCount = report.skipped?.length ?? 0;
  const name = `${report.tool} ${report.version} (seed ${report.seed})`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(name)}" tests="${report.scenarios.length + skippedCount}" failures="${failures}" errors="0" skipped="${skippedCount}" time="0">`,
    ...[...byFile].flatMap(([file, scenarios]) =>
      testsuite(file, scenarios, report, skippedByFile.get(file)),
    ),
    '</testsuites>',
    '',
  ].join('\n');
}
