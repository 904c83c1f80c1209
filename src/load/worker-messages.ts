/** What the main thread and a generator worker thread (load-worker.ts) tell each other: plain data. */
import type { G711Law } from '../media/g711.ts';
import type { LatenessSnapshot } from './lateness.ts';
import type { LoadSecond } from './load-series.ts';
import type { LoadEndpoint } from './sink-endpoint.ts';

export interface WorkerJob {
  readonly endpoint: LoadEndpoint;
  /** The run's seed and shape: every worker plans the whole run, then keeps its own connections. */
  readonly seed: string;
  readonly law: G711Law;
  readonly calls: number;
  readonly connections: number;
  readonly runId: string;
  readonly tickMs: number;
  readonly ticks: number;
  readonly warmupTicks: number;
  /** The run's connections (0-based) this worker sends on. */
  readonly connectionIndexes: readonly number[];
  readonly progressEveryMs: number;
  readonly finishTimeoutMs: number;
  /** > 0: block this long in every tick, as a starved host would (tests, bench). */
  readonly slowHostMsPerTick: number;
}

export type ToWorker = { readonly type: 'go'; readonly t0Ms: number };

export type FromWorker =
  | { readonly type: 'ready' }
  | {
      readonly type: 'progress';
      readonly packetsSent: number;
      readonly packetsStored: number | null;
      readonly generatorP99Ms: number;
      readonly ticksBehind: number;
    }
  | {
      readonly type: 'done';
      readonly framesSent: number;
      readonly packetsSent: number;
      readonly storedPerCall: readonly (readonly [string, number])[];
      readonly steady: LatenessSnapshot;
      readonly warmup: LatenessSnapshot;
      readonly maxCatchUpTicks: number;
      readonly maxBufferedBytes: number;
      readonly reconnects: number;
      readonly busy: number;
      readonly processCpuCores: number;
      readonly seconds: readonly LoadSecond[];
    }
  /** `code`: the SimError code of what failed, when it was one. */
  | { readonly type: 'failed'; readonly message: string; readonly code?: string };
