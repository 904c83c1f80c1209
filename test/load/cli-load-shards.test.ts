/**
 * `callrec load --workers`, `--shard i/n --out` and `callrec load merge` as a user runs them: two shard
 * processes and a merge give one passing report of the whole run; a merge that lacks a shard or repeats
 * one is refused with exit 2 and no stack trace; a generator starved with --slow-host is named as the
 * bottleneck and the run exits 1 although every packet was stored; bad --workers / --shard values exit 2.
 * Loopback, a few calls for a second or two; the assertions never depend on this machine's speed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'callrec-load-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function callrec(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'callrec.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// These runs check counts, merging and wiring, not the generator's pace: a generator on a machine busy with
// other work may leave frames > 50 ms late, which would rightly make the run not a pass.
const RELAXED = ['--max-send-lag', '1m'];
const SHAPE = [
  '--calls',
  '6',
  '--duration',
  '1s',
  '--connections',
  '4',
  '--warmup',
  '0ms',
  '--seed',
  'cli',
  ...RELAXED,
];
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

const part1 = join(dir, 'part1.json');
const part2 = join(dir, 'part2.json');
let shardRuns: ReturnType<typeof callrec>[] = [];

// Each CLI run starts a process with its own sink: on a busy 2-core machine that takes seconds.
const SLOW_MS = 150_000;

describe('callrec load, sharded', () => {
  beforeAll(() => {
    shardRuns = [
      callrec('load', ...SHAPE, '--shard', '1/2', '--out', part1, '--quiet'),
      callrec('load', ...SHAPE, '--shard', '2/2', '--out', part2, '--workers', '2', '--quiet'),
    ];
  }, SLOW_MS);

  it('each shard (the second on two worker threads) runs its part and writes it', () => {
    const [one, two] = shardRuns as [ReturnType<typeof callrec>, ReturnType<typeof callrec>];
    expect(one.stdout).toContain('(shard 1/2 of a 6-call run s');
    expect(one.stdout).toContain("result: pass for shard 1/2 (the run's verdict: callrec load merge)");
    expect(one.code).toBe(0);
    expect(two.stdout).toContain('shard 2/2 worker 2: ');
    expect(two.code).toBe(0);
  });

  it('the two parts merge into one passing report of the whole run', () => {
    const report = join(dir, 'report.json');
    const merged = callrec('load', 'merge', part2, part1, '--out', report);
    expect(merged.stdout).toMatch(
      /Live load \(merged\): run s\w+, 6 calls × 1 s over 4 connections in 2 shard\(s\)/,
    );
    expect(merged.stdout).toContain('packets (sent / stored): 600 / 600');
    expect(merged.stdout).toContain('lost packets: 0');
    expect(merged.stdout).toContain('result: pass');
    expect(merged.code).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json).toMatchObject({ complete: true, packetsLost: 0, calls: 6, pass: true });
    expect(json.generators.map((g: { name: string }) => g.name)).toEqual([
      'shard 1/2 main thread',
      'shard 2/2 worker 1',
      'shard 2/2 worker 2',
    ]);
  });

  it(
    'refuses a missing or repeated shard (exit 2, no stack trace); --allow-partial is not a pass',
    () => {
      const missing = callrec('load', 'merge', part1);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('Shard(s) 2/2 of run');
      expect(missing.stderr).toContain('--allow-partial');
      noStack(missing.stderr);
      const twice = callrec('load', 'merge', part1, part1, part2);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain('Shard 1/2 is given twice');
      noStack(twice.stderr);
      const partial = callrec('load', 'merge', part2, '--allow-partial');
      expect(partial.stdout).toContain('PARTIAL: shard(s) 1/2 missing');
      expect(partial.stdout).toContain('result: NOT a pass (shards missing)');
      expect(partial.code).toBe(1);
    },
    SLOW_MS,
  );

  it(
    'a starved generator is named as the bottleneck and the run exits 1, though nothing was lost',
    () => {
      // 40 ms of every 20 ms tick: the generator falls ≥ 20 ms further behind with each tick.
      const { code, stdout } = callrec(
        'load',
        ...SHAPE,
        '--duration',
        '2s',
        '--slow-host',
        '40ms',
        '--max-send-lag',
        '50ms',
        '--quiet',
      );
      expect(stdout).toContain('lost packets: 0');
      expect(stdout).toContain('✗ main thread: 6 calls on 4 connections');
      expect(stdout).toContain('bottleneck: the GENERATOR (main thread) fell behind its schedule');
      expect(stdout).toContain('result: NOT a pass (the generator fell behind)');
      expect(code).toBe(1);
    },
    SLOW_MS,
  );

  it(
    '--workers 2 prints progress lines and a row per worker',
    () => {
      const { code, stdout, stderr } = callrec('load', ...SHAPE, '--duration', '2s', '--workers', '2');
      expect(stderr).toContain('on 2 generator threads');
      const lines = stderr.match(/^ +\d+ s {2}6 calls {2}.* stored [\d,]+\/[\d,]+ {2}lost 0/gm) ?? [];
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(stdout).toContain('(2 generator threads)');
      expect(stdout).toMatch(/✓ worker 1: 3 calls on 2 connections/);
      expect(stdout).toMatch(/packets \(sent \/ stored\) +1200 +1200/);
      expect(code).toBe(0);
    },
    SLOW_MS,
  );

  it(
    'refuses bad --workers and --shard values with exit 2 and no stack trace',
    () => {
      const cases: [string[], string][] = [
        [['--workers', '0'], '--workers must be a whole number from 1 to 16, not "0"'],
        [['--shard', '3/2', '--out', join(dir, 'x.json')], '--shard "3/2" is not a shard: write i/n'],
        [['--shard', '1/2'], 'give --out <file> for its part'],
        [['--workers', '3', '--connections', '2'], 'need at least 3 connections'],
      ];
      for (const [args, message] of cases) {
        const { code, stderr } = callrec('load', '--calls', '6', '--duration', '2s', ...args);
        expect(stderr).toContain(message);
        noStack(stderr);
        expect(code).toBe(2);
      }
      const help = callrec('load', '--help');
      for (const option of [
        '--workers <n>',
        '--shard <i/n>',
        '--out <file>',
        '--max-send-lag',
        'callrec load merge',
      ])
        expect(help.stdout).toContain(option);
    },
    SLOW_MS,
  );
});
