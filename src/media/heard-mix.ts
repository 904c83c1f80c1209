/**
 * What the parties hear (as opposed to what is recorded): both voices plus every prompt — start/stop
 * announcements, pause/resume beeps or announcements, the repeat tone. Prompts are mixed here and
 * nowhere else, which is how S25 ("the announcement is not part of the call recording") holds.
 */
import { Observable, type SchedulerLike, share } from 'rxjs';
import type { CallLogEvent } from '../../machines/call-events.ts';
import type { PartySources } from './audio-source.ts';
import { PACKET_INTERVAL_MS, SAMPLE_RATE_HZ, SAMPLES_PER_PACKET } from './media-format.ts';
import { startMediaTicker } from './media-ticker.ts';
import { type PromptPlayback, type PromptSound, promptEndMs, promptSampleAt } from './prompt-sounds.ts';

export interface HeardFrame {
  /** Start of the 20 ms frame in virtual time. */
  readonly atMs: number;
  /** User, remote and prompts summed and clipped to 16 bits. */
  readonly samples: Int16Array;
  /** Prompts sounding in this frame, if any. */
  readonly prompts: readonly PromptSound[];
}

export interface HeardMixOptions {
  readonly scheduler: SchedulerLike;
  readonly events$: Observable<CallLogEvent>;
  readonly audio: PartySources;
  readonly nowMs?: () => number;
}

const MS_PER_SAMPLE = 1000 / SAMPLE_RATE_HZ;

/** Which prompt an event plays, if any. */
export function promptOf(event: CallLogEvent): PromptPlayback | undefined {
  if (event.type === 'announcement') return { sound: event.sound, startMs: event.atMs };
  if (event.type === 'tone') return { sound: 'tone', startMs: event.atMs };
  return undefined;
}

/**
 * 20 ms frames from the first `call` `connected` event to `call` `ended` (or the end of `events$`), on the
 * frame grid of the connect time. Hold is not modelled: the mix goes on through it.
 */
export function createHeardMix$(options: HeardMixOptions): Observable<HeardFrame> {
  const { scheduler, events$, audio } = options;
  const nowMs = options.nowMs ?? (() => scheduler.now());
  return new Observable<HeardFrame>((subscriber) => {
    let prompts: PromptPlayback[] = [];
    let ticker: { stop(): void } | undefined;

    const onTick = (_slot: number, slotMs: number): boolean => {
      const frameEndMs = slotMs + PACKET_INTERVAL_MS;
      prompts = prompts.filter((p) => promptEndMs(p) > slotMs);
      const sounding = prompts.filter((p) => p.startMs < frameEndMs);
      const user = audio.user.frameAt(slotMs);
      const remote = audio.remote.frameAt(slotMs);
      const samples = new Int16Array(SAMPLES_PER_PACKET);
      for (let i = 0; i < SAMPLES_PER_PACKET; i++) {
        let v = (user[i] as number) + (remote[i] as number);
        for (const prompt of sounding) v += promptSampleAt(prompt, slotMs + i * MS_PER_SAMPLE);
        samples[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
      }
      subscriber.next({ atMs: slotMs, samples, prompts: sounding.map((p) => p.sound) });
      return true;
    };

    const end = (): void => {
      ticker?.stop();
      subscriber.complete();
    };

    const subscription = events$.subscribe({
      next: (event) => {
        const prompt = promptOf(event);
        if (prompt !== undefined) prompts.push(prompt);
        if (event.type !== 'call') return;
        if (event.phase === 'connected' && ticker === undefined) {
          ticker = startMediaTicker({
            scheduler,
            nowMs,
            originMs: event.atMs,
            periodMs: PACKET_INTERVAL_MS,
            onTick,
          });
        } else if (event.phase === 'ended') {
          end();
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: end,
    });
    return () => {
      ticker?.stop();
      subscription.unsubscribe();
    };
  }).pipe(share());
}
