/**
 * `callrec run --via api`: every scenario runs against its own in-process served Webex API (a fresh world
 * from the scenario's organisations, admins and users, on a virtual clock the runner moves), with every
 * Control Hub step and call command sent over loopback HTTP. Reports are built exactly as for a direct
 * run, so the two can be compared field by field.
 */
import { relative } from 'node:path';
import { buildScenarioReport } from '../scenario/build-report.ts';
import { executeScenarioVia, type ScenarioExecution } from '../scenario/execute-scenario.ts';
import type { LoadedScenario } from '../scenario/load-scenario.ts';
import { localDeliveries } from '../scenario/local-delivery.ts';
import type { RunReport, ScenarioReport } from '../scenario/report-types.ts';
import {
  type RunScenariosOptions,
  runReport,
  scenarioSeed,
  sinkDeliveryLookup,
  skippedAfter,
} from '../scenario/run-scenarios.ts';
import type { Scenario } from '../scenario/schema.ts';
import { deliverToSink } from '../scenario/sink-delivery.ts';
import { createVirtualClock } from '../time/index.ts';
import { createApiSurface } from './api-surface.ts';
import { type Exchange, startWebexServer } from './webex-server.ts';
import { fixtureFromScenario } from './world-fixture.ts';

/** The virtual world's clock 0, shown in the API's ISO times (it never reaches a report). */
const SERVED_EPOCH_MS = Date.UTC(2026, 0, 1);

export interface ViaApiOptions {
  /** Sees every request and answer (tests check each against the contract). */
  readonly onExchange?: (exchange: Exchange) => void;
}

/** Runs one scenario through a served API of its own. */
export async function executeScenarioViaApi(
  scenario: Scenario,
  options: ViaApiOptions = {},
): Promise<ScenarioExecution> {
  const clock = createVirtualClock();
  const server = await startWebexServer({
    fixture: fixtureFromScenario(scenario),
    clock,
    virtualClock: clock,
    epochMs: SERVED_EPOCH_MS,
    ...(options.onExchange === undefined ? {} : { onExchange: options.onExchange }),
  });
  try {
    return await executeScenarioVia(scenario, createApiSurface(server, scenario, clock));
  } finally {
    await server.close();
  }
}

export async function runScenariosViaApi(
  loaded: readonly LoadedScenario[],
  options: RunScenariosOptions & ViaApiOptions,
): Promise<RunReport> {
  const reports: ScenarioReport[] = [];
  const baseDir = options.baseDir ?? '.';
  for (const [index, item] of loaded.entries()) {
    const seed = scenarioSeed(options.seed, item);
    const file = relative(baseDir, item.file);
    const execution = await executeScenarioViaApi(item.scenario, options);
    let report: ScenarioReport;
    if (options.sink === undefined) {
      // As in a direct run without a sink: the network impairment still applies to what is counted.
      const local = new Map(execution.calls.flatMap((call) => [...localDeliveries(call, seed)]));
      report = buildScenarioReport(file, item.scenario, seed, execution, (id) => local.get(id));
    } else {
      const outcome = await deliverToSink(options.sink, file, item.scenario, execution, seed);
      const lookup = sinkDeliveryLookup(outcome.deliveries, options.portalUrl);
      const built = buildScenarioReport(file, item.scenario, seed, execution, lookup);
      const failures = [...built.failures, ...outcome.failures];
      report = { ...built, failures, passed: failures.length === 0 };
    }
    reports.push(report);
    options.onScenarioDone?.(report, index, loaded.length);
    if (options.bail && !report.passed) {
      const sink = options.sink?.kind ?? 'none';
      return runReport(reports, options.seed, sink, skippedAfter(loaded, index, baseDir));
    }
  }
  return runReport(reports, options.seed, options.sink?.kind ?? 'none');
}
