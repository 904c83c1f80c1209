/**
 * `callrec load`: the live load from the command line. N real-time calls (two G.711 streams of
 * 50 packets/s each) over K multiplexed WebSockets to a sink in a child process (or in-process), for a
 * bounded duration; progress on stderr each second, the final table on stdout, optionally JSON.
 */
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { SimError } from '../../errors.ts';
import {
  DEFAULT_LOAD_CONNECTIONS,
  DEFAULT_WARMUP_MS,
  formatLoadTable,
  formatProgress,
  loadResultJson,
  MAX_LOAD_CALLS,
  MAX_LOAD_CONNECTIONS,
  MAX_LOAD_DURATION_MS,
  runLiveLoad,
} from '../../load/index.ts';
import { checkLoadOptions } from '../../load/load-options.ts';
import { createSinkTarget } from '../../load/sink-load-target.ts';
import {
  checkThresholds,
  DEFAULT_THRESHOLDS,
  formatThresholds,
  parseThreshold,
  THRESHOLD_METRICS,
} from '../../load/thresholds.ts';
import { parseDurationMs } from '../../scenario/duration.ts';
import { prepareOutputFile } from '../output-paths.ts';

interface LoadOptions {
  readonly calls: string;
  readonly duration: string;
  readonly connections: string;
  readonly warmup: string;
  readonly inProcess?: boolean;
  readonly reconnect?: boolean;
  readonly db?: string;
  readonly json?: string;
  readonly seed: string;
  readonly quiet?: boolean;
  readonly threshold?: string[];
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `${flag} must be a whole number from ${min} to ${max}, not "${text}".`,
      {
        details: { flag, value: text },
      },
    );
  }
  return n;
}

function duration(flag: string, text: string): number {
  const value = parseDurationMs(text);
  if (value === undefined) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `${flag} "${text}" is not a duration: write a number with a unit, e.g. 60s, 1.5m or 500ms.`,
      { details: { flag, value: text } },
    );
  }
  return value;
}

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description(
      'live load: N concurrent real-time calls streamed to the sink over loopback WebSockets, measured',
    )
    .addOption(
      new Option(
        '--calls <n>',
        `concurrent calls, 1–${MAX_LOAD_CALLS} (each 2 streams × 50 packets/s)`,
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--duration <time>',
        `how long the calls last, with a unit: 60s, 1.5m, 500ms (at most ${MAX_LOAD_DURATION_MS / 60_000} min)`,
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--connections <k>',
        `WebSocket connections the calls share, 1–${MAX_LOAD_CONNECTIONS}`,
      ).default(String(DEFAULT_LOAD_CONNECTIONS)),
    )
    .addOption(
      new Option(
        '--warmup <time>',
        'lateness of this first part is reported apart (JIT warm-up), with a unit',
      ).default(`${DEFAULT_WARMUP_MS}ms`),
    )
    .addOption(new Option('--in-process', 'run the sink in this process instead of a child process'))
    .addOption(
      new Option(
        '--reconnect',
        'reconnect a dropped connection and resend what the sink had not acknowledged (costs the generator CPU and memory)',
      ),
    )
    .addOption(
      new Option(
        '--db <file>',
        "SQLite file for the sink's recordings, or :memory: (default: a temporary file, removed afterwards)",
      ),
    )
    .addOption(
      new Option(
        '--json <file>',
        'also write the result as JSON, with a per-second series (sent, stored, lateness, CPU)',
      ),
    )
    .addOption(new Option('--seed <seed>', 'seed for SSRCs, sequence numbers and audio').default('live-load'))
    .addOption(new Option('--quiet', 'no progress lines on stderr'))
    .addOption(
      new Option(
        '--threshold <goal>',
        `a pass/fail goal, k6-style, repeatable: 'p99<20ms', 'loss==0' (metrics ${THRESHOLD_METRICS.join(', ')}; default ${DEFAULT_THRESHOLDS.join(' ')})`,
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .addHelpText(
      'after',
      [
        '',
        'One 20 ms ticker drives every call; each tick sends one binary frame per connection holding the two RTP',
        'packets of every call on it. The sink stores every packet durably (SQLite) and acknowledges it; lost =',
        "packets sent − packets stored, from each call's final checkpoint.",
        '',
        'Lateness (ms): "generator" = send time − due time of the tick; "sink" = the time the sink\'s event loop',
        'receives the frame − its due time (both processes read the same wall clock). p50 / p95 / p99 / max are',
        'over the ticks after --warmup; the warm-up row shows the first part. CPU is in cores (1.0 = one core',
        "busy); RSS per call is the growth of each process's resident memory divided by the calls.",
        'Thresholds: loss = packets sent − stored; p50/p95/p99/max = receive lateness after the warm-up (ms).',
        `Without --threshold the goal is ${DEFAULT_THRESHOLDS.join(' ')} (every packet stored).`,
        'Progress: one line a second on stderr, made by the tick loop, so it keeps coming when the generator',
        'falls behind (the line then says by how many ticks). --json adds "seconds": per second of the run the',
        "packets sent and stored (stored from the sink's checkpoints at the same instant, so never above sent;",
        'it trails by the commit cycle, loss is only the final count), lateness p50/p99/max and CPU.',
        'Exit code 0 when every threshold is met, 1 when any is not, 2 for bad options.',
        'Design and measured results: docs/live-load.md.',
        '',
        'Examples:',
        '  callrec load --calls 200 --duration 10s',
        '  callrec load --calls 2000 --duration 60s --connections 20 --json load.json',
        '  callrec load --calls 50 --duration 5s --in-process --db load.db',
      ].join('\n'),
    )
    .action(async (opts: LoadOptions) => {
      if (opts.json !== undefined) prepareOutputFile('--json', opts.json);
      const calls = wholeNumber('--calls', opts.calls, 1, MAX_LOAD_CALLS);
      const connections = wholeNumber('--connections', opts.connections, 1, MAX_LOAD_CONNECTIONS);
      const durationMs = duration('--duration', opts.duration);
      const warmupMs = duration('--warmup', opts.warmup);
      // Everything is checked before the sink starts.
      checkLoadOptions({ calls, connections, durationMs });
      if (warmupMs >= durationMs) {
        throw new SimError(
          'SIM_ERR_INVALID_ARGUMENT',
          `--warmup ${opts.warmup} must be shorter than --duration ${opts.duration}: the lateness after the warm-up is what is measured.`,
          { details: { warmupMs, durationMs } },
        );
      }
      const thresholds = (opts.threshold ?? [...DEFAULT_THRESHOLDS]).map(parseThreshold);
      const target = createSinkTarget({
        inProcess: opts.inProcess === true,
        reconnect: opts.reconnect === true,
        ...(opts.db === undefined ? {} : { dbPath: opts.db }),
        // The child stops by itself well after the run should have ended.
        maxLifetimeMs: durationMs + 5 * 60_000,
      });
      if (opts.quiet !== true) {
        console.error(
          `callrec load: ${calls} calls over ${Math.min(connections, calls)} connections for ${durationMs / 1000} s → ${target.label}; provisioning and opening the calls…`,
        );
      }
      const result = await runLiveLoad({
        calls,
        connections,
        durationMs,
        warmupMs,
        target,
        seed: opts.seed,
        ...(opts.quiet === true ? {} : { onProgress: (p) => console.error(formatProgress(p)) }),
      });
      const outcomes = checkThresholds(result, thresholds);
      console.log(formatLoadTable(result));
      console.log(formatThresholds(outcomes));
      if (opts.json !== undefined) {
        const json = {
          ...loadResultJson(result),
          thresholds: outcomes.map((o) => ({ threshold: o.threshold.text, actual: o.actual, met: o.met })),
        };
        writeFileSync(opts.json, `${JSON.stringify(json, null, 2)}\n`);
        console.error(`callrec load: result written to ${opts.json}`);
      }
      if (outcomes.some((o) => !o.met)) process.exitCode = 1;
    });
}
