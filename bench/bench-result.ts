/**
 * What every benchmark returns: named figures (with units in their names) and ratios measured in the same
 * run against a bare baseline. `bench/run-all.ts` prints them and saves them under `bench/results/`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchResult {
  readonly name: string;
  /** Measured values, e.g. `{ replayMs: 412, packets: 360000 }`. */
  readonly figures: Readonly<Record<string, number>>;
  /** Ratios against a baseline measured in the same run, e.g. `{ vsBareSerialise: 0.74 }`. */
  readonly ratios: Readonly<Record<string, number>>;
  /** Goals this benchmark sets, and whether this run met them. */
  readonly goals?: readonly { readonly goal: string; readonly met: boolean }[];
  readonly notes?: readonly string[];
}

export type Bench = () => Promise<BenchResult>;

export function formatBenchResult(result: BenchResult): string {
  const lines = [`## ${result.name}`];
  for (const [k, v] of Object.entries(result.figures)) lines.push(`  ${k}: ${formatNumber(v)}`);
  for (const [k, v] of Object.entries(result.ratios)) lines.push(`  ratio ${k}: ${formatNumber(v)}`);
  for (const g of result.goals ?? []) lines.push(`  goal ${g.met ? 'met' : 'NOT met'}: ${g.goal}`);
  for (const n of result.notes ?? []) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

export function saveBenchResult(result: BenchResult, dir = join(import.meta.dirname, 'results')): string {
  const file = join(dir, `${result.name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Runs `fn` `times` times and returns the best wall time in ms (benchmarks only; never in tests). */
export async function bestOfMs(times: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** When a bench file is run directly (`tsx bench/x.ts`), run it and print its result. */
export async function runIfMain(meta: ImportMeta, bench: Bench): Promise<void> {
  if (process.argv[1] !== undefined && meta.filename === process.argv[1]) {
    const result = await bench();
    console.log(formatBenchResult(result));
    saveBenchResult(result);
  }
}
