/**
 * A property run that reads like a test run: `10000 passed, 0 failed`, or the shrunk counterexample as
 * its list of commands, what the reference model said against what the machine did, and the seed and
 * path that replay exactly that case (`PROPERTY_SEED=… PROPERTY_PATH=… npm run test:property`).
 */
import fc from 'fast-check';

export interface PropertyRunOptions {
  readonly seed: number;
  readonly runs: number;
  /** fast-check's replay path of one case (printed on failure). */
  readonly path?: string;
}

export interface PropertyRunReport {
  readonly failed: boolean;
  readonly lines: readonly string[];
}

function differingKeys(expected: unknown, actual: unknown): string[] {
  if (expected === null || actual === null || typeof expected !== 'object' || typeof actual !== 'object') {
    return [];
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  return [...new Set([...Object.keys(e), ...Object.keys(a)])].filter(
    (k) => JSON.stringify(e[k]) !== JSON.stringify(a[k]),
  );
}

/** "the reference model said X, the machine did Y" from an assertion error (expected = model, actual = machine). */
export function disagreement(error: unknown): string {
  const err = error as { expected?: unknown; actual?: unknown; message?: string };
  if (err !== null && typeof err === 'object' && ('expected' in err || 'actual' in err)) {
    const keys = differingKeys(err.expected, err.actual);
    const pick = (v: unknown) =>
      keys.length === 0
        ? JSON.stringify(v)
        : keys.map((k) => `${k} ${JSON.stringify((v as Record<string, unknown>)[k])}`).join(', ');
    return `the reference model said ${pick(err.expected)}, the machine did ${pick(err.actual)}`;
  }
  return `the check failed: ${err?.message ?? String(error)}`;
}

export function runPropertyReport<T>(
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => void,
  options: PropertyRunOptions,
  describeCase: (value: T) => string[] = (value) => [fc.stringify(value)],
): PropertyRunReport {
  const details = fc.check(fc.property(arbitrary, predicate), {
    seed: options.seed,
    numRuns: options.runs,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  const total = options.path === undefined ? options.runs : 1;
  if (!details.failed || details.counterexample === null) {
    return { failed: false, lines: [`${details.numRuns} passed, 0 failed (seed ${options.seed})`] };
  }
  const passed = Math.max(0, details.numRuns - 1);
  const [value] = details.counterexample as [T];
  return {
    failed: true,
    lines: [
      `${passed} passed, 1 failed (of ${total}; stopped at the first failure, shrunk ${details.numShrinks} times)`,
      '',
      'counterexample:',
      ...describeCase(value).map((l) => `  ${l}`),
      '',
      disagreement(details.errorInstance),
      '',
      `replay: PROPERTY_SEED=${options.seed} PROPERTY_PATH=${details.counterexamplePath ?? ''} npm run test:property`,
    ],
  };
}
