/** `callrec run`: replay scenario files, print a summary, write JSON / JUnit / HTML reports. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SimError } from '../../errors.ts';
import { connectExternalSink, type SinkTarget } from '../../platform/sink-target.ts';
import { startEmbeddedSink } from '../../scenario/embedded-sink.ts';
import type { RunReport } from '../../scenario/report-types.ts';
import { createPaint } from '../../scenario/reports/ansi-paint.ts';
import { renderConsoleSummary, runHeaderLine, scenarioLine } from '../../scenario/reports/console-report.ts';
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
import { watchScenarios } from '../../scenario/watch-scenarios.ts';
import { createRealClock } from '../../time/index.ts';
import { runScenariosViaApi } from '../../webex/run-via-api.ts';
import { EXIT } from '../exit-codes.ts';
import { prepareOutputDir, prepareOutputFile } from '../output-paths.ts';
import { checkRunOptions } from './run-option-checks.ts';

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
  watch?: boolean;
  via: string;
  color: boolean;
}

/** Folders whose code a `--watch` run re-runs every scenario for. */
const CODE_DIRS = ['src', 'machines'];

/** `clock` measures the wall-clock time of a run (shown on the totals line, never in reports). */
export function registerRun(program: Command, clock = createRealClock()): void {
  program
    .command('run')
    .description('replay call scenarios (YAML or JSON) in virtual time against the embedded sink')
    .argument('[paths...]', 'scenario files or folders', ['scenarios'])
    .option('--seed <seed>', 'seed for every random choice; the same seed gives the same report', 'callrec')
    .option('--json <file>', 'write the JSON report to <file>')
    .option('--junit <file>', 'write a JUnit XML report to <file> (for CI systems)')
    .option('--html <file>', 'write a self-contained HTML timeline report to <file>')
    .option('--out <dir>', 'write report.json, junit.xml and report.html into <dir>')
    .option(
      '--filter <text>',
      'run only scenarios whose name or file contains <text>, or that cite it (S29) or are tagged with it',
    )
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
    .option(
      '--watch',
      're-run the scenarios whose files change (every scenario when code under src/ or machines/ changes)',
    )
    .option(
      '--via <transport>',
      'direct: steps act on the domain; api: every Control Hub step and call command goes over HTTP to an in-process `callrec serve` (docs/webex-api.md)',
      'direct',
    )
    .option('--no-color', 'plain output without colours')
    .addHelpText(
      'after',
      '\nEvery kept recording is sent over loopback WebSockets to an embedded fake Dubber (in-memory SQLite\n' +
        'unless --db is given), which must store every packet and answers the access and retention\n' +
        'expectations through its portal. With --sink <url>, recordings go to that sink and must be stored\n' +
        'there; access and retention are then answered by the rules alone (its clock runs in real time).\n\n' +
        'Results are printed as each scenario finishes; the totals line shows the wall-clock time.\n' +
        'Exit codes: 0 every expectation held, 1 an expectation failed, 2 invalid scenario or usage.\n' +
        'Scenario format: docs/scenarios.md. Examples: scenarios/.',
    )
    .action(async (paths: string[], options: RunOptions) => {
      checkRunOptions(options);
      if (options.out !== undefined) prepareOutputDir('--out', options.out);
      for (const [flag, file] of reportFiles(options)) prepareOutputFile(flag, file);
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
      if (options.via !== 'direct' && options.via !== 'api') {
        throw new SimError('SIM_ERR_USAGE', `--via is direct or api (got "${options.via}").`);
      }
      if (options.via === 'api' && options.live)
        throw new SimError('SIM_ERR_USAGE', '--via api runs in virtual time; drop --live.');
      const startedMs = clock.nowMs();
      const paint = createPaint(options.color && process.stdout.isTTY === true);
      const sinkKind =
        options.sink === false ? 'none' : typeof options.sink === 'string' ? 'external' : 'embedded';
      const header = { tool: 'callrec', version: '0.1.0', seed: options.seed, sink: sinkKind } as const;
      console.log(`${runHeaderLine({ ...header, mode: options.live ? 'live' : 'virtual' }, paint)}\n`);
      const runOptions: RunScenariosOptions = {
        seed: options.seed,
        ...(options.bail ? { bail: true } : {}),
        // Stream each result as it comes; the summary at the end has the failures and totals.
        onScenarioDone: (done) => console.log(scenarioLine(done, paint)),
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
        report =
          options.via === 'api'
            ? await runScenariosViaApi(loaded, runOptions)
            : runScenarios(loaded, runOptions);
      } else {
        const sink: SinkTarget =
          typeof options.sink === 'string'
            ? connectExternalSink(options.sink, options.sinkKey ?? '')
            : await startEmbeddedSink(options.db ?? ':memory:', { realTime: options.live === true });
        try {
          report = options.live
            ? await runScenariosLive(loaded, { ...runOptions, sink })
            : options.via === 'api'
              ? await runScenariosViaApi(loaded, { ...runOptions, sink })
              : await runScenariosWithSink(loaded, {
                  ...runOptions,
                  sink,
                  ...(portalUrl === undefined ? {} : { portalUrl }),
                });
        } finally {
          await sink.close();
        }
      }
      console.log(
        renderConsoleSummary(report, {
          color: options.color && process.stdout.isTTY === true,
          streamed: true,
          wallClockMs: clock.nowMs() - startedMs,
        }),
      );
      const renderers: Record<string, () => string> = {
        json: () => renderJsonReport(report),
        junit: () => renderJunitReport(report),
        html: () => renderHtmlReport(report),
      };
      for (const [, file, kind] of reportFiles(options)) {
        writeFileSync(file, renderers[kind]?.() ?? '');
        console.log(`wrote ${file}`);
      }
      if (portalUrl !== undefined && typeof options.sink !== 'string') {
        console.log(
          `recordings: \`callrec sink --db ${options.db} --at last-recording\` serves them at ${portalUrl}/portal (the report links there)`,
        );
      }
      process.exitCode = report.summary.failed > 0 ? EXIT.failed : EXIT.ok;
      if (options.watch) await watchUntilInterrupted(paths, clock);
    });
}

/** The report files asked for: [the flag that asked, the file, its kind]; --json/--junit/--html win over --out. */
function reportFiles(options: RunOptions): [string, string, 'json' | 'junit' | 'html'][] {
  const out = options.out;
  const pick = (flag: 'json' | 'junit' | 'html', name: string): [string, string, typeof flag][] => {
    const file = options[flag];
    if (file !== undefined) return [[`--${flag}`, file, flag]];
    return out === undefined ? [] : [['--out', join(out, name), flag]];
  };
  return [...pick('json', 'report.json'), ...pick('junit', 'junit.xml'), ...pick('html', 'report.html')];
}

/**
 * Re-runs in a fresh process, so changed code is loaded: `callrec run <changed files>` with the same
 * options (minus --watch and the report paths, which describe the first run). Ends on Ctrl-C.
 */
async function watchUntilInterrupted(paths: readonly string[], clock: ReturnType<typeof createRealClock>) {
  const forwarded = forwardedOptions(process.argv.slice(process.argv.indexOf('run') + 1), paths);
  const watcher = watchScenarios({
    scenarioPaths: paths,
    codeDirs: CODE_DIRS,
    clock,
    rerun: (files, why) =>
      new Promise<void>((resolve) => {
        console.log(`\n${why}: running ${files.length} scenario${files.length === 1 ? '' : 's'}`);
        const child = spawn(
          process.execPath,
          [...process.execArgv, process.argv[1] ?? '', 'run', ...files, ...forwarded],
          { stdio: 'inherit' },
        );
        child.on('exit', () => resolve());
        child.on('error', (error) => {
          console.error(`could not re-run: ${error.message}`);
          resolve();
        });
      }),
    onError: (error) => console.error(`watch: ${error.message}`),
  });
  console.log(`\nwatching ${[...paths, ...CODE_DIRS].join(', ')} for changes (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  watcher.close();
}

/** The options of this run that a re-run keeps: everything but paths, --watch and report outputs. */
function forwardedOptions(args: readonly string[], paths: readonly string[]): string[] {
  const dropWithValue = new Set(['--json', '--junit', '--html', '--out']);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--watch' || paths.includes(arg)) continue;
    if (dropWithValue.has(arg)) {
      i++;
      continue;
    }
    if ([...dropWithValue].some((flag) => arg.startsWith(`${flag}=`))) continue;
    out.push(arg);
  }
  return out;
}
