/**
 * The bundled scenario library in virtual time: machine, media and domain rules only (goal < 5 s), and
 * with every recording delivered to the embedded sink over loopback ws, both in the same run.
 */
import { join } from 'node:path';
import { startEmbeddedSink } from '../src/scenario/embedded-sink.ts';
import {
  findScenarioFiles,
  loadAll,
  runScenarios,
  runScenariosWithSink,
} from '../src/scenario/run-scenarios.ts';
import { type BenchResult, bestOfMs, runIfMain } from './bench-result.ts';

export default async function bench(): Promise<BenchResult> {
  const loaded = loadAll(findScenarioFiles([join(import.meta.dirname, '..', 'scenarios')]));
  let failed = 0;
  const virtualMs = await bestOfMs(3, () => {
    failed += runScenarios(loaded, { seed: 'bench' }).summary.failed;
  });
  const withSinkMs = await bestOfMs(1, async () => {
    const sink = await startEmbeddedSink();
    try {
      failed += (await runScenariosWithSink(loaded, { seed: 'bench', sink })).summary.failed;
    } finally {
      await sink.close();
    }
  });
  return {
    name: 'scenario-library',
    figures: {
      scenarios: loaded.length,
      virtualMs: Math.round(virtualMs),
      withSinkMs: Math.round(withSinkMs),
      failed,
    },
    ratios: { sinkVsVirtual: withSinkMs / virtualMs },
    goals: [
      { goal: `whole library in virtual time < 5 s (${loaded.length} scenarios)`, met: virtualMs < 5000 },
    ],
    notes: ['withSinkMs includes storing every RTP packet in SQLite through the real protocol'],
  };
}

await runIfMain(import.meta, bench);
