import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../src/scenario/reports/console-report.ts';
import { renderJsonReport } from '../../src/scenario/reports/json-report.ts';
import { renderJunitReport } from '../../src/scenario/reports/junit-report.ts';
import { findScenarioFiles, loadAll, runScenarios } from '../../src/scenario/run-scenarios.ts';

const scenario = (name: string, tones: number) => `
name: ${name}
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }]
steps:
  - enable: { user: alice, by: it@acme.example, acceptTerms: true, settings: { record: Always } }
  - call: { id: c1, user: alice, events: [{ at: 0s, do: answer }, { at: 30s, do: hang-up }] }
expect:
  calls:
    c1: { tones: ${tones} }
`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('--bail', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callrec-bail-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'a-fails.yaml'), scenario('first fails', 7));
  writeFileSync(join(dir, 'b-never-runs.yaml'), scenario('second is skipped', 0));
  writeFileSync(join(dir, 'c-never-runs.yaml'), scenario('third is skipped', 0));
  const report = runScenarios(loadAll(findScenarioFiles([dir])), { seed: 's', bail: true, baseDir: dir });

  it('lists the scenarios it did not run, in the console summary', () => {
    expect(report.summary).toEqual({ scenarios: 1, passed: 0, failed: 1 });
    const text = renderConsoleSummary(report, { color: false });
    expect(text).toContain(
      '- second is skipped (skipped: --bail stopped the run after the first failing scenario)',
    );
    expect(text).toContain('- third is skipped (skipped:');
    expect(text.split('\n').at(-1)).toBe('1 scenario: 0 passed, 1 failed, 2 skipped');
  });

  it('reports them as JUnit <skipped> test cases and in the JSON report', () => {
    const xml = renderJunitReport(report);
    expect(xml).toMatch(/<testsuites [^>]*tests="3" failures="1" errors="0" skipped="2"/);
    expect(xml).toMatch(
      /<testcase classname="b-never-runs" name="second is skipped" time="0">\s*<skipped message="--bail/,
    );
    expect(xml).toMatch(/<testsuite name="c-never-runs.yaml" tests="1" failures="0" errors="0" skipped="1"/);
    const json = JSON.parse(renderJsonReport(report)) as { skipped: { name: string; file: string }[] };
    expect(json.skipped.map((s) => [s.name, s.file])).toEqual([
      ['second is skipped', 'b-never-runs.yaml'],
      ['third is skipped', 'c-never-runs.yaml'],
    ]);
  });
});
