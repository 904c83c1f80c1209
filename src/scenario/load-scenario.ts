/**
 * Reads a scenario file (YAML or JSON) and validates it. An invalid file is refused with
 * SIM_ERR_INVALID_SCENARIO naming the file, the line and the field of every problem.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { SimError } from '../errors.ts';
import { unknownName } from './did-you-mean.ts';
import { findReferenceProblems } from './scenario-references.ts';
import { type Scenario, scenarioSchema, stepSchema } from './schema.ts';

export interface LoadedScenario {
  readonly file: string;
  readonly scenario: Scenario;
}

export interface ScenarioProblem {
  readonly file: string;
  readonly line: number | null;
  readonly field: string;
  readonly message: string;
}

const STEP_KINDS = ['enable', 'update', 'disable', 'switchTier', 'call', 'checkDubPoint', 'advance'] as const;

function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) =>
      typeof key === 'number' ? `${acc}[${key}]` : acc === '' ? String(key) : `${acc}.${String(key)}`,
    '',
  );
}

/** The issues of one step, checked against the variant its key names (clearer than a union's error). */
function stepIssues(step: unknown): z.core.$ZodIssue[] {
  if (step === null || typeof step !== 'object') return [];
  const kind = STEP_KINDS.find((k) => k in step);
  if (kind === undefined) {
    return [
      {
        code: 'custom',
        path: [],
        message: `a step needs one of: ${STEP_KINDS.join(', ')}`,
        input: step,
      } as z.core.$ZodIssue,
    ];
  }
  const variant = stepSchema.options.find((o) => kind in o.shape);
  const result = variant?.safeParse(step);
  return result && !result.success ? result.error.issues : [];
}

export function parseScenarioText(text: string, file: string): Scenario {
  const isJson = extname(file).toLowerCase() === '.json';
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      file,
      line: e.linePos?.[0]?.line ?? null,
      field: '(syntax)',
      message: e.message.split('\n')[0] ?? e.message,
    }));
    throw invalid(file, problems, isJson ? 'JSON' : 'YAML');
  }
  const data: unknown = doc.toJS();
  const parsed = scenarioSchema.safeParse(data);

  const lineOf = (path: readonly PropertyKey[]): number | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as (string | number)[], true);
      const range = (
        isScalar(node) || isMap(node) || (node && typeof node === 'object' && 'range' in node)
          ? (node as { range?: [number, number, number] }).range
          : undefined
      ) as [number, number, number] | undefined;
      if (range) return lineCounter.linePos(range[0]).line;
    }
    return null;
  };

  if (parsed.success) {
    const references = findReferenceProblems(parsed.data);
    if (references.length === 0) return parsed.data;
    const problems = references.map((p) => ({
      file,
      line: lineOf(p.path),
      field: fieldName(p.path) || '(scenario)',
      message: p.message,
    }));
    throw invalid(file, problems, 'scenario');
  }

  const problems: ScenarioProblem[] = [];
  for (const issue of parsed.error.issues) {
    const isStepUnion =
      issue.code === 'invalid_union' && issue.path.length === 2 && issue.path[0] === 'steps';
    const issues = isStepUnion
      ? stepIssues((data as { steps: unknown[] }).steps[issue.path[1] as number]).map((i) => ({
          ...i,
          path: [...issue.path, ...i.path],
        }))
      : [issue];
    for (const i of issues.flatMap(unionBranchIssues)) {
      problems.push({
        file,
        line: lineOf(i.path),
        field: fieldName(i.path) || '(scenario)',
        message: readable(i, valueAt(data, i.path)),
      });
    }
  }
  throw invalid(file, problems, 'scenario');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * A value that matches no branch of a union (`recordedDuration: 59.8` is neither a duration nor
 * `{ value, tolerance }`) is explained by the branch it was meant for: the first one that does not
 * refuse it for its type alone. One mistake, one message.
 */
function unionBranchIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const typeOnly = (branch: readonly z.core.$ZodIssue[]) =>
    branch.every((i) => i.code === 'invalid_type' && i.path.length === 0);
  const branch = issue.errors.find((b) => b.length > 0 && !typeOnly(b)) ?? issue.errors[0] ?? [];
  const nested = branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue);
  return nested.length === 0 ? [issue] : nested.flatMap(unionBranchIssues);
}

/** zod's wording made specific: "missing" for a missing field, "did you mean …?" for a misspelt name. */
function readable(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `required but missing (expected ${issue.expected})`;
  }
  if (issue.code === 'invalid_value' && issue.values.every((v) => typeof v === 'string')) {
    return unknownName('value', String(value), issue.values as string[]);
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `unknown field "${key}"`).join('; ');
  }
  return issue.message;
}

function invalid(file: string, unsorted: ScenarioProblem[], what: string): SimError {
  const problems = [...unsorted].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const list = problems
    .map((p) => `  ${p.file}${p.line === null ? '' : `:${p.line}`}  ${p.field}: ${p.message}`)
    .join('\n');
  return new SimError(
    'SIM_ERR_INVALID_SCENARIO',
    `Invalid ${what} in ${file}; fix these and run again:\n${list}`,
    {
      details: { file, problems },
    },
  );
}

export function loadScenarioFile(file: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SimError('SIM_ERR_SCENARIO_FILE', `Cannot read scenario file ${file}: check the path.`, {
      details: { file },
      cause,
    });
  }
  return { file, scenario: parseScenarioText(text, file) };
}
