/**
 * Replays a finished call's log through the media pipeline in virtual time and collects, per kept
 * recording, the RTP packets Dubber receives (after the call's network impairment) and the markers.
 */
import type { CallLogEvent } from '../../machines/call-events.ts';
import {
  createCallMediaFromLog,
  createImpairment,
  type ImpairmentCounters,
  type MediaMarker,
  type MediaPacket,
  type RecordedStreamsOptions,
  type StreamIdentities,
} from '../media/index.ts';
import { createRng } from '../time/index.ts';
import { createVirtualClock } from '../time/virtual-clock.ts';
import { recordingId } from './call-recordings.ts';
import type { ScenarioCall } from './schema.ts';

/** Packet and marker times (`atMs`) are relative to the call's first event, `CapturedCall.originMs`. */
export interface CapturedRecording {
  readonly id: string;
  readonly identities: StreamIdentities;
  /** Scenario time the recording opened at. */
  readonly openedAtMs: number;
  readonly packets: MediaPacket[];
  readonly markers: MediaMarker[];
}

export interface CapturedCall {
  /** Scenario time of the call's first event; packet and marker times count from here. */
  readonly originMs: number;
  readonly recordings: readonly CapturedRecording[];
  readonly impairment: Readonly<ImpairmentCounters> | null;
  /** What went wrong generating the call's media, if anything (the recordings then stop where it happened). */
  readonly error?: string;
}

/**
 * `audio` replaces the seeded conversation (tests use it to make a source fail); a failure while the media
 * is generated ends the capture with `error`, naming the call and the moment, instead of throwing.
 */
export function captureCallMedia(
  spec: ScenarioCall,
  log: readonly CallLogEvent[],
  seed: string,
  audio?: RecordedStreamsOptions['audio'],
): CapturedCall {
  const clock = createVirtualClock();
  // Replay in call time (0 = the call's first event): packet and marker times come out relative to the
  // call, as CapturedRecording promises, and the default conversation starts with the call.
  const originMs = Math.min(...log.map((e) => e.atMs));
  const callLog = log.map((e) => ({ ...e, atMs: e.atMs - originMs }));
  const rng = createRng(seed).fork(`call/${spec.id}`);
  const media = createCallMediaFromLog(callLog, {
    scheduler: clock.scheduler,
    rng: rng.fork('media'),
    law: spec.codec === 'PCMA' ? 'alaw' : 'mulaw',
    nowMs: () => clock.nowMs(),
    ...(audio === undefined ? {} : { audio }),
  });
  const impairment =
    spec.impairment === undefined
      ? null
      : createImpairment({
          scheduler: clock.scheduler,
          rng: rng.fork('network'),
          nowMs: () => clock.nowMs(),
          ...spec.impairment,
        });
  const byIndex = new Map<
    number,
    {
      opened: MediaMarker & { type: 'opened' };
      packets: MediaPacket[];
      markers: MediaMarker[];
      kept: boolean;
    }
  >();
  let error: string | undefined;
  const failed = (cause: unknown) => {
    error ??= `generating the media of call ${spec.id} failed at ${clock.nowMs()} ms of the call: ${cause instanceof Error ? cause.message : String(cause)}`;
  };
  const onMarker = (marker: MediaMarker) => {
    if (marker.type === 'opened') {
      byIndex.set(marker.recording, {
        opened: marker,
        packets: [],
        markers: [marker],
        kept: !marker.provisional,
      });
      return;
    }
    const entry = byIndex.get(marker.recording);
    if (entry === undefined) return;
    entry.markers.push(marker);
    if (marker.type === 'kept') entry.kept = true;
    if (marker.type === 'discarded') entry.kept = false;
  };
  // Markers and packets come from the same sources: a failure reaches both, and each must catch it.
  media.markers$.subscribe({ next: onMarker, error: failed });
  const packets$ = impairment === null ? media.packets$ : media.packets$.pipe(impairment.operator);
  packets$.subscribe({
    next: (packet) => byIndex.get(packet.recording)?.packets.push(packet),
    error: failed,
  });
  const endMs = Math.max(0, ...callLog.map((e) => e.atMs));
  // Impairment delays can push packets past the end of the call; let them land.
  clock.advanceTo(endMs + 60_000);

  const recordings: CapturedRecording[] = [];
  for (const [, entry] of [...byIndex.entries()].sort(([a], [b]) => a - b)) {
    if (!entry.kept) continue;
    recordings.push({
      id: recordingId(spec.id, recordings.length),
      identities: entry.opened.identities,
      openedAtMs: originMs + entry.opened.atMs,
      packets: entry.packets,
      markers: entry.markers,
    });
  }
  return {
    originMs,
    recordings,
    impairment: impairment?.counters ?? null,
    ...(error === undefined ? {} : { error }),
  };
}
