/** `callrec run`: replay scenario files, print a summary, write JSON / JUnit / HTML reports. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { SimError } from '../../errors.ts';
import { renderConsoleSummary } from '../../scenario/reports/console-report.ts';
import { renderHtmlReport } from '../../scenario/reports/html-report.ts';
import { renderJsonReport } from '../../scenario/reports/json-report.ts';
import { renderJunitReport } from '../../scenario/reports/junit-report.ts';
import { findScenarioFiles, loadAll, runScenarios } from '../../scenario/run-scenarios.ts';
import { EXIT } from '../exit-codes.ts';

interface RunOptions {
  seed: string;
  json?: string;
  junit?: string;
  html?: string;
  out?: string;
  filter?: string;
  bail?: boolean;
  live?: boolean;
  sink?: string;
  color: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('replay call scenarios (YAML or JSON) in virtual time and report pass/fail')
    .argument('[paths...]', 'scenario files or folders', ['scenarios'])
    .option('--seed <seed>', 'seed for every random choice; the same seed gives the same report', 'callrec')
    .option('--json <file>', 'write the JSON report to <file>')
    .option('--junit <file>', 'write a JUnit XML report to <file> (for CI systems)')
    .option('--html <file>', 'write a self-contained HTML timeline report to <file>')
    .option('--out <dir>', 'write report.json, junit.xml and report.html into <dir>')
    .option('--filter <text>', 'run only scenarios whose name or file contains <text>')
    .option('--bail', 'stop after the first failing scenario')
    .addOption(
      new Option('--live', 'run in real time over real WebSockets (not available yet)').hideHelp(false),
    )
    .option(
      '--sink <url>',
      'send recordings to a running sink instead of the embedded one (not available yet)',
    )
    .option('--no-color', 'plain output without colours')
    .addHelpText(
      'after',
      '\nExit codes: 0 every expectation held, 1 an expectation failed, 2 invalid scenario or usage.\n' +
        'Scenario format: docs/scenarios.md. Examples: scenarios/.',
    )
    .action((paths: string[], options: RunOptions) => {
      if (options.live || options.sink !== undefined) {
        throw new SimError(
          'SIM_ERR_USAGE',
          '--live and --sink are not available yet: scenarios replay in virtual time. Run without them.',
        );
      }
      const files = findScenarioFiles(paths);
      if (files.length === 0)
        throw new SimError(
          'SIM_ERR_USAGE',
          `No scenario files (.yaml, .yml, .json) under ${paths.join(', ')}.`,
        );
      const loaded = loadAll(files, options.filter);
      if (loaded.length === 0)
        throw new SimError('SIM_ERR_USAGE', `No scenario matches --filter "${options.filter}".`);

      const showProgress = process.stderr.isTTY === true && loaded.length > 1;
      const bar = showProgress
        ? new SingleBar({
            format: ' {bar} {value}/{total} scenarios  {name}',
            hideCursor: true,
            clearOnComplete: true,
          })
        : undefined;
      const startedAt = performance.now();
      let barStarted = false;
      const report = runScenarios(loaded, {
        seed: options.seed,
        ...(options.filter === undefined ? {} : { filter: options.filter }),
        ...(options.bail ? { bail: true } : {}),
        onScenarioDone: (done, index, total) => {
          // Only runs longer than a second get a bar.
          if (bar && !barStarted && performance.now() - startedAt > 1000) {
            bar.start(total, index, { name: '' });
            barStarted = true;
          }
          if (barStarted) bar?.update(index + 1, { name: done.name.slice(0, 50) });
        },
      });
      if (barStarted) bar?.stop();

      const color = options.color && process.stdout.isTTY === true;
      console.log(renderConsoleSummary(report, { color }));
      const targets: [string | undefined, () => string][] = [
        [options.json ?? (options.out && join(options.out, 'report.json')), () => renderJsonReport(report)],
        [options.junit ?? (options.out && join(options.out, 'junit.xml')), () => renderJunitReport(report)],
        [options.html ?? (options.out && join(options.out, 'report.html')), () => renderHtmlReport(report)],
      ];
      for (const [file, render] of targets) {
        if (!file) continue;
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, render());
        console.log(`wrote ${file}`);
      }
      process.exitCode = report.summary.failed > 0 ? EXIT.failed : EXIT.ok;
    });
}
