/**
 * The two recorded streams of one call (S32), gated by the machine's `media` events: label 1 = the
 * recorded user (`user$`), label 2 = the remote party (`remote$`). Runs unchanged on a virtual scheduler
 * (replay) and on a real one (live); gating rules are media-gate.ts, packet layout rtp-packetiser.ts.
 */
import { filter, Observable, type SchedulerLike, share } from 'rxjs';
import type { CallLogEvent, MediaAction } from '../../machines/call-events.ts';
import type { Rng } from '../time/index.ts';
import type { PartySources } from './audio-source.ts';
import type { G711Law } from './g711.ts';
import { LABEL_OF, PACKET_INTERVAL_MS, type Party } from './media-format.ts';
import { applyMediaAction, endOfEvents, type GateStep, INITIAL_GATE, isGateLive } from './media-gate.ts';
import {
  isMediaMarker,
  isMediaPacket,
  type MediaItem,
  type MediaMarker,
  type MediaPacket,
} from './media-packet.ts';
import { type MediaTicker, startMediaTicker } from './media-ticker.ts';
import { createRtpPacketiser, type RtpPacketiser } from './rtp-packetiser.ts';
import { createConversation } from './speech-source.ts';
import { createStreamIdentities, type StreamIdentities } from './stream-identity.ts';

export interface RecordedStreamsOptions {
  /** Every timer runs on it: a VirtualTimeScheduler for replay, the real clock's scheduler for live. */
  readonly scheduler: SchedulerLike;
  /** The call's event log as it happens; `media` events gate the streams, `call` `ended` ends them. */
  readonly events$: Observable<CallLogEvent>;
  /** Seeds SSRCs, initial sequence numbers and timestamps, and the default conversation. */
  readonly rng: Rng;
  /** Default µ-law (PT 0); A-law is PT 8. */
  readonly law?: G711Law;
  /** What each party says; default a seeded conversation (`createConversation(rng.fork('conversation'))`). */
  readonly audio?: PartySources;
  /** RTP identities of the first recording (default drawn from `rng`); tests start near the wrap. */
  readonly identities?: StreamIdentities;
  /**
   * The timeline of `events$`' `atMs`; default `scheduler.now()`, right for a VirtualTimeScheduler. Live,
   * pass the SimClock's `nowMs` (the real scheduler's `now()` is epoch time).
   */
  readonly nowMs?: () => number;
}

export interface RecordedStreams {
  /** RTP identities of the first recording (each later recording's are in its `opened` marker). */
  readonly identities: StreamIdentities;
  readonly law: G711Law;
  /** Packets of both streams and the gating markers, in emission order. */
  readonly media$: Observable<MediaItem>;
  readonly packets$: Observable<MediaPacket>;
  /** SIPREC label 1: the recorded user. */
  readonly user$: Observable<MediaPacket>;
  /** SIPREC label 2: the remote party. */
  readonly remote$: Observable<MediaPacket>;
  readonly markers$: Observable<MediaMarker>;
}

/** One recording in progress: its RTP state, slot grid, and any held-back On Demand capture. */
interface Recording {
  readonly index: number;
  readonly originMs: number;
  readonly identities: StreamIdentities;
  readonly packetisers: Readonly<Record<Party, RtpPacketiser>>;
  ticker: MediaTicker | undefined;
  capturedSlots: number;
  held: MediaPacket[];
  markerNext: boolean;
  pausedAtMs: number;
}

/**
 * The observables share one run, started by the first subscription; every recording of the call flows
 * through them, and they complete when the call ends (`call` `ended`, or `events$` completes). Each
 * recording ends with a `closed` or `discarded` marker, after which it sends nothing. Subscribe to
 * everything you need before the clock moves: a late subscriber sees only what follows.
 */
export function createRecordedStreams(options: RecordedStreamsOptions): RecordedStreams {
  const { scheduler, events$, rng } = options;
  const law = options.law ?? 'mulaw';
  const nowMs = options.nowMs ?? (() => scheduler.now());
  const identities = options.identities ?? createStreamIdentities(rng);
  const audio = options.audio ?? createConversation(rng.fork('conversation'));
  const identitiesOf = (index: number): StreamIdentities =>
    index === 0 ? identities : createStreamIdentities(rng.fork(`recording/${index}`));

  const run$ = new Observable<MediaItem>((subscriber) => {
    let gate = INITIAL_GATE;
    let recordingCount = 0;
    let rec: Recording | undefined;

    const makePacket = (
      r: Recording,
      party: Party,
      slot: number,
      slotMs: number,
      atMs: number,
    ): MediaPacket => {
      const packetiser = r.packetisers[party];
      const source = audio[party];
      const written =
        source.encodedFrameAt === undefined
          ? packetiser.write(slot, source.frameAt(slotMs), r.markerNext)
          : packetiser.writeEncoded(slot, source.encodedFrameAt(slotMs, law), r.markerNext);
      return {
        kind: 'packet',
        label: LABEL_OF[party],
        recording: r.index,
        atMs,
        mediaMs: slotMs,
        ssrc: packetiser.ssrc,
        payloadType: packetiser.payloadType,
        sequence: written.sequence,
        timestamp: written.timestamp,
        marker: r.markerNext,
        bytes: written.bytes,
      };
    };

    const startTicking = (r: Recording, firstSlot: number): void => {
      r.ticker = startMediaTicker({
        scheduler,
        nowMs,
        originMs: r.originMs,
        periodMs: PACKET_INTERVAL_MS,
        firstSlot,
        onTick: (slot, slotMs) => {
          if (rec !== r || gate.phase !== 'flowing' || subscriber.closed) return false;
          const atMs = nowMs();
          let user: MediaPacket;
          let remote: MediaPacket;
          try {
            user = makePacket(r, 'user', slot, slotMs, atMs);
            remote = makePacket(r, 'remote', slot, slotMs, atMs);
          } catch (error) {
            // Through the stream to whoever subscribed, never up into the shared clock (which would
            // cancel every other timer on it).
            subscriber.error(error);
            return false;
          }
          r.markerNext = false;
          r.capturedSlots++;
          if (gate.provisional) {
            r.held.push(user, remote);
          } else {
            subscriber.next(user);
            subscriber.next(remote);
          }
          return true;
        },
      });
    };

    const marker = (r: Recording, atMs: number) =>
      ({
        kind: 'marker',
        recording: r.index,
        atMs,
        positionMs: r.capturedSlots * PACKET_INTERVAL_MS,
      }) as const;

    const apply = (step: GateStep, atMs: number, cause: MediaAction | 'end-of-call'): void => {
      gate = step.state;
      const r = rec;
      switch (step.effect) {
        case 'opened': {
          const index = recordingCount++;
          const ids = identitiesOf(index);
          const opened: Recording = {
            index,
            originMs: atMs,
            identities: ids,
            packetisers: {
              user: createRtpPacketiser({ identity: ids.user, law }),
              remote: createRtpPacketiser({ identity: ids.remote, law }),
            },
            ticker: undefined,
            capturedSlots: 0,
            held: [],
            markerNext: true,
            pausedAtMs: 0,
          };
          rec = opened;
          subscriber.next({
            ...marker(opened, atMs),
            type: 'opened',
            provisional: gate.provisional,
            identities: ids,
          });
          startTicking(opened, 0);
          break;
        }
        case 'kept':
          if (r !== undefined) {
            const released = r.held;
            r.held = [];
            const releasedAtMs = nowMs();
            subscriber.next({ ...marker(r, atMs), type: 'kept', releasedPackets: released.length / 2 });
            for (const packet of released) subscriber.next({ ...packet, atMs: releasedAtMs });
          }
          break;
        case 'paused':
          if (r !== undefined) {
            r.ticker?.stop();
            r.pausedAtMs = atMs;
            r.markerNext = true;
            subscriber.next({ ...marker(r, atMs), type: 'paused' });
          }
          break;
        case 'resumed':
          if (r !== undefined) {
            subscriber.next({ ...marker(r, atMs), type: 'resumed', pausedAtMs: r.pausedAtMs });
            startTicking(r, Math.max(0, Math.ceil((atMs - r.originMs) / PACKET_INTERVAL_MS)));
          }
          break;
        case 'closed':
        case 'discarded':
          if (r !== undefined) {
            r.ticker?.stop();
            rec = undefined;
            if (step.effect === 'closed') {
              subscriber.next({
                ...marker(r, atMs),
                type: 'closed',
                reason: cause === 'close' ? 'close' : 'end-of-call',
              });
            } else {
              const reason = cause === 'discard' || cause === 'close' ? cause : 'end-of-call';
              subscriber.next({
                ...marker(r, atMs),
                type: 'discarded',
                reason,
                droppedPackets: r.held.length / 2,
              });
            }
            r.held = [];
          }
          break;
        case 'ignored':
          break;
      }
    };

    const endOfCall = (atMs: number): void => {
      if (isGateLive(gate)) apply(endOfEvents(gate), atMs, 'end-of-call');
      subscriber.complete();
    };

    const eventSubscription = events$.subscribe({
      next: (event) => {
        if (subscriber.closed) return;
        try {
          if (event.type === 'media') {
            apply(applyMediaAction(gate, event.action, event.provisional ?? false), event.atMs, event.action);
          } else if (event.type === 'call' && event.phase === 'ended') {
            endOfCall(event.atMs);
          }
        } catch (error) {
          subscriber.error(error);
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        if (!subscriber.closed) endOfCall(nowMs());
      },
    });

    return () => {
      rec?.ticker?.stop();
      eventSubscription.unsubscribe();
    };
  });

  const media$ = run$.pipe(share());
  const packets$ = media$.pipe(filter(isMediaPacket));
  return {
    identities,
    law,
    media$,
    packets$,
    user$: packets$.pipe(filter((p) => p.label === LABEL_OF.user)),
    remote$: packets$.pipe(filter((p) => p.label === LABEL_OF.remote)),
    markers$: media$.pipe(filter(isMediaMarker)),
  };
}
