import { describe, expect, it } from 'vitest';
import { renderJsonReport } from '../../src/scenario/reports/json-report.ts';
import { runReport } from './fixtures.ts';

/** The same data with every object's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

describe('renderJsonReport', () => {
  it('is byte-identical for equal reports, whatever order their objects were built in', () => {
    const first = renderJsonReport(runReport());
    expect(renderJsonReport(runReport())).toBe(first);
    expect(renderJsonReport(reverseKeys(runReport()) as ReturnType<typeof runReport>)).toBe(first);
  });

  it('uses a 2-space indent, a trailing newline and the declared key order', () => {
    const json = renderJsonReport(runReport());
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.split('\n')[1]).toBe('  "tool": "callrec",');
    expect(Object.keys(JSON.parse(json))).toEqual([
      'tool',
      'version',
      'seed',
      'mode',
      'sink',
      'summary',
      'scenarios',
    ]);
    const scenario = JSON.parse(json).scenarios[1];
    expect(Object.keys(scenario).slice(0, 6)).toEqual([
      'name',
      'file',
      'cites',
      'seed',
      'passed',
      'durationMs',
    ]);
    expect(Object.keys(scenario.calls[0].timeline[0]).slice(0, 2)).toEqual(['atMs', 'type']);
  });

  it('round-trips the report, nasty strings included', () => {
    expect(JSON.parse(renderJsonReport(runReport()))).toEqual(runReport());
  });

  it('sorts the keys of free-form expected/actual values', () => {
    const report = runReport();
    const [scenario] = report.scenarios;
    if (!scenario) throw new Error('fixture has scenarios');
    const withObject = {
      ...report,
      scenarios: [
        {
          ...scenario,
          failures: [{ expectation: 'x', message: 'm', expected: { b: 1, a: 2 }, actual: null }],
        },
      ],
    };
    expect(renderJsonReport(withObject)).toContain(
      '"expected": {\n            "a": 2,\n            "b": 1\n          }',
    );
  });
});
