/**
 * How one run's calls are shared by several generators: shard processes (`--shard i/n`, on one host or
 * several) and, inside each, worker threads (`--workers N`). The run's calls are planned as one run would
 * plan them (planCalls over all its connections, from the one seed), and what is shared out is whole
 * connections: connection c belongs to shard c mod n, and inside that shard to worker ⌊c / n⌋ mod N. Every
 * call travels on one connection, so each call is run by exactly one generator, with the same recording
 * id, SSRCs, sequence numbers, start tick and audio as in the run on one generator, and the frames each
 * connection sends are the same bytes too.
 */
import { SimError } from '../errors.ts';
import { MAX_LOAD_CONNECTIONS } from './load-options.ts';

/** Shard `index` (1-based) of `count`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

export const MAX_LOAD_WORKERS = 16;
export const MAX_LOAD_SHARDS = 100;

export const ONE_SHARD: ShardSpec = { index: 1, count: 1 };

/** `--shard i/n`: shard i of n, 1 ≤ i ≤ n. */
export function parseShard(text: string): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || index < 1 || count < 1 || index > count || count > MAX_LOAD_SHARDS) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `--shard "${text}" is not a shard: write i/n with 1 ≤ i ≤ n ≤ ${MAX_LOAD_SHARDS}, e.g. --shard 1/2 on one generator and --shard 2/2 on the other.`,
      { details: { value: text } },
    );
  }
  return { index, count };
}

/**
 * Refuses a split that would leave a generator without a connection: every shard × worker needs one,
 * since a generator's calls travel on its own connections.
 */
export function checkPartition(connections: number, shard: ShardSpec, workers: number): void {
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_LOAD_WORKERS) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `--workers must be a whole number from 1 to ${MAX_LOAD_WORKERS}, not ${workers}.`,
      { details: { workers } },
    );
  }
  const generators = shard.count * workers;
  if (connections < generators) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `${shard.count} shard(s) × ${workers} worker(s) need at least ${generators} connections (each generator sends on its own), but the run has ${connections}; raise --connections (at most ${MAX_LOAD_CONNECTIONS}, and at most one per call).`,
      { details: { connections, shards: shard.count, workers } },
    );
  }
}

/** The run's connections (0-based) that shard `shard` runs, split over its workers (index = worker). */
export function connectionsByWorker(connections: number, shard: ShardSpec, workers: number): number[][] {
  const byWorker: number[][] = Array.from({ length: workers }, () => []);
  for (let c = 0; c < connections; c++) {
    if (c % shard.count !== shard.index - 1) continue;
    (byWorker[Math.floor(c / shard.count) % workers] as number[]).push(c);
  }
  return byWorker;
}

/** How a generator is named in reports: "main thread", "worker 2", "shard 1/2 worker 2". */
export function generatorName(shard: ShardSpec, worker: number | undefined): string {
  const thread = worker === undefined ? 'main thread' : `worker ${worker + 1}`;
  return shard.count === 1 ? thread : `shard ${shard.index}/${shard.count} ${thread}`;
}
