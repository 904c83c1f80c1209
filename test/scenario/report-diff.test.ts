/** `callrec diff`: flipped scenarios, moved actuals and measures, and its exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/load-scenario.ts';
import { diffReports, isEmptyDiff, renderRunDiff } from '../../src/scenario/report-diff.ts';
import { renderJsonReport } from '../../src/scenario/reports/json-report.ts';
import { runScenarios } from '../../src/scenario/run-scenarios.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const text = (hangUp: string, tones: number) => `
name: tones
cites: [S29]
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }]
steps:
  - enable: { user: alice, by: it@acme.example, acceptTerms: true, settings: { record: Always, repeat: { enabled: true } } }
  - call: { id: c1, user: alice, events: [{ at: 0s, do: answer }, { at: ${hangUp}, do: hang-up }] }
expect:
  calls:
    c1: { tones: ${tones} }
`;
const report = (hangUp: string, tones: number) =>
  runScenarios([{ file: 'tones.yaml', scenario: parseScenarioText(text(hangUp, tones), 'tones.yaml') }], {
    seed: 's',
  });

const dir = mkdtempSync(join(tmpdir(), 'callrec-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diffReports', () => {
  it('finds nothing between two runs of the same scenario and seed', () => {
    expect(isEmptyDiff(diffReports(report('65s', 3), report('65s', 3)))).toBe(true);
  });

  it('names the flipped scenario, the expectation whose actual moved, and the measures that moved', () => {
    const diff = diffReports(report('65s', 3), report('45s', 3));
    expect(diff.flipped).toEqual([{ file: 'tones.yaml', name: 'tones', before: 'passed', after: 'failed' }]);
    expect(diff.expectations).toEqual([
      { file: 'tones.yaml', name: 'tones', what: 'expect.calls.c1.tones', before: undefined, after: 2 },
    ]);
    expect(diff.measures.map((m) => [m.what, m.before, m.after])).toContainEqual(['calls.c1.tones', 3, 2]);
    const text = renderRunDiff(diff, { before: 'a.json', after: 'b.json' });
    expect(text).toContain('✓ → ✗ tones (tones.yaml)');
    expect(text).toContain('expect.calls.c1.tones: (holds) → 2');
  });

  it('an actual that moves while still failing is listed; a fixed expectation too', () => {
    const diff = diffReports(report('45s', 5), report('65s', 5));
    expect(diff.flipped).toEqual([]);
    expect(diff.expectations.map((e) => [e.what, e.before, e.after])).toEqual([
      ['expect.calls.c1.tones', 2, 3],
    ]);
    const fixed = diffReports(report('45s', 3), report('65s', 3));
    expect(fixed.expectations.map((e) => [e.before, e.after])).toEqual([[2, undefined]]);
  });
});

describe('callrec diff', () => {
  const callrec = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bin', 'callrec.js'), 'diff', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });

  it('exits 0 without differences, 1 with, 2 for a file that is not a run report', () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    const junk = join(dir, 'junk.json');
    writeFileSync(a, renderJsonReport(report('65s', 3)));
    writeFileSync(b, renderJsonReport(report('45s', 3)));
    writeFileSync(junk, '{"hello": 1}');
    const same = callrec(a, a);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('No differences');
    const changed = callrec(a, b);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain('Flipped (1)');
    const bad = callrec(a, junk);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not a callrec run report');
    expect(callrec(a, join(dir, 'missing.json')).status).toBe(2);
  });
});
