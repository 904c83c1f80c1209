/**
 * `npm run test:property`: 10,000 model-based command sequences of the call machine against the reference
 * model (PROPERTY_RUNS to change, PROPERTY_SEED and PROPERTY_PATH to replay one printed case).
 */
import { randomInt } from 'node:crypto';
import { callRunArb, runAgainstModel } from './call-property.ts';
import { runPropertyReport } from './property-report.ts';

const runs = Number(process.env.PROPERTY_RUNS ?? 10_000);
const seed = Number(process.env.PROPERTY_SEED ?? randomInt(2 ** 31 - 1));
const path = process.env.PROPERTY_PATH;

console.log(
  `call machine vs reference model: ${path === undefined ? `${runs} runs` : `replaying ${path}`}, seed ${seed}`,
);
const started = performance.now();
const report = runPropertyReport(
  callRunArb,
  (run) => {
    runAgainstModel(run);
  },
  { seed, runs, ...(path === undefined ? {} : { path }) },
  ([input, commands]) => [
    `input: ${JSON.stringify({ ...input, settings: input.settings })}`,
    `commands: ${[...commands].map((c) => c.toString()).join(', ') || '(none)'}`,
  ],
);
for (const line of report.lines) console.log(line);
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
process.exitCode = report.failed ? 1 : 0;
