/**
 * Reads a scenario file (YAML or JSON) and validates it. An invalid file is refused with
 * SIM_ERR_INVALID_SCENARIO naming the file, the line and the field of every problem.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { SimError } from '../errors.ts';
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
  if (parsed.success) return parsed.data;

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
    for (const i of issues) {
      problems.push({
        file,
        line: lineOf(i.path),
        field: fieldName(i.path) || '(scenario)',
        message: readable(i),
      });
    }
  }
  throw invalid(file, problems, 'scenario');
}

/** zod says "expected array, received undefined" for a missing field; say "missing" instead. */
function readable(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `required but missing (expected ${issue.expected})`;
  }
  return issue.message;
}

function invalid(file: string, problems: ScenarioProblem[], what: string): SimError {
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
