/**
 * `callrec load` as a user runs it: a short run against the sink in its child process ends with every
 * packet stored and exit code 0; a duration without a unit is refused with a clear error and exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

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

  it('refuses a duration without a unit', () => {
    const { code, stderr } = callrec('load', '--calls', '6', '--duration', '10');
    expect(code).toBe(2);
    expect(stderr).toContain('SIM_ERR_INVALID_ARGUMENT');
    expect(stderr).toContain('write a number with a unit, e.g. 60s');
  });
});
