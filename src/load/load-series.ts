/**
 * The per-second series of a live load: for each second of the run (by the ticks it covers, not by when
 * the generator got round to them) the packets sent and stored by that second's end, the lateness of that
 * second's frames at the generator and at the receiver, and each side's CPU.
 *
 * "Stored" is read from the sink's checkpoints as the generator holds them at the instant the row is taken
 * — just before the first tick of the next second is sent — and "sent" at that same instant, in the same
 * process: a checkpoint can only cover frames already sent, so stored ≤ sent on every row without any
 * clamping. (The sink's own stored counter, read over IPC, is taken at another instant and could run
 * ahead of a sent figure taken earlier; it is not used here.) Stored trails sent by the commit cycle
 * (≤ 0.5 s); the run's final count, from each call's last checkpoint, is `packetsStored` of the result.
 */
import type { LoadCall } from './load-calls.ts';
import type { LoadLink, ReceiverStats } from './load-target.ts';
import { createSecondLateness } from './per-second.ts';

export interface LoadSecond {
  /** 0-based second of the run: ticks second × 50 … second × 50 + 49 (the last one may be partial). */
  readonly second: number;
  /**
   * When the row was taken, ms after the first tick of the next second was due (the last row: after the
   * run's last tick was due); > 0 by how far the generator was behind.
   */
  readonly takenLateMs: number;
  /** Packets sent by the end of the second (cumulative) and in it. */
  readonly packetsSent: number;
  readonly packetsSentInSecond: number;
  /** Packets the sink's checkpoints said were durable at the same instant (cumulative), and the increase. */
  readonly packetsStored: number | null;
  readonly packetsStoredInSecond: number | null;
  /** Send time − due time of the second's frames, ms. */
  readonly generatorP50Ms: number;
  readonly generatorP99Ms: number;
  readonly generatorMaxMs: number;
  /** Receive time − due time of the second's frames at the receiver, ms (null: not reported). */
  readonly receiverFrames: number | null;
  readonly receiverP50Ms: number | null;
  readonly receiverP99Ms: number | null;
  readonly receiverMaxMs: number | null;
  /** Cores busy in the second: the generator's process, and the receiver's (null when it is in-process). */
  readonly generatorCpuCores: number;
  readonly receiverCpuCores: number | null;
}

export interface SeriesRecorder {
  /** Before tick `tick` runs: a second that has just ended gets its row. */
  beforeTick(tick: number, packetsSent: number): void;
  recordLateness(tick: number, latenessMs: number): void;
  /** After the last tick (`ticks` run): the last, possibly partial, second gets its row. */
  end(ticks: number, packetsSent: number): void;
  /** Packets the sink's checkpoints say are durable now (null: the receiver sends none). */
  storedNow(): number | null;
  /** The rows, joined with the receiver's per-second figures. */
  rows(receiver: ReceiverStats): LoadSecond[];
}

/** Packets of the first `frames` frames of a connection carrying `calls` (two per call from its start tick). */
export function packetsInFrames(calls: readonly LoadCall[], frames: number): number {
  let n = 0;
  for (const c of calls) n += 2 * Math.max(0, frames - c.startTick);
  return n;
}

export interface SeriesOptions {
  readonly ticksPerSecond: number;
  readonly tickMs: number;
  readonly t0Ms: number;
  readonly nowMs: () => number;
  readonly cpuMs: () => number;
  readonly byConnection: readonly (readonly LoadCall[])[];
  readonly links: readonly LoadLink[];
}

interface GeneratorRow {
  readonly second: number;
  readonly takenLateMs: number;
  readonly packetsSent: number;
  readonly packetsStored: number | null;
  readonly cpuCores: number;
}

export function createSeriesRecorder(options: SeriesOptions): SeriesRecorder {
  const { ticksPerSecond, tickMs, t0Ms, nowMs, cpuMs, byConnection, links } = options;
  const lateness = createSecondLateness();
  const rows: GeneratorRow[] = [];
  let last = { atMs: nowMs(), cpuMs: cpuMs() };
  const stored = (): number | null => {
    let n = 0;
    for (const [i, link] of links.entries()) {
      const frames = link.durableFrames;
      if (frames === undefined) return null;
      n += packetsInFrames(byConnection[i] ?? [], frames);
    }
    return n;
  };
  /** `dueTick`: the tick whose due time the row is compared with. */
  const take = (second: number, dueTick: number, packetsSent: number) => {
    const now = { atMs: nowMs(), cpuMs: cpuMs() };
    rows.push({
      second,
      takenLateMs: now.atMs - (t0Ms + dueTick * tickMs),
      packetsSent,
      packetsStored: stored(),
      cpuCores: now.atMs > last.atMs ? (now.cpuMs - last.cpuMs) / (now.atMs - last.atMs) : 0,
    });
    last = now;
  };
  return {
    beforeTick(tick, packetsSent) {
      if (tick > 0 && tick % ticksPerSecond === 0) take(tick / ticksPerSecond - 1, tick, packetsSent);
    },
    recordLateness(tick, latenessMs) {
      lateness.record(Math.floor(tick / ticksPerSecond), latenessMs);
    },
    end(ticks, packetsSent) {
      // No tick after the last one took its second's row.
      if (ticks > 0) take(Math.ceil(ticks / ticksPerSecond) - 1, ticks - 1, packetsSent);
    },
    storedNow: stored,
    rows(receiver) {
      const gen = new Map(lateness.rows().map((r) => [r.second, r]));
      const rec = new Map((receiver.seconds ?? []).map((r) => [r.second, r]));
      return rows.map((row, i) => {
        const prev = rows[i - 1];
        const g = gen.get(row.second);
        const r = rec.get(row.second);
        return {
          second: row.second,
          takenLateMs: row.takenLateMs,
          packetsSent: row.packetsSent,
          packetsSentInSecond: row.packetsSent - (prev?.packetsSent ?? 0),
          packetsStored: row.packetsStored,
          packetsStoredInSecond:
            row.packetsStored === null ? null : row.packetsStored - (prev?.packetsStored ?? 0),
          generatorP50Ms: g?.p50Ms ?? 0,
          generatorP99Ms: g?.p99Ms ?? 0,
          generatorMaxMs: g?.maxMs ?? 0,
          receiverFrames: r?.frames ?? null,
          receiverP50Ms: r?.p50Ms ?? null,
          receiverP99Ms: r?.p99Ms ?? null,
          receiverMaxMs: r?.maxMs ?? null,
          generatorCpuCores: row.cpuCores,
          receiverCpuCores: r?.cpuCores ?? null,
        };
      });
    },
  };
}
