/**
 * Everything media for one call in one place: the two recorded streams and the heard mix, fed by the same
 * events and the same conversation. `createCallMediaFromLog` replays a finished call log on a scheduler.
 */
import { type Observable, type SchedulerLike, share } from 'rxjs';
import type { CallLogEvent } from '../../machines/call-events.ts';
import { createEventReplay$ } from './event-replay.ts';
import { createHeardMix$, type HeardFrame } from './heard-mix.ts';
import {
  createRecordedStreams,
  type RecordedStreams,
  type RecordedStreamsOptions,
} from './recorded-streams.ts';
import { createConversation } from './speech-source.ts';

export interface CallMedia extends RecordedStreams {
  /** What the parties hear: voices plus prompts. Never part of the recorded streams (S25). */
  readonly heard$: Observable<HeardFrame>;
}

export function createCallMedia(options: RecordedStreamsOptions): CallMedia {
  const audio = options.audio ?? createConversation(options.rng.fork('conversation'));
  // One subscription to the events for both consumers, so a cold replay is not scheduled twice.
  const events$ = options.events$.pipe(share());
  const recorded = createRecordedStreams({ ...options, events$, audio });
  const heardOptions = { scheduler: options.scheduler, events$, audio };
  const heard$ = createHeardMix$(
    options.nowMs === undefined ? heardOptions : { ...heardOptions, nowMs: options.nowMs },
  );
  return { ...recorded, heard$ };
}

export type CallMediaFromLogOptions = Omit<RecordedStreamsOptions, 'events$'> & {
  readonly scheduler: SchedulerLike;
};

/** Replays `events` (each at its `atMs`) into `createCallMedia`. */
export function createCallMediaFromLog(
  events: readonly CallLogEvent[],
  options: CallMediaFromLogOptions,
): CallMedia {
  const events$ = createEventReplay$(events, options.scheduler, options.nowMs);
  return createCallMedia({ ...options, events$ });
}
