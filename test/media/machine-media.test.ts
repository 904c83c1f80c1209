import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CallCommand, CallLogEvent } from '../../machines/call-events.ts';
import { startCall } from '../../src/call/call-run.ts';
import { scheduleCommands } from '../../src/call/schedule-commands.ts';
import {
  applySettingsPatch,
  defaultRecordingSettings,
  type RecordingSettingsPatch,
} from '../../src/domain/index.ts';
import { createCallMedia } from '../../src/media/call-media.ts';
import type { MediaMarker, MediaPacket } from '../../src/media/media-packet.ts';
import { computeRecordingPlan } from '../../src/media/recording-plan.ts';
import { createRng, createVirtualClock } from '../../src/time/index.ts';

/** The real call machine drives the media live on one virtual clock, as a scenario run does. */
function liveCall(settings: RecordingSettingsPatch, steps: readonly (readonly [number, CallCommand])[]) {
  const clock = createVirtualClock();
  const base = defaultRecordingSettings({
    serviceProvider: 'sp',
    externalGroup: 'org',
    externalIdentifier: 'u',
  });
  const call = startCall(clock, {
    callId: 'media-call',
    settings: applySettingsPatch({ ...base, enabled: true }, settings),
    direction: 'incoming',
    remote: 'pstn',
    voicemail: false,
    recorder: { failureBehaviour: 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT', waitMs: 2000 },
    recorderAnswerMs: 200,
    recorderUp: true,
  });
  const events$ = new Observable<CallLogEvent>((subscriber) =>
    call.onEvent((event) => subscriber.next(event)),
  );
  const media = createCallMedia({
    scheduler: clock.scheduler,
    nowMs: clock.nowMs,
    events$,
    rng: createRng('live'),
  });
  const packets: MediaPacket[] = [];
  const markers: MediaMarker[] = [];
  let completedAtMs: number | undefined;
  media.packets$.subscribe({ next: (p) => packets.push(p), complete: () => (completedAtMs = clock.nowMs()) });
  media.markers$.subscribe((m) => markers.push(m));
  scheduleCommands(clock, call, steps);
  clock.advanceTo(Math.max(...steps.map(([atMs]) => atMs)) + 1_000);
  return { log: call.log, view: call.view(), packets, markers, completedAtMs };
}

function expectStreamsMatchPlan(run: ReturnType<typeof liveCall>) {
  const plan = computeRecordingPlan(run.log);
  for (const label of [1, 2]) {
    const stream = run.packets.filter((p) => p.label === label);
    expect(stream.length).toBe(plan.packetsPerStream);
    for (const recording of plan.recordings) {
      expect(stream.filter((p) => p.recording === recording.index).length).toBe(recording.packetsPerStream);
    }
  }
  expect(plan.ignoredEvents).toEqual([]);
  return plan;
}

describe('driven by the call machine: the streams carry what the machine recorded', () => {
  it('S22 Always: recording from the recorder’s answer to hang-up, 50 packets/s each stream', () => {
    const run = liveCall({ record: 'Always' }, [
      [0, 'answer'],
      [60_000, 'hang-up'],
    ]);
    const plan = expectStreamsMatchPlan(run);
    expect(plan.recordings).toHaveLength(1);
    // The recorder answers after 200 ms: 59.8 s of audio.
    expect(plan.packetsPerStream).toBe(2_990);
    expect(run.view.recordedMs).toBe(plan.recordedMs);
    expect(run.completedAtMs).toBe(60_000);
  });

  it('S23 Always with Pause/Resume: the pause is a gap with markers; hold pauses the media too', () => {
    const run = liveCall({ record: 'Always with Pause/Resume' }, [
      [0, 'answer'],
      [10_000, 'pause'],
      [20_000, 'resume'],
      [30_000, 'hold'],
      [35_000, 'unhold'],
      [60_000, 'hang-up'],
    ]);
    const plan = expectStreamsMatchPlan(run);
    expect(plan.packetsPerStream).toBe((60_000 - 200 - 10_000 - 5_000) / 20);
    expect(run.markers.filter((m) => m.type === 'paused').map((m) => m.atMs)).toEqual([10_000, 30_000]);
    expect(run.view.recordedMs).toBe(plan.recordedMs);
  });

  it('S21 On Demand: started, stopped, started again — two recordings; a never-started call sends nothing', () => {
    const run = liveCall({ record: 'On Demand' }, [
      [0, 'answer'],
      [5_000, 'start'],
      [15_000, 'stop'],
      [20_000, 'start'],
      [30_000, 'hang-up'],
    ]);
    const plan = expectStreamsMatchPlan(run);
    expect(plan.recordings.map((r) => r.outcome)).toEqual(['kept', 'kept']);
    expect(run.markers.filter((m) => m.type === 'kept')).toHaveLength(1);

    const never = liveCall({ record: 'On Demand' }, [
      [0, 'answer'],
      [30_000, 'hang-up'],
    ]);
    expectStreamsMatchPlan(never);
    expect(never.packets).toEqual([]);
    expect(never.markers.at(-1)).toMatchObject({ type: 'discarded' });
  });
});
