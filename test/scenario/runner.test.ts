import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSimError } from '../../src/errors.ts';
import { parseScenarioText } from '../../src/scenario/load-scenario.ts';
import { findScenarioFiles, loadAll, runScenarios } from '../../src/scenario/run-scenarios.ts';

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

const BASE = `
name: on demand call
cites: [S21]
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }]
steps:
  - enable: { user: alice, by: it@acme.example, acceptTerms: true, settings: { record: On Demand } }
  - call:
      id: c1
      user: alice
      events:
        - { at: 0s, do: answer }
        - { at: 10s, do: start }
        - { at: 20s, do: stop }
        - { at: 30s, do: hang-up }
`;

function scenarioDir(files: Record<string, string>): string {
  const dir = tempDir('callrec-scn-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function run(files: Record<string, string>, seed = 'seed-1') {
  const dir = scenarioDir(files);
  return runScenarios(loadAll(findScenarioFiles([dir])), { seed, baseDir: dir });
}

describe('scenario runner', () => {
  it('passes a scenario whose expectations hold', () => {
    const report = run({
      'ok.yaml': `${BASE}
expect:
  calls:
    c1:
      recordingStates: [started, stopped (User Requested)]
      recordedDuration: 19.8s
      streams: { packetsPerStream: 990 }
`,
    });
    expect(report.summary).toEqual({ scenarios: 1, passed: 1, failed: 0 });
  });

  it('fails a wrong expectation with the expected and actual values side by side', () => {
    const report = run({
      'bad.yaml': `${BASE}\nexpect:\n  calls:\n    c1:\n      tones: 3\n      recorded: false\n`,
    });
    expect(report.summary.failed).toBe(1);
    expect(report.scenarios[0]?.failures).toEqual([
      expect.objectContaining({ expectation: 'expect.calls.c1.recorded', expected: false, actual: true }),
      expect.objectContaining({ expectation: 'expect.calls.c1.tones', expected: 3, actual: 0 }),
    ]);
  });

  it('the same seed gives the same report, to the byte', () => {
    const files = { 'a.yaml': BASE, 'b.yaml': BASE.replace('on demand call', 'second') };
    expect(JSON.stringify(run(files, 'fixed'))).toBe(JSON.stringify(run(files, 'fixed')));
    expect(JSON.stringify(run(files, 'fixed'))).not.toBe(JSON.stringify(run(files, 'other')));
  });

  it('an unexpected Control Hub error fails the scenario; an expected one does not', () => {
    const unlicensed = BASE.replace('lastName: Novak }', 'lastName: Novak, licence: none }');
    const failing = run({ 'x.yaml': unlicensed });
    expect(failing.scenarios[0]?.failures[0]).toMatchObject({
      expected: 'no error',
      actual: 'SIM_ERR_USER_NOT_LICENSED',
    });
    const expected = unlicensed.replace(
      '  - enable: {',
      '  - expectError: SIM_ERR_USER_NOT_LICENSED\n    enable: {',
    );
    expect(run({ 'y.yaml': expected }).summary.passed).toBe(1);
  });

  it('a malformed scenario is refused naming the file, the line and the field', () => {
    const text = BASE.replace('{ at: 10s, do: start }', '{ at: 10, do: strat }');
    try {
      parseScenarioText(text, 'scenarios/broken.yaml');
      expect.unreachable('the scenario should be refused');
    } catch (error) {
      expect(isSimError(error, 'SIM_ERR_INVALID_SCENARIO')).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain('scenarios/broken.yaml:14  steps[1].call.events[1].at');
      expect(message).toContain('write a duration with a unit: 10s');
      expect(message).toContain('steps[1].call.events[1].do');
    }
  });

  it('a YAML syntax error names the file and line', () => {
    expect(() => parseScenarioText('name: [unclosed\n', 'x.yaml')).toThrow(/x\.yaml:\d+/);
  });

  it('--filter runs only the matching scenarios', () => {
    const dir = scenarioDir({ 'a.yaml': BASE, 'b.yaml': BASE.replace('on demand call', 'hold test') });
    expect(loadAll(findScenarioFiles([dir]), 'HOLD').map((l) => l.scenario.name)).toEqual(['hold test']);
  });
});
