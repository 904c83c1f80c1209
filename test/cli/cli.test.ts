import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function callrec(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'callrec.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SCENARIO = `
name: always call
cites: [S22]
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }]
steps:
  - enable: { user: alice, by: it@acme.example, acceptTerms: true, settings: { record: Always } }
  - call: { id: c1, user: alice, events: [{ at: 0s, do: answer }, { at: 30s, do: hang-up }] }
expect:
  calls:
    c1: { recordingStates: [pending, started], recordedDuration: RECORDED }
`;

/** Temporary folders made by these tests, removed when they end. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function scenarioFile(recorded: string): string {
  const dir = tempDir('callrec-cli-');
  const file = join(dir, 'always.yaml');
  writeFileSync(file, SCENARIO.replace('RECORDED', recorded));
  return file;
}

describe('callrec command line', () => {
  it('--help lists every command', () => {
    const { code, stdout } = callrec('--help');
    expect(code).toBe(0);
    for (const command of ['run', 'delay', 'machine', 'sink', 'schema', 'demo'])
      expect(stdout).toContain(command);
  });

  it('run: exit 0 when every expectation holds, and the same seed writes the same JSON report', () => {
    const file = scenarioFile('29.8s');
    const out = tempDir('callrec-out-');
    const first = callrec('run', file, '--seed', 's1', '--json', join(out, 'a.json'));
    const second = callrec('run', file, '--seed', 's1', '--json', join(out, 'b.json'));
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(first.stdout).toContain('1 scenario: 1 passed, 0 failed');
    expect(readFileSync(join(out, 'a.json'), 'utf8')).toBe(readFileSync(join(out, 'b.json'), 'utf8'));
  });

  it('run: exit 1 with expected and actual when an expectation fails', () => {
    const { code, stdout } = callrec('run', scenarioFile('12s'), '--no-sink');
    expect(code).toBe(1);
    expect(stdout).toContain('recordedDuration');
    expect(stdout).toContain('12s');
    expect(stdout).toContain('29.8s');
    expect(stdout).toContain('1 scenario: 0 passed, 1 failed');
  });

  it('run: exit 2 naming the file, line and field of a malformed scenario', () => {
    const file = scenarioFile('12 seconds');
    const { code, stderr } = callrec('run', file);
    expect(code).toBe(2);
    expect(stderr).toContain('SIM_ERR_INVALID_SCENARIO');
    expect(stderr).toMatch(/always\.yaml:12 +expect\.calls\.c1\.recordedDuration/);
  });

  it('exit 2 on an unknown command or a missing path', () => {
    expect(callrec('nosuch').code).toBe(2);
    const missing = callrec('run', '/no/such/folder');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No such scenario file or folder');
  });
});
