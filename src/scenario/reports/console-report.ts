/**
 * The summary `callrec run` prints: one line per scenario, then the failures with expected vs actual
 * and the call timelines, then the totals. Colour (ANSI) only when asked, so logs and pipes stay clean.
 */
import type { RunReport, ScenarioReport } from '../report-types.ts';
import { createPaint, type Paint } from './ansi-paint.ts';
import { safe, scenarioFailureLines } from './failure-text.ts';
import { formatSpanMs } from './time-format.ts';

export interface ConsoleSummaryOptions {
  readonly color: boolean;
  /** The per-scenario lines were already printed as each scenario finished: leave them out. */
  readonly streamed?: boolean;
  /** Wall-clock time the run took (shown on the totals line; never in the reports). */
  readonly wallClockMs?: number;
}

export function scenarioLine(scenario: ScenarioReport, paint: Paint): string {
  const mark = scenario.passed ? paint.pass('✓') : paint.fail('✗');
  const cites = scenario.cites.length > 0 ? ` ${paint.dim(`[${safe(scenario.cites.join(', '))}]`)}` : '';
  return `${mark} ${safe(scenario.name)}${cites} ${paint.dim(formatSpanMs(scenario.durationMs))}`;
}

/** `callrec 0.1.0 · seed callrec · virtual time · sink embedded` (printed first when results stream). */
export function runHeaderLine(
  report: Pick<RunReport, 'tool' | 'version' | 'seed' | 'mode' | 'sink'>,
  paint: Paint,
): string {
  return paint.dim(
    `${report.tool} ${safe(report.version)} · seed ${safe(report.seed)} · ${report.mode} time · sink ${report.sink}`,
  );
}

export function renderConsoleSummary(report: RunReport, options: ConsoleSummaryOptions): string {
  const paint = createPaint(options.color);
  const lines: string[] = options.streamed
    ? []
    : [runHeaderLine(report, paint), '', ...report.scenarios.map((s) => scenarioLine(s, paint))];
  const skipped = report.skipped ?? [];
  for (const s of skipped)
    lines.push(`${paint.dim('-')} ${safe(s.name)} ${paint.dim(`(skipped: ${s.reason})`)}`);
  const failed = report.scenarios.filter((s) => !s.passed);
  if (failed.length > 0) {
    lines.push('', paint.bold(paint.fail(`Failures (${failed.length})`)));
    for (const scenario of failed) {
      lines.push('', `${paint.fail('✗')} ${paint.bold(safe(scenario.name))}`);
      lines.push(...scenarioFailureLines(scenario, paint).map((l) => `  ${l}`));
    }
  }
  const { scenarios, passed, failed: failedCount } = report.summary;
  const passedText = paint.pass(`${passed} passed`);
  const failedText = failedCount > 0 ? paint.fail(`${failedCount} failed`) : `${failedCount} failed`;
  const skippedText = skipped.length > 0 ? `, ${skipped.length} skipped` : '';
  const wall =
    options.wallClockMs === undefined
      ? ''
      : paint.dim(` · ${formatWallClockMs(options.wallClockMs)} wall clock`);
  lines.push(
    '',
    `${scenarios} ${scenarios === 1 ? 'scenario' : 'scenarios'}: ${passedText}, ${failedText}${skippedText}${wall}`,
  );
  // No trailing newline: the CLI prints it with console.log, which adds one.
  return lines.join('\n');
}

/** `850 ms`, `9.6 s`, `2 min 5 s`. */
export function formatWallClockMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}
