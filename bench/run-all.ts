/** `npm run bench`: every benchmark in turn, then one final line of the ratios measured in this run. */
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
for (const [name, load] of benches) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  console.log(`… ${name}`);
  const bench = (await load()).default;
  const result = await bench();
  results.push(result);
  console.log(formatBenchResult(result));
  saveBenchResult(result);
}
const ratioLine = results
  .flatMap((r) => Object.entries(r.ratios).map(([k, v]) => `${r.name}.${k}=${formatNumber(v)}`))
  .join('  ');
console.log(`ratios: ${ratioLine || '(none)'}`);
