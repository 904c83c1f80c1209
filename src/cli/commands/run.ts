/** `callrec run`: replay scenario files, print a summary, write JSON / JUnit / HTML reports. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { SimError } from '../../errors.ts';
import type { RunReport, ScenarioReport } from '../../scenario/report-types.ts';
import { renderConsoleSummary } from '../../scenario/reports/console-report.ts';
import { renderHtmlReport } from '../../scenario/reports/html-report.ts';
import { renderJsonReport } from '../../scenario/reports/json-report.ts';
import { renderJunitReport } from '../../scenario/reports/junit-report.ts';
import { runScenariosLive } from '../../scenario/run-live.ts';
import {
  findScenarioFiles,
  loadAll,
  type RunScenariosOptions,
  runScenarios,
  runScenariosWithSink,
} from '../../scenario/run-scenarios.ts';
import { connectExternalSink, type SinkTarget, startEmbeddedSink } from '../../scenario/sink-target.ts';
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
  sink?: string | boolean;
  sinkKey?: string;
  db?: string;
  color: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('replay call scenarios (YAML or JSON) in virtual time against the embedded sink')
    .argument('[paths...]', 'scenario files or folders', ['scenarios'])
    .option('--seed <seed>', 'seed for every random choice; the same seed gives the same report', 'callrec')
    .option('--json <file>', 'write the JSON report to <file>')
    .option('--junit <file>', 'write a JUnit XML report to <file> (for CI systems)')
    .option('--html <file>', 'write a self-contained HTML timeline report to <file>')
    .option('--out <dir>', 'write report.json, junit.xml and report.html into <dir>')
    .option('--filter <text>', 'run only scenarios whose name or file contains <text>')
    .option('--bail', 'stop after the first failing scenario')
    .option('--db <file>', 'SQLite file for the embedded sink (default: in memory)')
    .option(
      '--sink <url>',
      'send recordings to a sink started with `callrec sink` (e.g. http://127.0.0.1:8787)',
    )
    .option('--sink-key <id:secret>', 'the platform key that sink was started with (--key)')
    .option('--no-sink', 'skip the sink: the domain rules alone answer access and retention')
    .option(
      '--live',
      'run in real time: calls, media and the sink stream as they happen (scenarios up to 10 min)',
    )
    .option('--no-color', 'plain output without colours')
    .addHelpText(
      'after',
      '\nEvery kept recording is sent over loopback WebSockets to an embedded fake Dubber (in-memory SQLite\n' +
        'unless --db is given), which must store every packet and answers the access and retention\n' +
        'expectations through its portal. With --sink <url>, recordings go to that sink and must be stored\n' +
        'there; access and retention are then answered by the rules alone (its clock runs in real time).\n\n' +
        'Exit codes: 0 every expectation held, 1 an expectation failed, 2 invalid scenario or usage.\n' +
        'Scenario format: docs/scenarios.md. Examples: scenarios/.',
    )
    .action(async (paths: string[], options: RunOptions) => {
      const files = findScenarioFiles(paths);
      if (files.length === 0) {
        throw new SimError(
          'SIM_ERR_USAGE',
          `No scenario files (.yaml, .yml, .json) under ${paths.join(', ')}.`,
        );
      }
      const loaded = loadAll(files, options.filter);
      if (loaded.length === 0) {
        throw new SimError('SIM_ERR_USAGE', `No scenario matches --filter "${options.filter}".`);
      }
      const progress = createProgress(loaded.length);
      const runOptions: RunScenariosOptions = {
        seed: options.seed,
        ...(options.bail ? { bail: true } : {}),
        onScenarioDone: progress.update,
      };
      // A persistent sink keeps the recordings, so the report links each one to its portal page.
      const portalUrl =
        typeof options.sink === 'string'
          ? options.sink
              .replace(/^ws/, 'http')
              .replace(/\/v1\/stream$/, '')
              .replace(/\/+$/, '')
          : options.sink !== false && options.db !== undefined && options.db !== ':memory:'
            ? 'http://127.0.0.1:8787'
            : undefined;
      let report: RunReport;
      if (options.sink === false) {
        if (options.live) throw new SimError('SIM_ERR_USAGE', '--live streams to a sink; drop --no-sink.');
        report = runScenarios(loaded, runOptions);
      } else {
        const sink: SinkTarget =
          typeof options.sink === 'string'
            ? connectExternalSink(options.sink, options.sinkKey ?? '')
            : await startEmbeddedSink(options.db ?? ':memory:', { realTime: options.live === true });
        try {
          report = options.live
            ? await runScenariosLive(loaded, { ...runOptions, sink })
            : await runScenariosWithSink(loaded, {
                ...runOptions,
                sink,
                ...(portalUrl === undefined ? {} : { portalUrl }),
              });
        } finally {
          await sink.close();
        }
      }
      progress.stop();

      console.log(renderConsoleSummary(report, { color: options.color && process.stdout.isTTY === true }));
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
      if (portalUrl !== undefined && typeof options.sink !== 'string') {
        console.log(
          `recordings: \`callrec sink --db ${options.db} --at last-recording\` serves them at ${portalUrl}/portal (the report links there)`,
        );
      }
      process.exitCode = report.summary.failed > 0 ? EXIT.failed : EXIT.ok;
    });
}

/** A progress bar on a terminal, shown only once a run has taken more than a second. */
function createProgress(total: number) {
  const enabled = process.stderr.isTTY === true && total > 1;
  const bar = new SingleBar({
    format: ' {bar} {value}/{total} scenarios  {name}',
    hideCursor: true,
    clearOnComplete: true,
  });
  const startedAt = performance.now();
  let started = false;
  return {
    update: (done: ScenarioReport, index: number) => {
      if (enabled && !started && performance.now() - startedAt > 1000) {
        bar.start(total, index, { name: '' });
        started = true;
      }
      if (started) bar.update(index + 1, { name: done.name.slice(0, 50) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
