/**
 * Model-based property runs of the call machine per second: 10,000 random command sequences against
 * the reference model (`npm run test:property`), vs a bare loop that only generates the same sequences.
 */
import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import { callRunArb, runAgainstModel } from '../test/machine/call-property.ts';
import { type BenchResult, runIfMain } from './bench-result.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);
const SEED = Number(process.env.PROPERTY_SEED ?? randomInt(2 ** 31 - 1));

export default async function bench(): Promise<BenchResult> {
  const arb = callRunArb;
  const startBare = performance.now();
  fc.assert(
    fc.property(arb, ([, commands]) => {
      for (const _ of commands) {
        // generation only
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
  const bareMs = performance.now() - startBare;

  const start = performance.now();
  fc.assert(
    fc.property(arb, (run) => {
      runAgainstModel(run);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  const runMs = performance.now() - start;
  return {
    name: 'property-throughput',
    figures: {
      runs: RUNS,
      seed: SEED,
      runMs: Math.round(runMs),
      generateOnlyMs: Math.round(bareMs),
      runsPerS: Math.round((RUNS / runMs) * 1000),
    },
    ratios: { generateOnlyVsFull: bareMs / runMs },
    goals: [{ goal: `${RUNS} model-based sequences in < 30 s`, met: runMs < 30_000 }],
    notes: [`replay a failure with PROPERTY_SEED=${SEED}`],
  };
}

await runIfMain(import.meta, bench);
