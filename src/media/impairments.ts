/**
 * The network between the platform and the recorder, seeded: base delay, jitter, loss, reordering and
 * duplication, each counted. The same seed and the same packets give the same arrivals, so an impaired
 * run is as reproducible as a clean one.
 */
import { Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { SimError } from '../errors.ts';
import type { Rng } from '../time/index.ts';
import type { MediaPacket } from './media-packet.ts';

export interface ImpairmentOptions {
  readonly scheduler: SchedulerLike;
  /** Draws every decision; fork it per call (`rng.fork('network')`). */
  readonly rng: Rng;
  /** One-way delay every packet gets (default 0). */
  readonly delayMs?: number;
  /** Extra delay, uniform in `[0, jitterMs]` (default 0). Jitter larger than 20 ms reorders on its own. */
  readonly jitterMs?: number;
  /** Probability a packet is lost (default 0). */
  readonly lossRate?: number;
  /** Probability a packet is held back by `reorderDelayMs` so later packets overtake it (default 0). */
  readonly reorderRate?: number;
  /** How far a reordered packet is held back (default 50 ms: it lands after the next two packets). */
  readonly reorderDelayMs?: number;
  /** Probability a packet arrives twice; the copy comes 1–20 ms after the original (default 0). */
  readonly duplicateRate?: number;
  /** The timeline of packets' `atMs`; default `scheduler.now()`. */
  readonly nowMs?: () => number;
}

export interface ImpairmentCounters {
  /** Packets that entered the network. */
  sent: number;
  lost: number;
  /** Packets deliberately held back (`reorderRate`). */
  reordered: number;
  duplicated: number;
  /** Packets that came out, duplicates included. */
  delivered: number;
  /** Arrivals whose sequence number is behind one already delivered for the same SSRC (from any cause). */
  arrivedOutOfOrder: number;
}

export interface Impairment {
  readonly operator: OperatorFunction<MediaPacket, MediaPacket>;
  readonly counters: Readonly<ImpairmentCounters>;
}

function rate(name: string, value: number | undefined): number {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `${name} must be a probability between 0 and 1, not ${v}.`,
      {
        details: { [name]: v },
      },
    );
  }
  return v;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(v >= 0 && Number.isFinite(v))) {
    throw new SimError('SIM_ERR_INVALID_ARGUMENT', `${name} must be a finite number of ms ≥ 0, not ${v}.`, {
      details: { [name]: v },
    });
  }
  return v;
}

/**
 * Packets arrive with `atMs` set to their arrival time. Decisions are drawn in packet order, four per
 * packet whatever the settings, so changing one rate does not reshuffle the others' choices. The output
 * completes once the input has completed and every packet in flight has arrived.
 */
export function createImpairment(options: ImpairmentOptions): Impairment {
  const { scheduler, rng } = options;
  const nowMs = options.nowMs ?? (() => scheduler.now());
  const delayMs = nonNegative('delayMs', options.delayMs, 0);
  const jitterMs = nonNegative('jitterMs', options.jitterMs, 0);
  const reorderDelayMs = nonNegative('reorderDelayMs', options.reorderDelayMs, 50);
  const lossRate = rate('lossRate', options.lossRate);
  const reorderRate = rate('reorderRate', options.reorderRate);
  const duplicateRate = rate('duplicateRate', options.duplicateRate);
  const counters: ImpairmentCounters = {
    sent: 0,
    lost: 0,
    reordered: 0,
    duplicated: 0,
    delivered: 0,
    arrivedOutOfOrder: 0,
  };
  const highestSeen = new Map<number, number>();

  const operator: OperatorFunction<MediaPacket, MediaPacket> = (source$) =>
    new Observable<MediaPacket>((subscriber) => {
      let inFlight = 0;
      let sourceDone = false;
      const maybeComplete = (): void => {
        if (sourceDone && inFlight === 0) subscriber.complete();
      };
      const deliver = (packet: MediaPacket, afterMs: number): void => {
        inFlight++;
        const action: Subscription = scheduler.schedule(() => {
          inFlight--;
          subscriber.remove(action);
          const last = highestSeen.get(packet.ssrc);
          // Sequence order modulo 2^16: "behind" means within half the space before the highest seen;
          // a duplicate of the highest is not behind it.
          const behind = last === undefined ? 0 : (last - packet.sequence + 0x10000) & 0xffff;
          if (behind > 0 && behind < 0x8000) {
            counters.arrivedOutOfOrder++;
          } else {
            highestSeen.set(packet.ssrc, packet.sequence);
          }
          counters.delivered++;
          subscriber.next({ ...packet, atMs: nowMs() });
          maybeComplete();
        }, afterMs);
        subscriber.add(action);
      };
      const subscription = source$.subscribe({
        next: (packet) => {
          counters.sent++;
          const lossDraw = rng.nextFloat();
          const jitterDraw = rng.nextFloat();
          const reorderDraw = rng.nextFloat();
          const duplicateDraw = rng.nextFloat();
          if (lossDraw < lossRate) {
            counters.lost++;
            return;
          }
          let afterMs = delayMs + Math.round(jitterDraw * jitterMs);
          if (reorderDraw < reorderRate) {
            counters.reordered++;
            afterMs += reorderDelayMs;
          }
          deliver(packet, afterMs);
          if (duplicateDraw < duplicateRate) {
            counters.duplicated++;
            // Reuses the jitter draw so the copy's offset costs no extra draw: 1–20 ms later.
            deliver(packet, afterMs + 1 + Math.floor(jitterDraw * 20));
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          maybeComplete();
        },
      });
      subscriber.add(subscription);
    });

  return { operator, counters };
}
