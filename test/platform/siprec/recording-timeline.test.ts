/**
 * A captured recording (packets, pause/resume markers, announcements) replayed through the SIPREC client
 * on the virtual clock, as a scenario delivery would: requests in time order, RTP held between the pause
 * and the resume, BYE at the close marker, every result collected.
 */
import { describe, expect, it } from 'vitest';
import type { MediaMarker } from '../../../src/media/media-packet.ts';
import { playTimeline } from '../../../src/platform/siprec/paced-timeline.ts';
import { recordingTimeline } from '../../../src/platform/siprec/recording-timeline.ts';
import { createHarness, recordingParams, rtpPacket } from './src-harness.ts';

const marker = (type: 'paused' | 'resumed' | 'closed', atMs: number): MediaMarker =>
  ({
    kind: 'marker',
    recording: 0,
    atMs,
    positionMs: 0,
    type,
    pausedAtMs: 0,
    reason: 'end-of-call',
  }) as MediaMarker;

describe('recordingTimeline', () => {
  it('replays a captured recording: announcements, pause, resume and BYE in order; RTP held while paused', async () => {
    const h = createHarness();
    const outcome = h.core.open(recordingParams());
    await h.run(20);
    const o = await outcome;
    if (o.kind !== 'answered') throw new Error(o.kind);
    const { user, remote } = recordingParams().ssrcs;
    const openedAtMs = 10_000; // capture time of the recording's open
    const packets = Array.from({ length: 50 }, (_, i) => [
      { atMs: openedAtMs + 20 * i, bytes: rtpPacket(user, i) },
      { atMs: openedAtMs + 20 * i, bytes: rtpPacket(remote, i) },
    ]).flat();
    const timeline = recordingTimeline(o.recording, {
      openedAtMs,
      packets,
      markers: [
        marker('paused', openedAtMs + 400),
        marker('resumed', openedAtMs + 600),
        marker('closed', openedAtMs + 1_000),
      ],
      announcements: [
        { atMs: openedAtMs, kind: 'start', sound: 'announcement' },
        { atMs: openedAtMs + 400, kind: 'pause', sound: 'beep' },
        { atMs: openedAtMs + 600, kind: 'resume', sound: 'beep' },
      ],
    });
    const played = playTimeline(h.clock, timeline.items);
    await h.run(2_000);
    await played.done;
    const results = await timeline.settled();
    expect(results.map((r) => `${r.method} ${r.cseq} ${r.status}`)).toEqual([
      'INFO 2 200',
      'INVITE 3 200',
      'INFO 4 200',
      'INVITE 5 200',
      'INFO 6 200',
      'BYE 7 200',
    ]);
    expect(o.recording.counters.user).toEqual({ sent: 40, held: 10 });
    expect(o.recording.counters.remote).toEqual({ sent: 40, held: 10 });
  });
});
