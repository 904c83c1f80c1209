/**
 * A sharded live load: each generator process (`callrec load --shard i/n --out part.json`) writes its part
 * of the run — the run's key (seed, shape, thresholds: what makes two parts the same run), its shard, its
 * counts per call, its send-lateness histograms and generator rows, and its sink's figures — and
 * `callrec load merge` joins the parts into one report: counts summed, the generators' lateness histograms
 * added (exact percentiles, not averaged ones), every generator judged (bottleneck.ts). Parts of different
 * runs, a shard given twice, or a missing shard are refused; with `allowPartial` the missing shards are
 * named and the report is not a pass.
 */
import { z } from 'zod';
import { SimError } from '../errors.ts';
import { createRng } from '../time/rng.ts';
import { type BottleneckVerdict, type GeneratorReport, judgeGenerators } from './bottleneck.ts';
import { type LatenessSnapshot, type LatenessSummary, mergeLateness } from './lateness.ts';
import type { LiveLoadResult } from './live-load.ts';
import type { ReceiverStats } from './load-target.ts';

export const LOAD_PART_FORMAT = 'callrec-load-part/1';

/** What every part of one run shares; two parts with different keys are different runs. */
export interface LoadRunKey {
  readonly seed: string;
  readonly calls: number;
  readonly connections: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly runId: string;
  readonly shards: number;
  readonly thresholds: readonly string[];
  readonly maxSendLagMs: number;
}

export interface LoadPart {
  readonly format: typeof LOAD_PART_FORMAT;
  readonly run: LoadRunKey;
  readonly shard: number;
  readonly workers: number;
  readonly target: string;
  readonly calls: number;
  readonly framesSent: number;
  readonly packetsSent: number;
  readonly packetsStored: number;
  readonly callsWithWrongCount: number;
  /** [recording id, packets stored] of each of the shard's calls, by its final checkpoint. */
  readonly storedPerCall: readonly (readonly [string, number])[];
  readonly generatorLateness: LatenessSnapshot;
  readonly generatorWarmupLateness: LatenessSnapshot;
  readonly generators: readonly GeneratorReport[];
  readonly receiver: Omit<ReceiverStats, 'seconds'>;
}

/** The run id the shards of one run share when none is given: derived from what makes it that run. */
export function shardedRunId(key: Omit<LoadRunKey, 'runId' | 'thresholds' | 'maxSendLagMs'>): string {
  const rng = createRng(`load-run/${JSON.stringify(key)}`);
  return `s${rng.nextUint32().toString(36)}${rng.nextUint32().toString(36)}`;
}

export function partOf(result: LiveLoadResult, run: LoadRunKey): LoadPart {
  const { seconds: _perSecond, ...receiver } = result.receiver;
  return {
    format: LOAD_PART_FORMAT,
    run,
    shard: result.shard.index,
    workers: result.workers,
    target: result.target,
    calls: result.calls,
    framesSent: result.framesSent,
    packetsSent: result.packetsSent,
    packetsStored: result.packetsStored,
    callsWithWrongCount: result.callsWithWrongCount,
    storedPerCall: [...result.storedPerCall],
    generatorLateness: result.generatorLatenessSnapshot,
    generatorWarmupLateness: result.generatorWarmupSnapshot,
    generators: result.generators,
    receiver,
  };
}

const refuse = (message: string, details: Record<string, unknown> = {}): never => {
  throw new SimError('SIM_ERR_INVALID_ARGUMENT', message, { details });
};

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();
const summarySchema = z.object({
  count,
  p50Ms: ms,
  p95Ms: ms,
  p99Ms: ms,
  maxMs: ms,
  meanMs: ms,
  early: count,
});
const snapshotSchema = z.object({ histogram: z.string(), count, sumMs: ms, maxMs: ms, early: count });
/** What a part file must hold (everything merging reads), checked before any of it is used. */
const partSchema = z.object({
  format: z.literal(LOAD_PART_FORMAT),
  run: z.object({
    seed: z.string(),
    calls: count,
    connections: count,
    durationMs: ms,
    warmupMs: ms,
    runId: z.string(),
    shards: z.number().int().positive(),
    thresholds: z.array(z.string()),
    maxSendLagMs: ms,
  }),
  shard: z.number().int().positive(),
  workers: z.number().int().positive(),
  target: z.string(),
  calls: count,
  framesSent: count,
  packetsSent: count,
  packetsStored: count,
  callsWithWrongCount: z.number().int().min(-1),
  storedPerCall: z.array(z.tuple([z.string(), count])),
  generatorLateness: snapshotSchema,
  generatorWarmupLateness: snapshotSchema,
  generators: z.array(
    z.object({
      name: z.string(),
      calls: count,
      connections: count,
      sendLateness: summarySchema,
      maxCatchUpTicks: count,
      busy: z.number().nonnegative(),
      processCpuCores: z.number().nonnegative(),
    }),
  ),
  receiver: z.looseObject({
    framesReceived: count,
    packetsStored: count,
    packetsDropped: count,
    lateness: summarySchema,
    warmupLateness: summarySchema,
  }),
});

/** Reads one part file's text; `name` is how errors call it (its path). */
export function parsePart(name: string, text: string): LoadPart {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse(`${name} is not JSON: give the files that \`callrec load --shard i/n --out\` wrote.`, {
      file: name,
    });
  }
  if ((json as { format?: unknown } | null)?.format !== LOAD_PART_FORMAT) {
    return refuse(
      `${name} is not a part of a sharded load (format ${LOAD_PART_FORMAT}): give the files that \`callrec load --shard i/n --out\` wrote.`,
      { file: name },
    );
  }
  const parsed = partSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(
      `${name} is a damaged part: ${issue?.path.join('.') || 'its content'}: ${issue?.message ?? 'not as written'}. Write it again with callrec load --shard i/n --out.`,
      { file: name },
    );
  }
  // A histogram that does not decode is damage too.
  for (const snapshot of [parsed.data.generatorLateness, parsed.data.generatorWarmupLateness]) {
    try {
      mergeLateness([snapshot]);
    } catch {
      refuse(`${name} is a damaged part: a lateness histogram does not decode. Write it again.`, {
        file: name,
      });
    }
  }
  return parsed.data as unknown as LoadPart;
}

export interface MergedLoad {
  readonly run: LoadRunKey;
  readonly shards: readonly number[];
  readonly missingShards: readonly number[];
  readonly complete: boolean;
  readonly calls: number;
  readonly framesSent: number;
  readonly packetsSent: number;
  readonly packetsStored: number;
  readonly packetsLost: number;
  readonly callsWithWrongCount: number;
  readonly storedPerCall: ReadonlyMap<string, number>;
  readonly generatorLateness: LatenessSummary;
  readonly generatorWarmupLateness: LatenessSummary;
  readonly generators: readonly GeneratorReport[];
  readonly verdict: BottleneckVerdict;
  /** Each shard's sink. */
  readonly receivers: readonly {
    readonly shard: number;
    readonly target: string;
    readonly stats: LoadPart['receiver'];
  }[];
  /**
   * The receivers' lateness as one: count summed, each percentile and the maximum the worst shard's — an
   * upper bound of the merged percentile (no percentile of the union is above every part's).
   */
  readonly receiver: { readonly lateness: LatenessSummary };
}

function keyDifference(a: LoadRunKey, b: LoadRunKey): keyof LoadRunKey | undefined {
  const fields = Object.keys({ ...a, ...b }) as (keyof LoadRunKey)[];
  return fields.find((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}

function worst(summaries: readonly LatenessSummary[]): LatenessSummary {
  const count = summaries.reduce((n, s) => n + s.count, 0);
  const max = (f: (s: LatenessSummary) => number) => Math.max(0, ...summaries.map(f));
  return {
    count,
    p50Ms: max((s) => s.p50Ms),
    p95Ms: max((s) => s.p95Ms),
    p99Ms: max((s) => s.p99Ms),
    maxMs: max((s) => s.maxMs),
    meanMs: count === 0 ? 0 : summaries.reduce((n, s) => n + s.meanMs * s.count, 0) / count,
    early: summaries.reduce((n, s) => n + s.early, 0),
  };
}

/** `names[i]` is how part i is called in errors (its file). */
export function mergeParts(
  parts: readonly LoadPart[],
  names: readonly string[],
  options: { readonly allowPartial?: boolean } = {},
): MergedLoad {
  const first = parts[0];
  if (first === undefined) return refuse('No parts to merge: give the part files of every shard.');
  const nameOf = (i: number) => names[i] ?? `part ${i + 1}`;
  const byShard = new Map<number, number>();
  parts.forEach((part, i) => {
    const field = keyDifference(first.run, part.run);
    if (field !== undefined) {
      refuse(
        `${nameOf(i)} is from another run than ${nameOf(0)}: its ${field} is ${JSON.stringify(part.run[field])}, not ${JSON.stringify(first.run[field])}. Merge only the parts of one run (same seed, calls, connections, duration, warm-up, run id, shard count and thresholds).`,
        { field, files: [nameOf(0), nameOf(i)] },
      );
    }
    if (!Number.isInteger(part.shard) || part.shard < 1 || part.shard > first.run.shards) {
      refuse(`${nameOf(i)} says it is shard ${part.shard}, but the run has shards 1–${first.run.shards}.`);
    }
    const seen = byShard.get(part.shard);
    if (seen !== undefined) {
      refuse(
        `Shard ${part.shard}/${first.run.shards} is given twice (${nameOf(seen)} and ${nameOf(i)}): each shard counts once.`,
        { shard: part.shard, files: [nameOf(seen), nameOf(i)] },
      );
    }
    byShard.set(part.shard, i);
  });
  const missingShards = Array.from({ length: first.run.shards }, (_, i) => i + 1).filter(
    (s) => !byShard.has(s),
  );
  if (missingShards.length > 0 && options.allowPartial !== true) {
    refuse(
      `Shard(s) ${missingShards.map((s) => `${s}/${first.run.shards}`).join(', ')} of run ${first.run.runId} are missing: merge every shard's part, or pass --allow-partial for a report that names what is missing (and is not a pass).`,
      { missingShards },
    );
  }
  const sorted = [...parts].sort((a, b) => a.shard - b.shard);
  const sum = (f: (p: LoadPart) => number) => sorted.reduce((n, p) => n + f(p), 0);
  const generators = sorted.flatMap((p) => p.generators);
  const packetsSent = sum((p) => p.packetsSent);
  const packetsStored = sum((p) => p.packetsStored);
  return {
    run: first.run,
    shards: sorted.map((p) => p.shard),
    missingShards,
    complete: missingShards.length === 0,
    calls: sum((p) => p.calls),
    framesSent: sum((p) => p.framesSent),
    packetsSent,
    packetsStored,
    packetsLost: packetsSent - packetsStored,
    callsWithWrongCount: sorted.some((p) => p.callsWithWrongCount < 0)
      ? -1
      : sum((p) => p.callsWithWrongCount),
    storedPerCall: new Map(sorted.flatMap((p) => p.storedPerCall)),
    generatorLateness: mergeLateness(sorted.map((p) => p.generatorLateness)).summary(),
    generatorWarmupLateness: mergeLateness(sorted.map((p) => p.generatorWarmupLateness)).summary(),
    generators,
    verdict: judgeGenerators(generators, first.run.maxSendLagMs),
    receivers: sorted.map((p) => ({ shard: p.shard, target: p.target, stats: p.receiver })),
    receiver: { lateness: worst(sorted.map((p) => p.receiver.lateness)) },
  };
}
