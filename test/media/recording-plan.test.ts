import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallLogEvent, MediaAction } from '../../machines/call-events.ts';
import { computeRecordingPlan, packetSlotsIn } from '../../src/media/recording-plan.ts';
import { alwaysCall, call, media } from './call-logs.ts';
import { runMedia } from './run-media.ts';

describe('computeRecordingPlan: the expected recording, without running the streams', () => {
  it('S22 Always, one hour: 180,000 packets per stream, 360,000 in all', () => {
    const plan = computeRecordingPlan(alwaysCall(3_600_000));
    expect(plan).toMatchObject({
      packetsPerStream: 180_000,
      recordedMs: 3_600_000,
      recordedIntervals: [{ startMs: 0, endMs: 3_600_000 }],
      endMs: 3_600_000,
      ignoredEvents: [],
    });
    expect(plan.recordings).toHaveLength(1);
    expect(plan.recordings[0]).toMatchObject({ index: 0, outcome: 'kept', endedBy: 'close', originMs: 0 });
  });

  it('S23 pause/resume: the paused interval is left out and its position recorded', () => {
    const plan = computeRecordingPlan([
      media(1_000, 'open'),
      media(11_000, 'pause'),
      media(21_000, 'resume'),
      media(31_000, 'pause'),
      media(41_000, 'close'),
    ]);
    expect(plan.recordedIntervals).toEqual([
      { startMs: 1_000, endMs: 11_000 },
      { startMs: 21_000, endMs: 31_000 },
    ]);
    expect(plan.recordings[0]?.pauses).toEqual([
      { pausedAtMs: 11_000, resumedAtMs: 21_000, positionMs: 10_000 },
      { pausedAtMs: 31_000, resumedAtMs: undefined, positionMs: 20_000 },
    ]);
    expect(plan.packetsPerStream).toBe(1_000);
  });

  it('S21 On Demand never started: captured, then discarded, nothing recorded', () => {
    const plan = computeRecordingPlan([media(0, 'open', true), media(60_000, 'discard')]);
    expect(plan.packetsPerStream).toBe(0);
    expect(plan.recordings[0]).toMatchObject({
      outcome: 'discarded',
      endedBy: 'discard',
      provisional: true,
      capturedPacketsPerStream: 3_000,
      packetsPerStream: 0,
      recordedIntervals: [],
    });
  });

  it('S21 On Demand started: the whole capture since connect is kept', () => {
    const plan = computeRecordingPlan([
      media(0, 'open', true),
      media(12_000, 'keep'),
      media(20_000, 'close'),
    ]);
    expect(plan.recordings[0]).toMatchObject({ outcome: 'kept', keptAtMs: 12_000, packetsPerStream: 1_000 });
  });

  it('start after stop begins a new recording with its own slot grid', () => {
    const plan = computeRecordingPlan([
      call(0, 'connected'),
      media(1_000, 'open'),
      media(3_000, 'close'),
      media(5_010, 'open'),
      media(6_000, 'close'),
      call(9_000, 'ended'),
    ]);
    expect(plan.recordings.map((r) => [r.index, r.originMs, r.packetsPerStream])).toEqual([
      [0, 1_000, 100],
      [1, 5_010, 50],
    ]);
    expect(plan.packetsPerStream).toBe(150);
  });

  it('the call’s end closes a recording still open, and drops a provisional one', () => {
    const kept = computeRecordingPlan([call(0, 'connected'), media(0, 'open'), call(2_000, 'ended')]);
    expect(kept.recordings[0]).toMatchObject({ outcome: 'kept', endedBy: 'end-of-call', endMs: 2_000 });
    const dropped = computeRecordingPlan([
      media(0, 'open', true),
      call(2_000, 'ended'),
      media(2_000, 'keep'),
    ]);
    expect(dropped.recordings[0]).toMatchObject({ outcome: 'discarded', endedBy: 'end-of-call' });
  });

  it('no media events: nothing recorded; malformed sequences are listed, not guessed at', () => {
    expect(computeRecordingPlan([call(0, 'connected'), call(5_000, 'ended')])).toMatchObject({
      recordings: [],
      packetsPerStream: 0,
    });
    const plan = computeRecordingPlan([
      media(0, 'open'),
      media(10, 'open'),
      media(20, 'resume'),
      media(40, 'close'),
    ]);
    expect(plan.ignoredEvents.map((e) => (e.type === 'media' ? e.action : e.type))).toEqual([
      'open',
      'resume',
    ]);
    expect(plan.packetsPerStream).toBe(2);
  });

  it('packetSlotsIn counts the 20 ms grid of the stream, whatever the interval edges', () => {
    expect(packetSlotsIn(0, 0, 20)).toBe(1);
    expect(packetSlotsIn(0, 1, 20)).toBe(0);
    expect(packetSlotsIn(0, 0, 21)).toBe(2);
    expect(packetSlotsIn(5, 25, 65)).toBe(2);
    expect(packetSlotsIn(0, 100, 100)).toBe(0);
  });
});

const ACTIONS: readonly MediaAction[] = ['open', 'keep', 'pause', 'resume', 'close', 'discard'];

/** Random logs: open first, then any actions (reopen included), at any ms, several at one instant. */
const logArb = fc
  .tuple(
    fc.boolean(),
    fc.integer({ min: 0, max: 2_000 }),
    fc.array(
      fc.record({
        gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_500 })),
        action: fc.constantFrom(...ACTIONS),
        provisional: fc.boolean(),
      }),
      { maxLength: 12 },
    ),
    fc.boolean(),
  )
  .map(([provisional, openAtMs, rest, withEnd]) => {
    const events: CallLogEvent[] = [call(0, 'connected'), media(openAtMs, 'open', provisional)];
    let t = openAtMs;
    for (const step of rest) {
      t += step.gapMs;
      events.push(step.action === 'open' ? media(t, 'open', step.provisional) : media(t, step.action));
    }
    if (withEnd) events.push(call(t + 500, 'ended'));
    return events;
  });

describe('the live streams deliver exactly what the plan says (property, both streams)', () => {
  it('packet counts per recording, slots inside the recorded intervals, pause positions and outcomes agree', () => {
    fc.assert(
      fc.property(logArb, (events) => {
        const plan = computeRecordingPlan(events);
        const run = runMedia(events);
        for (const stream of [run.user, run.remote]) {
          expect(stream.length).toBe(plan.packetsPerStream);
          for (const recording of plan.recordings) {
            const mine = stream.filter((p) => p.recording === recording.index);
            expect(mine.length).toBe(recording.packetsPerStream);
            const inside = mine.every((p) =>
              recording.recordedIntervals.some((i) => p.mediaMs >= i.startMs && p.mediaMs < i.endMs),
            );
            expect(inside).toBe(true);
          }
        }
        const pauses = run.markers
          .filter((m) => m.type === 'paused')
          .map((m) => [m.recording, m.atMs, m.positionMs]);
        expect(pauses).toEqual(
          plan.recordings.flatMap((r) => r.pauses.map((p) => [r.index, p.pausedAtMs, p.positionMs])),
        );
        const ends = run.markers.filter((m) => m.type === 'closed' || m.type === 'discarded');
        expect(ends.map((m) => [m.recording, m.type, m.atMs])).toEqual(
          plan.recordings.map((r) => [r.index, r.outcome === 'kept' ? 'closed' : 'discarded', r.endMs]),
        );
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
