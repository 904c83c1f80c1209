/**
 * `callrec load`: the live load (issue 8) from the command line. N real-time calls (two G.711 streams of
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
import { createSinkTarget } from '../../load/sink-target.ts';
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
    .addOption(new Option('--json <file>', 'also write the result as JSON'))
    .addOption(new Option('--seed <seed>', 'seed for SSRCs, sequence numbers and audio').default('live-load'))
    .addOption(new Option('--quiet', 'no progress lines on stderr'))
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
        'Exit code 0 when every packet was stored, 1 when any was lost, 2 for bad options.',
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
      console.log(formatLoadTable(result));
      if (opts.json !== undefined) {
        writeFileSync(opts.json, `${JSON.stringify(loadResultJson(result), null, 2)}\n`);
        console.error(`callrec load: result written to ${opts.json}`);
      }
      if (result.packetsLost !== 0) process.exitCode = 1;
    });
}
