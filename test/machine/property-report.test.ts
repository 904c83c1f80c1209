import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPropertyReport } from './property-report.ts';

// A deliberately wrong "machine": it loses a tone after the 3rd command, which the model counts.
const commandsArb = fc.array(fc.constantFrom('answer', 'pause', 'resume', 'tone'), { maxLength: 12 });
function check(commands: string[]) {
  const model = commands.filter((c) => c === 'tone').length;
  const machine = commands.filter((c, i) => c === 'tone' && i < 3).length;
  expect({ tones: machine, commands: commands.length }).toEqual({ tones: model, commands: commands.length });
}
const describeCase = (commands: string[]) => [`commands: ${commands.join(', ')}`];

describe('npm run test:property output', () => {
  it('reads like a test run when everything holds', () => {
    const report = runPropertyReport(fc.integer(), () => {}, { seed: 7, runs: 500 });
    expect(report).toEqual({ failed: false, lines: ['500 passed, 0 failed (seed 7)'] });
  });

  it('prints the shrunk counterexample as commands, model vs machine, and a seed + path that replay it', () => {
    const report = runPropertyReport(commandsArb, check, { seed: 42, runs: 1000 }, describeCase);
    expect(report.failed).toBe(true);
    const text = report.lines.join('\n');
    expect(report.lines[0]).toMatch(
      /^\d+ passed, 1 failed \(of 1000; stopped at the first failure, shrunk \d+ times\)$/,
    );
    expect(text).toContain('commands: answer, answer, answer, tone');
    expect(text).toContain('the reference model said tones 1, the machine did tones 0');
    const replay = /PROPERTY_SEED=(\d+) PROPERTY_PATH=(\S+) npm run test:property/.exec(text);
    expect(replay?.[1]).toBe('42');
    const again = runPropertyReport(
      commandsArb,
      check,
      { seed: 42, runs: 1000, path: replay?.[2] ?? '' },
      describeCase,
    );
    expect(again.lines[0]).toMatch(/^0 passed, 1 failed \(of 1;/);
    expect(again.lines.join('\n')).toContain('commands: answer, answer, answer, tone');
  });
});
