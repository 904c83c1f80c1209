/** `callrec load` tells the truth: k6-style thresholds decide the exit code; bad options stop it before the sink starts. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../src/load/thresholds.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function callrec(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'callrec.js'), 'load', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SHORT = ['--calls', '4', '--duration', '1s', '--connections', '1', '--warmup', '0ms', '--in-process'];

describe('callrec load thresholds', { timeout: 90_000 }, () => {
  it('parses k6-style thresholds with units and refuses malformed ones', () => {
    expect(parseThreshold('p99<20ms')).toMatchObject({ metric: 'p99', operator: '<', value: 20 });
    expect(parseThreshold('max <= 1.5s')).toMatchObject({ metric: 'max', operator: '<=', value: 1500 });
    expect(parseThreshold('loss==0')).toMatchObject({ metric: 'loss', operator: '==', value: 0 });
    expect(() => parseThreshold('p99<<3')).toThrow(/not a threshold: write <metric><op><value>/);
    expect(() => parseThreshold('loss==0ms')).toThrow(/takes no unit/);
  });

  it('exits 1 and says which threshold was not met', () => {
    const { code, stdout } = callrec(
      ...SHORT,
      '--quiet',
      '--threshold',
      'loss==0',
      '--threshold',
      'p99>=100s',
    );
    expect(stdout).toContain('thresholds: 1 of 2 NOT met');
    expect(stdout).toMatch(/✓ loss==0 {2}\(measured 0\)/);
    expect(stdout).toMatch(/✗ p99>=100s {2}\(measured \d+\.\d ms\)/);
    expect(code).toBe(1);
  });

  it('exits 0 when every threshold is met, and never quotes a goal the user did not set', () => {
    // The thresholds decide here, not the generator's pace (a busy machine may slow it past 50 ms).
    const { code, stdout } = callrec(...SHORT, '--quiet', '--max-send-lag', '1m');
    expect(stdout).toContain('thresholds: all met');
    expect(stdout).toContain('✓ loss==0');
    expect(stdout).not.toMatch(/goal/i);
    expect(code).toBe(0);
  });

  it('refuses a warm-up as long as the run, and a bad duration, before the sink starts', () => {
    const warm = callrec('--calls', '4', '--duration', '2s', '--warmup', '2s');
    expect(warm.code).toBe(2);
    expect(warm.stderr).toContain('--warmup 2s must be shorter than --duration 2s');
    expect(warm.stderr).not.toContain('provisioning');
    const long = callrec('--calls', '4', '--duration', '20m');
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('duration must be from 20 ms to 10 min');
    expect(long.stderr).not.toContain('provisioning');
  });
});
