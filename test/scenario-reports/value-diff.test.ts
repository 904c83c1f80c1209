import { describe, expect, it } from 'vitest';
import { formatClockMs, formatSpanMs } from '../../src/scenario/reports/time-format.ts';
import { diffValues } from '../../src/scenario/reports/value-diff.ts';

describe('diffValues', () => {
  it('diffs arrays element by element', () => {
    expect(diffValues(['pending', 'started'], ['pending', 'paused', 'started'])).toEqual([
      { op: 'same', text: '"pending"' },
      { op: 'added', text: '"paused"' },
      { op: 'same', text: '"started"' },
    ]);
  });

  it('diffs objects field by field', () => {
    expect(diffValues({ min: 0, max: 2 }, { min: 0, max: 5, extra: true })).toEqual([
      { op: 'added', text: 'extra: true' },
      { op: 'removed', text: 'max: 2' },
      { op: 'added', text: 'max: 5' },
      { op: 'same', text: 'min: 0' },
    ]);
  });

  it('folds long unchanged runs and leaves scalars to expected/actual', () => {
    const expected = Array.from({ length: 20 }, (_, i) => i);
    const actual = [...expected.slice(0, 19), 99];
    const lines = diffValues(expected, actual) ?? [];
    expect(lines[0]).toEqual({ op: 'folded', text: '… 17 unchanged' });
    expect(lines.slice(-2)).toEqual([
      { op: 'removed', text: '19' },
      { op: 'added', text: '99' },
    ]);
    expect(diffValues(3, 2)).toBeUndefined();
    expect(diffValues([1], { a: 1 })).toBeUndefined();
  });
});

describe('time formats', () => {
  it('prints clocks as mm:ss.mmm and spans in the largest units', () => {
    expect(formatClockMs(0)).toBe('00:00.000');
    expect(formatClockMs(65_432)).toBe('01:05.432');
    expect(formatClockMs(3_600_000)).toBe('60:00.000');
    expect(formatSpanMs(450)).toBe('450ms');
    expect(formatSpanMs(119_700)).toBe('1m 59.7s');
    expect(formatSpanMs(7_500_000)).toBe('2h 5m');
    expect(formatSpanMs(31 * 86_400_000)).toBe('31d');
  });
});
