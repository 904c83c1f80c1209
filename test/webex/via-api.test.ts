/**
 * `callrec run --via api`: the bundled library run through the served Webex API (every Control Hub step
 * and call command over HTTP) gives the same JSON report as the direct run — byte for byte, with and
 * without the embedded sink — and every request and answer of those runs keeps the contract.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedSink } from '../../src/scenario/embedded-sink.ts';
import { renderJsonReport } from '../../src/scenario/reports/json-report.ts';
import {
  findScenarioFiles,
  loadAll,
  runScenarios,
  runScenariosWithSink,
} from '../../src/scenario/run-scenarios.ts';
import { loadContract } from '../../src/webex/contract.ts';
import { runScenariosViaApi } from '../../src/webex/run-via-api.ts';
import type { Exchange } from '../../src/webex/webex-server.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const library = loadAll(findScenarioFiles([join(ROOT, 'scenarios')]));
const options = { seed: 'callrec', baseDir: ROOT };

describe('callrec run --via api', () => {
  it('the whole library passes through the API with a report identical to the direct run, and every exchange keeps the contract', async () => {
    const exchanges: Exchange[] = [];
    const direct = runScenarios(library, options);
    const via = await runScenariosViaApi(library, { ...options, onExchange: (e) => exchanges.push(e) });
    // Without a sink, only the expectations on what the sink stored cannot be met; both ways alike.
    const unmet = direct.scenarios.flatMap((s) => s.failures.map((f) => String(f.actual)));
    expect(unmet.length).toBeGreaterThan(0);
    for (const actual of unmet)
      expect(actual).toMatch(/^not checked: (no stored audio|the transport reported no stream statistics)/);
    expect(via.summary).toEqual(direct.summary);
    expect(renderJsonReport(via)).toBe(renderJsonReport(direct));

    // It really went over HTTP: every step and call command is a request.
    const steps = library.reduce((n, l) => n + l.scenario.steps.filter((s) => !('advance' in s)).length, 0);
    const commands = library.reduce(
      (n, l) => n + l.scenario.steps.reduce((m, s) => m + ('call' in s ? s.call.events.length : 0), 0),
      0,
    );
    expect(exchanges.length).toBeGreaterThanOrEqual(steps + commands);
    expect(exchanges.filter((e) => e.path.startsWith('/v1/telephony/calls/')).length).toBeGreaterThan(
      commands / 2,
    );

    const contract = await loadContract();
    const problems = exchanges.flatMap((e) =>
      e.operationId === undefined
        ? [`${e.method} ${e.path}: no operation`]
        : contract
            .responseProblems(e.operationId, e.status, e.responseBody)
            .map((p) => `${e.method} ${e.path}: ${p}`),
    );
    expect(problems).toEqual([]);
  }, 240_000);

  it('a failing scenario fails the same way through the API', async () => {
    const item = library.find((l) => l.file.includes('repeat-interval-bounds')) ?? library[0];
    if (item === undefined) throw new Error('empty library');
    const broken = {
      ...item,
      scenario: {
        ...item.scenario,
        expect: { ...item.scenario.expect, settings: { alice: { repeat: { interval: 91 } } } },
      },
    };
    const direct = runScenarios([broken], options);
    const via = await runScenariosViaApi([broken], options);
    expect(direct.summary.failed).toBe(1);
    expect(renderJsonReport(via)).toBe(renderJsonReport(direct));
  });

  it('with the embedded sink, recordings delivered after an API run give the same report', async () => {
    const some = library.filter((l) => /retention-access|streams/.test(l.file)).slice(0, 4);
    expect(some.length).toBeGreaterThan(0);
    const render = async (via: boolean) => {
      const sink = await startEmbeddedSink(':memory:');
      try {
        const report = via
          ? await runScenariosViaApi(some, { ...options, sink })
          : await runScenariosWithSink(some, { ...options, sink });
        return renderJsonReport(report).replace(new RegExp(sink.runId, 'g'), 'RUN');
      } finally {
        await sink.close();
      }
    };
    const direct = await render(false);
    expect(await render(true)).toBe(direct);
    expect(direct).toContain('"stored": true');
  }, 240_000);
});
