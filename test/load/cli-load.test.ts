/**
 * `callrec load` as a user runs it: a short run against the sink in its child process ends with every
 * packet stored and exit code 0, with a progress line a second and a per-second series in its JSON; a
 * duration without a unit is refused with a clear error and exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
/**
 * These runs check what is stored and reported, not the generator's pace: on a machine busy with other work
 * a generator may leave frames > 50 ms late, which would rightly make the run not a pass.
 */
const RELAXED = ['--max-send-lag', '1m'] as const;

function callrec(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'callrec.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('callrec load', () => {
  it('runs a short load against a sink child process and reports no loss', () => {
    const { code, stdout } = callrec(
      'load',
      '--calls',
      '6',
      '--duration',
      '1s',
      '--connections',
      '2',
      '--warmup',
      '0ms',
      '--quiet',
      ...RELAXED,
    );
    expect(stdout).toContain('Live load: 6 calls × 1 s over 2 connections → sink (child process)');
    expect(stdout).toMatch(/packets \(sent \/ stored\) +600 +600/);
    expect(stdout).toContain('lost packets: 0');
    expect(code).toBe(0);
  });

  it('with --reconnect, keeps a journal for resends and still stores every packet', () => {
    const jsonFile = join(mkdtempSync(join(tmpdir(), 'callrec-load-')), 'load.json');
    const { code, stdout } = callrec(
      'load',
      '--calls',
      '4',
      '--duration',
      '1s',
      '--connections',
      '2',
      '--warmup',
      '0ms',
      ...RELAXED,
      '--reconnect',
      '--quiet',
      '--json',
      jsonFile,
    );
    expect(stdout).toMatch(/packets \(sent \/ stored\) +400 +400/);
    expect(JSON.parse(readFileSync(jsonFile, 'utf8'))).toMatchObject({ packetsLost: 0, reconnects: 0 });
    rmSync(dirname(jsonFile), { recursive: true, force: true });
    expect(code).toBe(0);
  });

  it("prints progress each second and writes the per-second series with both processes' CPU", () => {
    const dir = mkdtempSync(join(tmpdir(), 'callrec-load-'));
    const jsonFile = join(dir, 'load.json');
    const { code, stderr } = callrec(
      'load',
      '--calls',
      '4',
      '--duration',
      '2s',
      '--connections',
      '2',
      '--warmup',
      '500ms',
      ...RELAXED,
      '--json',
      jsonFile,
    );
    const json = JSON.parse(readFileSync(jsonFile, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    // Progress starts 200 ms before tick 0, so a 2 s run makes two lines (more only if its ticks ran late).
    const lines = stderr.match(/^ +\d+ s {2}4 calls {2}.* stored [\d,]+\/[\d,]+ {2}lost 0/gm) ?? [];
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const rows = json.seconds as {
      second: number;
      packetsSent: number;
      packetsStored: number;
      receiverFrames: number;
      receiverCpuCores: number | null;
    }[];
    expect(rows.map((r) => r.second)).toEqual([0, 1]);
    for (const r of rows) {
      expect(r.packetsStored).toBeLessThanOrEqual(r.packetsSent);
      expect(r.receiverFrames).toBe(100);
      expect(typeof r.receiverCpuCores).toBe('number'); // the sink has its own process
    }
    expect(rows[1]?.packetsSent).toBe(json.packetsSent);
    expect(json.packetsLost).toBe(0);
    expect(code).toBe(0);
  });

  it('refuses a duration without a unit', () => {
    const { code, stderr } = callrec('load', '--calls', '6', '--duration', '10');
    expect(code).toBe(2);
    expect(stderr).toContain('SIM_ERR_INVALID_ARGUMENT');
    expect(stderr).toContain('write a number with a unit, e.g. 60s');
  });
});
