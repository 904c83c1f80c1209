/** Runs scenario files in virtual time and gathers one RunReport; the CLI prints and writes it. */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { SimError } from '../errors.ts';
import type { SinkTarget } from '../platform/sink-target.ts';
import { buildScenarioReport, type DeliveryLookup, type RecordingDelivery } from './build-report.ts';
import { executeScenario } from './execute-scenario.ts';
import { type LoadedScenario, loadScenarioFile } from './load-scenario.ts';
import { localDeliveries } from './local-delivery.ts';
import type { RunReport, ScenarioReport, SkippedScenario } from './report-types.ts';
import { deliverToSink } from './sink-delivery.ts';

export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Expands folders into the scenario files they hold (sorted, so runs are reproducible). */
export function findScenarioFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (cause) {
      throw new SimError('SIM_ERR_SCENARIO_FILE', `No such scenario file or folder: ${path}`, {
        details: { path },
        cause,
      });
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (SCENARIO_EXTENSIONS.includes(extname(entry.name).toLowerCase())) files.push(full);
      }
    };
    walk(path);
  }
  return files;
}

export interface RunScenariosOptions {
  readonly seed: string;
  readonly filter?: string;
  readonly bail?: boolean;
  /** Paths in reports are written relative to this folder (default: the current one). */
  readonly baseDir?: string;
  readonly onScenarioDone?: (report: ScenarioReport, index: number, total: number) => void;
  /** Deliver every recording to this sink and ask it the access and retention questions. */
  readonly sink?: SinkTarget;
  /**
   * The portal of a sink that keeps its recordings (a database file, or an external sink): the report
   * then names each recording's sink id and links it there. Unset, the report leaves sink ids out (they
   * differ from run to run).
   */
  readonly portalUrl?: string;
}

/**
 * Loads every file first, so a malformed file stops the run before anything is executed. `filter` keeps
 * the scenarios whose name or path contains it, or that cite it (`S29`) or carry it as a tag (all
 * case-insensitive; a statement or tag must match whole, so `S2` is not `S29`).
 */
export function loadAll(files: readonly string[], filter?: string): LoadedScenario[] {
  const loaded = files.map((f) => loadScenarioFile(f));
  if (filter === undefined) return loaded;
  return loaded.filter((l) => matchesFilter(l, filter));
}

export function matchesFilter(loaded: LoadedScenario, filter: string): boolean {
  const needle = filter.toLowerCase();
  const { scenario, file } = loaded;
  return (
    scenario.name.toLowerCase().includes(needle) ||
    file.toLowerCase().includes(needle) ||
    scenario.cites.some((c) => c.toLowerCase() === needle) ||
    scenario.tags.some((t) => t.toLowerCase() === needle)
  );
}

/**
 * What a report learns of each recording from the sink. The sink's own id is kept only when the report
 * links to a portal, so a run's report does not change with the sink's namespace otherwise.
 */
export function sinkDeliveryLookup(
  deliveries: ReadonlyMap<string, RecordingDelivery>,
  portalUrl: string | undefined,
): DeliveryLookup {
  return (id) => {
    const delivery = deliveries.get(id);
    if (delivery === undefined || portalUrl !== undefined) return delivery;
    const { sinkRecordingId: _unlinked, ...rest } = delivery;
    return rest;
  };
}

export function scenarioSeed(runSeed: string, loaded: LoadedScenario): string {
  return loaded.scenario.seed === undefined
    ? `${runSeed}/${loaded.scenario.name}`
    : String(loaded.scenario.seed);
}

/** Runs in virtual time without a sink: the domain answers access and retention. */
export function runScenarios(loaded: readonly LoadedScenario[], options: RunScenariosOptions): RunReport {
  const reports: ScenarioReport[] = [];
  const baseDir = options.baseDir ?? '.';
  for (const [index, item] of loaded.entries()) {
    const seed = scenarioSeed(options.seed, item);
    const execution = executeScenario(item.scenario);
    // The network impairment applies without a sink too: count what the recorder would have received.
    const local = new Map(execution.calls.flatMap((call) => [...localDeliveries(call, seed)]));
    const report = buildScenarioReport(relative(baseDir, item.file), item.scenario, seed, execution, (id) =>
      local.get(id),
    );
    reports.push(report);
    options.onScenarioDone?.(report, index, loaded.length);
    if (options.bail && !report.passed) {
      return runReport(reports, options.seed, 'none', skippedAfter(loaded, index, baseDir));
    }
  }
  return runReport(reports, options.seed, 'none');
}

/**
 * Runs in virtual time and sends every kept recording over real WebSockets to the sink, which then
 * answers the access and retention expectations through its portal (and must store every packet).
 */
export async function runScenariosWithSink(
  loaded: readonly LoadedScenario[],
  options: RunScenariosOptions & { readonly sink: SinkTarget },
): Promise<RunReport> {
  const reports: ScenarioReport[] = [];
  const baseDir = options.baseDir ?? '.';
  for (const [index, item] of loaded.entries()) {
    const seed = scenarioSeed(options.seed, item);
    const file = relative(baseDir, item.file);
    const execution = executeScenario(item.scenario);
    const outcome = await deliverToSink(options.sink, file, item.scenario, execution, seed);
    const lookup = sinkDeliveryLookup(outcome.deliveries, options.portalUrl);
    const built = buildScenarioReport(file, item.scenario, seed, execution, lookup);
    const failures = [...built.failures, ...outcome.failures];
    const report: ScenarioReport = { ...built, failures, passed: failures.length === 0 };
    reports.push(report);
    options.onScenarioDone?.(report, index, loaded.length);
    if (options.bail && !report.passed) {
      return runReport(reports, options.seed, options.sink.kind, skippedAfter(loaded, index, baseDir));
    }
  }
  const report = runReport(reports, options.seed, options.sink.kind);
  return options.portalUrl === undefined ? report : { ...report, portalUrl: options.portalUrl };
}

/** The scenarios after `index` that `--bail` leaves unrun, for the reports to list. */
export function skippedAfter(
  loaded: readonly LoadedScenario[],
  index: number,
  baseDir = '.',
): SkippedScenario[] {
  return loaded.slice(index + 1).map((item) => ({
    name: item.scenario.name,
    file: relative(baseDir, item.file),
    reason: '--bail stopped the run after the first failing scenario',
  }));
}

export function runReport(
  reports: ScenarioReport[],
  seed: string,
  sink: RunReport['sink'],
  skipped: readonly SkippedScenario[] = [],
): RunReport {
  const passed = reports.filter((r) => r.passed).length;
  return {
    tool: 'callrec',
    version: '0.1.0',
    seed,
    mode: 'virtual',
    sink,
    summary: { scenarios: reports.length, passed, failed: reports.length - passed },
    scenarios: reports,
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}
