/**
 * `npm run bench`: every benchmark in turn (`npm run bench -- live sink` runs those whose name contains a
 * word), the goals a run did not meet, then one final line of the ratios measured in this run.
 */
import {
  type Bench,
  type BenchResult,
  formatBenchResult,
  formatNumber,
  saveBenchResult,
} from './bench-result.ts';

const benches: readonly (readonly [string, () => Promise<{ default: Bench }>])[] = [
  ['media-replay', () => import('./media-replay.ts')],
  ['property-throughput', () => import('./property-throughput.ts')],
  ['scenario-library', () => import('./scenario-library.ts')],
  ['delay-montecarlo', () => import('./delay-montecarlo.ts')],
  ['ice-calibration', () => import('./ice-calibration.ts')],
  ['sink-throughput', () => import('./sink-throughput.ts')],
  ['sink-fuzz', () => import('./sink-fuzz.ts')],
  ['live-load', () => import('./live-load.ts')],
];

const only = process.argv.slice(2);
const results: BenchResult[] = [];
const failed: string[] = [];
for (const [name, load] of benches) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  const startedMs = performance.now();
  console.log(`… ${name}`);
  try {
    const bench = (await load()).default;
    const result = await bench();
    results.push(result);
    console.log(formatBenchResult(result));
    console.log(
      `  (${((performance.now() - startedMs) / 1000).toFixed(1)} s; saved ${saveBenchResult(result)})`,
    );
  } catch (error) {
    // One broken bench must not hide the others' figures.
    failed.push(name);
    console.log(`  FAILED: ${(error as Error)?.stack ?? String(error)}`);
  }
}
const unmet = results.flatMap((r) =>
  (r.goals ?? []).filter((g) => !g.met).map((g) => `${r.name}: ${g.goal}`),
);
if (unmet.length > 0) console.log(`goals not met in this run:\n${unmet.map((g) => `  ${g}`).join('\n')}`);
if (failed.length > 0) {
  console.log(`benches that failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
const ratioLine = results
  .flatMap((r) => Object.entries(r.ratios).map(([k, v]) => `${r.name}.${k}=${formatNumber(v)}`))
  .join('  ');
console.log(`ratios: ${ratioLine || '(none)'}`);
