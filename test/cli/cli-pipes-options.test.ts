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
