/**
 * A small readable diff of an expected and an actual value: element by element for arrays (longest
 * common subsequence), field by field for objects. Long unchanged runs are folded to keep it short.
 */
import { formatValue, isPlainObject } from './key-order.ts';

export interface DiffLine {
  readonly op: 'same' | 'removed' | 'added' | 'folded';
  readonly text: string;
}

/** Unchanged lines kept on each side of a change. */
const CONTEXT_LINES = 2;
/** Above this many cells the LCS table costs more than the diff is worth; the values still print. */
const MAX_CELLS = 250_000;

function diffLists(expected: readonly string[], actual: readonly string[]): DiffLine[] | undefined {
  const n = expected.length;
  const m = actual.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) return undefined;
  // lcs[i][j]: length of the longest common subsequence of expected[i..] and actual[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const at = (i: number, j: number) => lcs[i]?.[j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i];
      if (row)
        row[j] = expected[i] === actual[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const e = expected[i];
    const a = actual[j];
    if (i < n && j < m && e === a) {
      lines.push({ op: 'same', text: e ?? '' });
      i++;
      j++;
    } else if (j >= m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
      lines.push({ op: 'removed', text: e ?? '' });
      i++;
    } else {
      lines.push({ op: 'added', text: a ?? '' });
      j++;
    }
  }
  return lines;
}

function diffObjects(expected: Record<string, unknown>, actual: Record<string, unknown>): DiffLine[] {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return keys.flatMap((key): DiffLine[] => {
    const inExpected = Object.hasOwn(expected, key);
    const inActual = Object.hasOwn(actual, key);
    const e = `${key}: ${formatValue(expected[key])}`;
    const a = `${key}: ${formatValue(actual[key])}`;
    if (inExpected && inActual && e === a) return [{ op: 'same', text: e }];
    return [
      ...(inExpected ? [{ op: 'removed', text: e } as const] : []),
      ...(inActual ? [{ op: 'added', text: a } as const] : []),
    ];
  });
}

/** Folds unchanged runs longer than the context around them into one `folded` line. */
function fold(lines: readonly DiffLine[]): DiffLine[] {
  // Distance from each line to the nearest change, in two linear passes.
  const distance = lines.map((l) => (l.op === 'same' ? Number.POSITIVE_INFINITY : 0));
  for (let k = 1; k < distance.length; k++)
    distance[k] = Math.min(distance[k] ?? 0, (distance[k - 1] ?? 0) + 1);
  for (let k = distance.length - 2; k >= 0; k--)
    distance[k] = Math.min(distance[k] ?? 0, (distance[k + 1] ?? 0) + 1);
  const near = (index: number) => (distance[index] ?? 0) <= CONTEXT_LINES;
  const result: DiffLine[] = [];
  let hidden = 0;
  for (const [index, line] of lines.entries()) {
    if (line.op === 'same' && !near(index)) {
      hidden++;
      continue;
    }
    if (hidden > 0) result.push({ op: 'folded', text: `… ${hidden} unchanged` });
    hidden = 0;
    result.push(line);
  }
  if (hidden > 0) result.push({ op: 'folded', text: `… ${hidden} unchanged` });
  return result;
}

/** The diff of two arrays or two objects; `undefined` for anything else (expected/actual say it all). */
export function diffValues(expected: unknown, actual: unknown): DiffLine[] | undefined {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const lines = diffLists(expected.map(formatValue), actual.map(formatValue));
    return lines && fold(lines);
  }
  if (isPlainObject(expected) && isPlainObject(actual)) return fold(diffObjects(expected, actual));
  return undefined;
}
