/**
 * Live mode: streams one call's recordings to the sink while the call happens, in real time. The media
 * pipeline runs on the real scheduler, fed by the call's own event log; each kept recording is opened on
 * the sink when its media is confirmed, and its packets, pauses, announcements and tones follow as they
 * are produced. Provisional On Demand media is opened only once the user starts (it is never sent if
 * discarded, S21).
 */
import { Observable } from 'rxjs';
import type { CallLogEvent } from '../../machines/call-events.ts';
import type { ControlHubState, User } from '../domain/index.ts';
import { isSimError } from '../errors.ts';
import { createCallMedia, type MediaItem, type StreamIdentities } from '../media/index.ts';
import type { SinkClient, SinkRecording } from '../platform/index.ts';
import { createRng, type SimClock } from '../time/index.ts';
import type { RecordingDelivery } from './build-report.ts';
import { recordingId } from './call-recordings.ts';
import type { ExecutedCall } from './execute-scenario.ts';
import type { ExpectationFailure } from './report-types.ts';

export type LiveOpen = (id: string, identities: StreamIdentities, user: User) => Promise<SinkRecording>;

export interface LiveCallStream {
  /** Resolves when every recording of the call has been closed and drained on the sink. */
  done(): Promise<void>;
}

interface LiveRecording {
  readonly id: string;
  readonly identities: StreamIdentities;
  openedAtMs: number;
  kept: boolean;
  sent: number;
  queue: MediaItem[];
  rec: Promise<SinkRecording> | undefined;
  closed: Promise<void> | undefined;
}

export function streamCallLive(
  call: ExecutedCall,
  hub: ControlHubState,
  clock: SimClock,
  seed: string,
  open: LiveOpen,
  results: { deliveries: Map<string, RecordingDelivery>; failures: ExpectationFailure[] },
  /** The same call's log from a virtual-time run of the scenario (executeScenario), if known. */
  planned: readonly CallLogEvent[] = [],
): LiveCallStream {
  const user = hub.users[call.spec.user];
  // The media pipeline runs in call time (0 = the call's first event), as the virtual replay does
  // (capture-call-media.ts): the conversation is read at the same call-relative instants in both modes,
  // so the same seed gives the same audio. Marker and packet `atMs` are call-relative too.
  const originMs = Math.min(call.startedAtMs, ...call.run.log.map((e) => e.atMs));
  // Real time runs late (timers fire after their due time, the event loop is busy), so a recording opens
  // some ms after the scenario says; its slot grid, hence the audio of each position, would shift. Gate the
  // media at the times of the same call run in virtual time when the live call takes the same media steps.
  const plannedMedia = plannedMediaTimes(planned);
  let mediaSteps = 0;
  const toCallTime = (event: CallLogEvent): CallLogEvent => {
    let atMs = event.atMs - originMs;
    if (event.type === 'media') {
      const plan = plannedMedia[mediaSteps++];
      if (plan?.action === event.action && plan.provisional === (event.provisional ?? false))
        atMs = plan.atMs;
    }
    return { ...event, atMs };
  };
  const events$ = new Observable<CallLogEvent>((subscriber) => {
    for (const event of call.run.log) subscriber.next(toCallTime(event));
    const off = call.run.onEvent((event) => {
      subscriber.next(toCallTime(event));
      if (event.type === 'call' && event.phase === 'ended') subscriber.complete();
    });
    return off;
  });
  const media = createCallMedia({
    scheduler: clock.scheduler,
    events$,
    rng: createRng(seed).fork(`call/${call.spec.id}`).fork('media'),
    law: call.spec.codec === 'PCMA' ? 'alaw' : 'mulaw',
    nowMs: () => clock.nowMs() - originMs,
  });
  const recordings = new Map<number, LiveRecording>();
  const pending: Promise<void>[] = [];
  let keptCount = 0;
  let current: LiveRecording | undefined;
  const fail = (id: string, error: unknown) => {
    if (!isSimError(error)) throw error;
    results.failures.push({
      expectation: `sink.${id}`,
      expected: 'the sink stores the recording',
      actual: error.code,
      message: error.message,
    });
  };

  const startOnSink = (entry: LiveRecording) => {
    if (user === undefined || entry.rec !== undefined) return;
    entry.rec = open(entry.id, entry.identities, user);
    entry.rec.then(
      (rec) => {
        for (const item of entry.queue.splice(0)) deliver(entry, rec, item);
      },
      (error) => fail(entry.id, error),
    );
  };

  const deliver = (entry: LiveRecording, rec: SinkRecording, item: MediaItem) => {
    if (item.kind === 'packet') {
      rec.sendPacket(item.bytes);
      entry.sent++;
    } else if (item.type === 'paused') rec.paused(item.positionMs);
    else if (item.type === 'resumed') rec.resumed(item.positionMs);
  };

  const finish = (entry: LiveRecording, positionMs: number) => {
    const rec = entry.rec;
    if (rec === undefined) return;
    entry.closed = rec
      .then(async (r) => {
        const checkpoint = await r.drain();
        await r.close(positionMs, 'end');
        results.deliveries.set(entry.id, { stored: checkpoint.packetsStored >= entry.sent });
      })
      .catch((error: unknown) => fail(entry.id, error));
    pending.push(entry.closed);
  };

  media.media$.subscribe((item) => {
    if (item.kind === 'marker' && item.type === 'opened') {
      const entry: LiveRecording = {
        id: '',
        identities: item.identities,
        openedAtMs: item.atMs,
        kept: !item.provisional,
        sent: 0,
        queue: [],
        rec: undefined,
        closed: undefined,
      };
      recordings.set(item.recording, entry);
      current = entry;
      if (entry.kept) {
        (entry as { id: string }).id = recordingId(call.spec.id, keptCount++);
        startOnSink(entry);
      }
      return;
    }
    const entry = recordings.get(item.recording);
    if (entry === undefined) return;
    if (item.kind === 'marker' && item.type === 'kept') {
      entry.kept = true;
      (entry as { id: string }).id = recordingId(call.spec.id, keptCount++);
      startOnSink(entry);
      return;
    }
    if (item.kind === 'marker' && (item.type === 'closed' || item.type === 'discarded')) {
      if (item.type === 'closed') finish(entry, item.positionMs);
      if (current === entry) current = undefined;
      return;
    }
    if (!entry.kept) return;
    void entry.rec?.then((rec) => deliver(entry, rec, item));
    if (entry.rec === undefined) entry.queue.push(item);
  });

  // Announcements and tones reach the sink as messages of the recording running at the time (S26, S32).
  call.run.onEvent((event) => {
    const entry = current;
    if (entry?.rec === undefined || !entry.kept) return;
    const positionMs = Math.max(0, event.atMs - originMs - entry.openedAtMs);
    if (event.type === 'announcement' && event.reportedToDubber && event.kind !== 'failure') {
      const kind = event.kind;
      void entry.rec.then((rec) => rec.announcement(kind, positionMs, event.sound));
    } else if (event.type === 'tone') {
      const index = event.index;
      void entry.rec.then((rec) => rec.tone(index, positionMs));
    }
  });

  return {
    done: async () => {
      await Promise.all(pending);
    },
  };
}

/** The `media` steps of a virtual-time call log, in call time (0 = its first event), in log order. */
function plannedMediaTimes(log: readonly CallLogEvent[]) {
  const startMs = Math.min(...log.map((e) => e.atMs));
  return log.flatMap((e) =>
    e.type === 'media'
      ? [{ action: e.action, provisional: e.provisional ?? false, atMs: e.atMs - startMs }]
      : [],
  );
}

export type { SinkClient };
