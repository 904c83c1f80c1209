/**
 * One captured recording as a timeline for the SIPREC client: its pause and resume markers, the
 * announcements reported on start/stop/pause/resume, and its RTP packets, at their capture times relative
 * to the recording's open, controls before the packets of the same moment (a pause at t holds the packet
 * due at t). `playTimeline` then runs it on the clock; `settled()` waits for every in-dialog request the
 * controls started, and the last item closes the session (BYE) at the `closed` marker or after the last
 * packet.
 */
import type { MediaMarker } from '../../media/media-packet.ts';
import type { TimelineItem } from './paced-timeline.ts';
import type { SiprecRecording, SrcCloseReason, SrcRequestResult } from './src-types.ts';

export interface TimelinePacket {
  /** Capture time of the packet, on the same time base as `openedAtMs`. */
  readonly atMs: number;
  readonly bytes: Uint8Array;
}

export interface TimelineAnnouncement {
  readonly atMs: number;
  readonly kind: 'start' | 'stop' | 'pause' | 'resume';
  readonly sound?: 'announcement' | 'beep';
}

export interface RecordingTimeline {
  readonly items: readonly TimelineItem[];
  /** Resolves with every in-dialog result once all requests the items started are answered. */
  settled(): Promise<SrcRequestResult[]>;
}

export function recordingTimeline(
  recording: SiprecRecording,
  input: {
    readonly openedAtMs: number;
    readonly packets: readonly TimelinePacket[];
    readonly markers: readonly MediaMarker[];
    readonly announcements?: readonly TimelineAnnouncement[];
    readonly closeReason?: SrcCloseReason;
  },
): RecordingTimeline {
  const pending: Promise<SrcRequestResult>[] = [];
  const rel = (atMs: number) => Math.max(0, atMs - input.openedAtMs);
  const controls: TimelineItem[] = [];
  for (const m of input.markers) {
    if (m.type === 'paused')
      controls.push({ atMs: rel(m.atMs), run: () => pending.push(recording.paused(rel(m.atMs))) });
    if (m.type === 'resumed')
      controls.push({ atMs: rel(m.atMs), run: () => pending.push(recording.resumed(rel(m.atMs))) });
  }
  for (const a of input.announcements ?? []) {
    controls.push({
      atMs: rel(a.atMs),
      run: () => pending.push(recording.announcement(a.kind, rel(a.atMs), a.sound)),
    });
  }
  const lastPacketMs = input.packets.reduce((max, p) => Math.max(max, p.atMs), input.openedAtMs);
  const closedAt = input.markers.find((m) => m.type === 'closed')?.atMs ?? lastPacketMs;
  const packets = input.packets.map((p) => ({ atMs: rel(p.atMs), run: () => recording.sendPacket(p.bytes) }));
  // The BYE goes after everything of its moment: a packet due at the close is still sent.
  const close: TimelineItem = {
    atMs: rel(Math.max(closedAt, lastPacketMs)),
    run: () => pending.push(recording.close(rel(closedAt), input.closeReason ?? 'end')),
  };
  return {
    items: [...controls.sort((a, b) => a.atMs - b.atMs), ...packets, close],
    settled: async () => {
      const results: SrcRequestResult[] = [];
      for (let i = 0; i < pending.length; i++) results.push(await (pending[i] as Promise<SrcRequestResult>));
      return results;
    },
  };
}
