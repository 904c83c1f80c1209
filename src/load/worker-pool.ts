/**
 * Starts the generator worker threads of a live load. Their entry is TypeScript (load-worker.ts); a worker
 * thread does not inherit the parent's tsx loader on Node 20, so each starts from a few lines of plain
 * JavaScript that register tsx's ESM hooks in the thread and then import the entry (the same under tsx,
 * vitest and node). `stop()` terminates a thread that is still running.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerJob } from './worker-messages.ts';

export interface GeneratorWorker {
  readonly worker: Worker;
  stop(): Promise<void>;
}

function bootstrapSource(entryUrl: string): string {
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  return [
    '(async () => {',
    `  const { register } = await import(${JSON.stringify(api)});`,
    '  register();',
    `  await import(${JSON.stringify(entryUrl)});`,
    '})().catch((error) => {',
    "  require('node:worker_threads').parentPort?.postMessage({ type: 'failed', message: String(error?.message ?? error) });",
    '});',
  ].join('\n');
}

export function startGeneratorWorker(job: WorkerJob): GeneratorWorker {
  const entry = new URL('./load-worker.ts', import.meta.url).href;
  const worker = new Worker(bootstrapSource(entry), { eval: true, workerData: job });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    worker,
    async stop() {
      await worker.terminate();
      await exited;
    },
  };
}
