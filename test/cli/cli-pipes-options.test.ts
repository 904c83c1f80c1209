import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'callrec.js');

function callrec(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    // A command that hangs fails the test instead of blocking the worker.
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs callrec with its stdout a pipe whose reading end is already closed (like `| head -1` after its line). */
function callrecIntoClosedPipe(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'callrec-out-'));
  dirs.push(dir);
  return dir;
}

describe('writing to a closed pipe', () => {
  it.each(['machine --table', 'demo', 'machine'])('callrec %s ends quietly with exit 0', async (command) => {
    const { code, stderr } = await callrecIntoClosedPipe(...command.split(' '));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('conflicting and orphaned options', () => {
  it('refuses machine --table --mermaid, pointing at callrec machine --help', () => {
    const { code, stdout, stderr } = callrec('machine', '--table', '--mermaid');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/option '--(table|mermaid)' cannot be used with option '--(mermaid|table)'/);
    expect(stderr).toContain('(run "callrec machine --help" for usage)');
  });

  it('refuses --sink-key without --sink, pointing at callrec run --help', () => {
    const { code, stdout, stderr } = callrec('run', 'scenarios/modes/always.yaml', '--sink-key', 'p:s');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--sink-key is the key of an external sink');
    expect(stderr).toContain('(run "callrec run --help" for usage)');
  });

  it('refuses --db with --no-sink (the file would never be written)', () => {
    const { code, stderr } = callrec('run', 'scenarios/modes/always.yaml', '--no-sink', '--db', 'x.db');
    expect(code).toBe(2);
    expect(stderr).toContain('--no-sink runs without one');
  });

  it('points an unknown option at the sub-command help, not the top-level one', () => {
    const { code, stderr } = callrec('run', '--bogus');
    expect(code).toBe(2);
    expect(stderr).toContain('(run "callrec run --help" for usage)');
  });
});

describe('output paths are checked before the run', { timeout: 30_000 }, () => {
  const scenario = 'scenarios/modes/always.yaml';

  it('refuses a folder where a report file is wanted: exit 2, one line, nothing run', () => {
    const dir = tempDir();
    const { code, stdout, stderr } = callrec('run', scenario, '--json', dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      `error SIM_ERR_INVALID_ARGUMENT: --json ${dir}: is a folder; give a file name.`,
    ]);
  });

  it('refuses a file where a folder is wanted (--out, and a report file under a file)', () => {
    const dir = tempDir();
    const file = join(dir, 'taken');
    writeFileSync(file, 'keep me');
    const out = callrec('run', scenario, '--out', file);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain(`--out ${file}: it is a file`);
    const junit = callrec('run', scenario, '--junit', join(file, 'junit.xml'));
    expect(junit.code).toBe(2);
    expect(junit.stderr).toContain(`--junit ${join(file, 'junit.xml')}: ${file} is a file`);
  });

  it('ends (does not hang) on an --out under a path that cannot be created', () => {
    const { code, stderr } = callrec('run', scenario, '--out', '/proc/callrec-nope/out');
    expect(code).toBe(2);
    expect(stderr).toContain('--out /proc/callrec-nope/out: cannot create the folder /proc/callrec-nope');
  });

  it('creates missing folders for --out and writes the three reports', () => {
    const dir = tempDir();
    const out = join(dir, 'a', 'b');
    mkdirSync(join(dir, 'a'));
    const { code, stdout } = callrec('run', scenario, '--out', out);
    expect(code).toBe(0);
    expect(stdout).toContain(`wrote ${join(out, 'report.json')}`);
    expect(stdout).toContain(`wrote ${join(out, 'report.html')}`);
  });
});
