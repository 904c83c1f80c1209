/**
 * `callrec run --watch`: watches the scenario files and the simulator's code (node:fs watch) and, after
 * a short quiet period, asks for the scenarios to run again — the files that changed, or every scenario
 * when code changed (any scenario may depend on it). Re-runs never overlap: changes seen during one are
 * gathered for the next.
 */
import { existsSync, type FSWatcher, statSync, watch } from 'node:fs';
import { dirname, extname, resolve, sep } from 'node:path';
import type { TimerClock } from '../time/index.ts';
import { findScenarioFiles, SCENARIO_EXTENSIONS } from './run-scenarios.ts';

export interface WatchOptions {
  /** Scenario files or folders, as given to `callrec run`. */
  readonly scenarioPaths: readonly string[];
  /** Folders whose `.ts` files are the simulator's code (e.g. src, machines). */
  readonly codeDirs: readonly string[];
  /** Real time in the CLI; tests may pass any timer clock. */
  readonly clock: TimerClock;
  /** Quiet period after the last change before re-running (default 200 ms). */
  readonly debounceMs?: number;
  readonly rerun: (files: readonly string[], why: string) => Promise<void> | void;
  /** A watch that failed (a folder removed …); the watcher keeps the others. */
  readonly onError?: (error: Error) => void;
}

export interface ScenarioWatcher {
  close(): void;
}

export interface RerunPlan {
  readonly files: readonly string[];
  readonly why: string;
}

const isWithin = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

/** Which scenarios to run again after these paths changed (absolute paths); undefined when none. */
export function planRerun(
  changed: readonly string[],
  scenarioPaths: readonly string[],
  codeDirs: readonly string[],
): RerunPlan | undefined {
  const roots = scenarioPaths.map((p) => resolve(p));
  const code = changed.filter(
    (p) => extname(p) === '.ts' && codeDirs.some((dir) => isWithin(p, resolve(dir))),
  );
  const existing = roots.filter((p) => existsSync(p));
  if (code.length > 0) {
    return { files: findScenarioFiles(existing), why: `code changed: ${code.join(', ')}` };
  }
  const scenarios = [
    ...new Set(
      changed.filter(
        (p) =>
          SCENARIO_EXTENSIONS.includes(extname(p).toLowerCase()) &&
          roots.some((root) => isWithin(p, root)) &&
          existsSync(p),
      ),
    ),
  ].sort();
  return scenarios.length === 0 ? undefined : { files: scenarios, why: 'scenario changed' };
}

export function watchScenarios(options: WatchOptions): ScenarioWatcher {
  const debounceMs = options.debounceMs ?? 200;
  const pending = new Set<string>();
  const watchers: FSWatcher[] = [];
  let timer: unknown;
  let running = false;
  let closed = false;

  const flush = async () => {
    timer = undefined;
    if (running || closed) return;
    const plan = planRerun([...pending], options.scenarioPaths, options.codeDirs);
    pending.clear();
    if (plan === undefined || plan.files.length === 0) return;
    running = true;
    try {
      await options.rerun(plan.files, plan.why);
    } finally {
      running = false;
      if (pending.size > 0 && !closed) schedule();
    }
  };
  const schedule = () => {
    if (timer !== undefined) options.clock.clearTimeout(timer);
    timer = options.clock.setTimeout(() => void flush(), debounceMs);
  };
  const observe = (path: string) => {
    const absolute = resolve(path);
    const dir = statSync(absolute).isDirectory() ? absolute : dirname(absolute);
    const watcher = watch(dir, { recursive: true }, (_event, name) => {
      if (name === null) return;
      pending.add(resolve(dir, name.toString()));
      if (!running) schedule();
    });
    watcher.on('error', (error) => options.onError?.(error));
    watchers.push(watcher);
  };
  for (const path of [...options.scenarioPaths, ...options.codeDirs]) if (existsSync(path)) observe(path);
  return {
    close() {
      closed = true;
      if (timer !== undefined) options.clock.clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
