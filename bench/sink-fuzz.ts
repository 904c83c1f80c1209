/**
 * The sink's fuzz properties with many more cases than CI runs. `tsx bench/sink-fuzz.ts [seed]`
 * (default seed 1, CI uses another); a failure prints the seed and path to replay it.
 */
import fc from 'fast-check';
import { parseClientText } from '../src/protocol/parse-message.ts';
import { clientTextArbitrary, orderRunArbitrary, runOrder } from '../test/dubber/fuzz-model.ts';
import { type BenchResult, runIfMain } from './bench-result.ts';

const PARSER_RUNS = 100_000;
const ORDER_RUNS = 10_000;

export default async function bench(): Promise<BenchResult> {
  const seed = Number(process.argv[2] ?? 1);
  const parserStart = performance.now();
  fc.assert(
    fc.property(clientTextArbitrary, (text) => {
      parseClientText(text);
    }),
    { seed, numRuns: PARSER_RUNS },
  );
  const parserMs = performance.now() - parserStart;
  const orderStart = performance.now();
  fc.assert(
    fc.property(orderRunArbitrary, (ops) => {
      runOrder(ops);
    }),
    { seed, numRuns: ORDER_RUNS },
  );
  const orderMs = performance.now() - orderStart;
  return {
    name: 'sink-fuzz',
    figures: { seed, parserRuns: PARSER_RUNS, parserMs, orderRuns: ORDER_RUNS, orderMs },
    ratios: {},
    notes: ['every property held; rerun with another seed to explore further'],
  };
}

await runIfMain(import.meta, bench);
