/**
 * `npm run bench`: every benchmark in turn, each in a process of its own so one bench's heap and JIT state
 * do not disturb the next one's timings (`npm run bench -- live sink` runs those whose name contains a
 * word); then the goals a run did not meet, and one final line of the ratios measured in this run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchResult, formatNumber } from './bench-result.ts';

const BENCHES = [
  'media-replay',
  'property-throughput',
  'scenario-library',
  'delay-montecarlo',
  'ice-calibration',
  'delay-measured',
  'recorder-setup',
  'sink-throughput',
  'sink-fuzz',
  'live-load',
  'live-load-workers',
] as const;

const resultsDir = join(import.meta.dirname, 'results');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs one bench file in its own process (its output shows as it goes) and reads the result it saved. */
async function runBench(name: string): Promise<BenchResult> {
  const resultFile = join(resultsDir, `${name}.json`);
  rmSync(resultFile, { force: true });
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, join(import.meta.dirname, `${name}.ts`)], {
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0 || !existsSync(resultFile)) {
    throw new Error(
      `bench/${name}.ts exited with code ${code} and ${existsSync(resultFile) ? 'a' : 'no'} result`,
    );
  }
  return JSON.parse(readFileSync(resultFile, 'utf8')) as BenchResult;
}

const only = process.argv.slice(2);
const results: BenchResult[] = [];
const failed: string[] = [];
for (const name of BENCHES) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  const startedMs = performance.now();
  console.log(`… ${name}`);
  try {
    results.push(await runBench(name));
    console.log(
      `  (${((performance.now() - startedMs) / 1000).toFixed(1)} s; saved bench/results/${name}.json)`,
    );
  } catch (error) {
    // One broken bench must not hide the others' figures.
    failed.push(name);
    console.log(`  FAILED: ${(error as Error)?.message ?? String(error)}`);
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
