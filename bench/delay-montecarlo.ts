/**
 * Throughput of the delay Monte Carlo: 100,000 calls in each of the four configurations, against a bare
 * loop that only draws as many random numbers from the same generator.
 */
import { createDelayParams, runMonteCarlo } from '../src/delay/index.ts';
import { createRng } from '../src/time/index.ts';
import { type BenchResult, bestOfMs, runIfMain } from './bench-result.ts';

const CALLS = 100_000;
const CONFIGURATIONS = 4;
const GOAL_MS = 10_000;

export default async function delayMonteCarlo(): Promise<BenchResult> {
  const params = createDelayParams();
  let uniformsDrawn = 0;
  let p50CombinedMs = Number.NaN;
  const monteCarloMs = await bestOfMs(3, () => {
    const r = runMonteCarlo({ calls: CALLS, seed: 'bench', params });
    uniformsDrawn = r.uniformsDrawn;
    p50CombinedMs = r.s12.p50Ms.combined;
  });
  const perCall = Math.round(uniformsDrawn / CALLS);
  let sink = 0;
  const bareMs = await bestOfMs(3, () => {
    const rng = createRng('delay/bench');
    for (let i = 0; i < CALLS; i++) for (let k = 0; k < perCall; k++) sink += rng.nextFloat();
  });
  return {
    name: 'delay-montecarlo',
    figures: {
      callsPerConfiguration: CALLS,
      configurations: CONFIGURATIONS,
      monteCarloMs,
      perConfigurationMs: monteCarloMs / CONFIGURATIONS,
      simulatedCallsPerSecond: (CALLS * CONFIGURATIONS) / (monteCarloMs / 1000),
      uniformsPerCall: perCall,
      bareDrawLoopMs: bareMs,
      p50CombinedMs,
    },
    ratios: { vsBareDrawLoop: monteCarloMs / bareMs },
    goals: [
      {
        goal: `${CALLS.toLocaleString('en-GB')} calls × ${CONFIGURATIONS} configurations in < ${GOAL_MS / 1000} s (${(monteCarloMs / 1000).toFixed(2)} s)`,
        met: monteCarloMs < GOAL_MS,
      },
    ],
    notes: [
      'best of 3; default conditions; one world per call shared by the four configurations (common random numbers)',
      `bare loop: the same ${perCall} uniforms per call from one createRng stream, nothing else (checksum ${sink.toFixed(0)})`,
    ],
  };
}

await runIfMain(import.meta, delayMonteCarlo);
