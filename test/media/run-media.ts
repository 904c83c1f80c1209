/** Replays a call log through the real media pipeline on a virtual clock and collects what comes out. */
import type { CallLogEvent } from '../../machines/call-events.ts';
import { type CallMedia, createCallMediaFromLog } from '../../src/media/call-media.ts';
import type { HeardFrame } from '../../src/media/heard-mix.ts';
import type { MediaItem, MediaMarker, MediaPacket } from '../../src/media/media-packet.ts';
import type { RecordedStreamsOptions } from '../../src/media/recorded-streams.ts';
import { createRng, createVirtualClock } from '../../src/time/index.ts';

export interface MediaRun {
  readonly media: CallMedia;
  readonly items: MediaItem[];
  readonly user: MediaPacket[];
  readonly remote: MediaPacket[];
  readonly markers: MediaMarker[];
  readonly heard: HeardFrame[];
  /** When each observable completed (virtual ms), if it did. */
  readonly completedAtMs: { user?: number; remote?: number; heard?: number };
}

export function runMedia(
  events: readonly CallLogEvent[],
  options: Partial<Omit<RecordedStreamsOptions, 'events$' | 'scheduler'>> & {
    untilMs?: number;
    heard?: boolean;
  } = {},
): MediaRun {
  const clock = createVirtualClock();
  const { untilMs, heard: withHeard, ...rest } = options;
  const media = createCallMediaFromLog(events, {
    rng: createRng('media-test'),
    ...rest,
    scheduler: clock.scheduler,
  });
  const run: MediaRun = { media, items: [], user: [], remote: [], markers: [], heard: [], completedAtMs: {} };
  media.media$.subscribe((item) => run.items.push(item));
  media.markers$.subscribe((m) => run.markers.push(m));
  media.user$.subscribe({
    next: (p) => run.user.push(p),
    complete: () => (run.completedAtMs.user = clock.nowMs()),
  });
  media.remote$.subscribe({
    next: (p) => run.remote.push(p),
    complete: () => (run.completedAtMs.remote = clock.nowMs()),
  });
  if (withHeard === true) {
    media.heard$.subscribe({
      next: (f) => run.heard.push(f),
      complete: () => (run.completedAtMs.heard = clock.nowMs()),
    });
  }
  const lastMs = Math.max(0, ...events.map((e) => e.atMs));
  clock.advanceTo(untilMs ?? lastMs + 1000);
  return run;
}
