import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../src/scenario/reports/console-report.ts';
import { runReport } from './fixtures.ts';

const ESC = '\u001b';

describe('renderConsoleSummary', () => {
  const plain = renderConsoleSummary(runReport(), { color: false });
  const lines = plain.split('\n');

  it('prints one line per scenario with mark, name, cites and virtual duration', () => {
    expect(lines).toContain('✓ Always records the whole call [S22, S24, S29] 2m');
    expect(lines).toContain('✗ On Demand pause, resume, stop and start again [S21, S27, S29] 2m 5s');
  });

  it('shows each failure with expected vs actual and a diff', () => {
    expect(plain).toContain('✗ expect.calls.c2.tones: Repeat tones played (S29)');
    expect(lines).toContain('      expected: 3');
    expect(lines).toContain('      actual:   2');
    expect(lines).toContain('        - "stopped"');
    expect(lines).toContain('        + "stopped (User Requested)"');
  });

  it("shows the failing call's timeline from the call's start, one event per line", () => {
    expect(plain).toContain(
      'call c2 · bob · On Demand · incoming internal · scenario time 00:05.000 → 02:05.000',
    );
    expect(lines).toContain('      00:35.000  announcement pause (beep), reported to Dubber');
    expect(lines).toContain('      01:15.000  rejected resume: the recording is stopped, not paused');
    expect(plain).toContain(
      'scenario time 00:00.000 → 00:10.000 · ended early (last event was due at 00:30.000)',
    );
    // The passing scenario's call is not dumped.
    expect(plain).not.toContain('call c1 ·');
  });

  it('ends with the totals', () => {
    expect(lines.at(-1)).toBe('3 scenarios: 1 passed, 2 failed');
  });

  it('has no ANSI codes without colour, even when report text carries escapes', () => {
    expect(plain).not.toContain(ESC);
    expect(plain).toContain('␛[31mred␀');
  });

  it('colours marks and diffs when asked', () => {
    const colored = renderConsoleSummary(runReport(), { color: true });
    expect(colored).toContain(`${ESC}[32m✓${ESC}[39m`);
    expect(colored).toContain(`${ESC}[31m✗${ESC}[39m`);
    expect(colored.replaceAll(new RegExp(`${ESC}\\[\\d+m`, 'g'), '')).toBe(plain);
  });
});
