/** Turns an executed scenario into its report: calls with their timelines and recordings, and failures. */
import { createStreamIdentities } from '../media/index.ts';
import { createRng } from '../time/index.ts';
import { type CallRecording, splitRecordings } from './call-recordings.ts';
import { checkExpectations } from './check-expectations.ts';
import { predictRefusal } from './dubber-refusal.ts';
import type { ExecutedCall, ScenarioExecution } from './execute-scenario.ts';
import { checkAudioExpectations } from './expect/check-audio.ts';
import type { DeliveryLookup, RecordingDelivery } from './recording-delivery.ts';
import type { CallReport, DubberRefusal, RecordingReport, ScenarioReport } from './report-types.ts';
import type { Scenario } from './schema.ts';

export type { DeliveryLookup, RecordingDelivery } from './recording-delivery.ts';

export function recordingsOf(call: ExecutedCall, endMs: number): CallRecording[] {
  return splitRecordings(call.spec.id, call.run.log, endMs);
}

function recordingReport(
  recording: CallRecording,
  seed: string,
  delivery: RecordingDelivery | undefined,
): RecordingReport {
  const identities = createStreamIdentities(createRng(seed).fork(`recording/${recording.id}`));
  const { plan } = recording;
  const packets = delivery?.packetsPerStream ?? [plan.packetsPerStream, plan.packetsPerStream];
  const lost = delivery?.lostPerStream ?? [0, 0];
  return {
    id: recording.id,
    openedAtMs: recording.openedAtMs,
    closedAtMs: recording.closedAtMs,
    recordedMs: recording.recordedMs,
    segments: plan.recordedIntervals.map((i) => ({ startMs: i.startMs, endMs: i.endMs })),
    pauses: plan.pauses.map((p) => ({ pausedAtMs: p.pausedAtMs, resumedAtMs: p.resumedAtMs ?? null })),
    announcements: recording.announcements,
    tones: recording.tones,
    streams: [
      { label: 1, party: 'user', ssrc: identities.user.ssrc, packets: packets[0], lost: lost[0] },
      { label: 2, party: 'remote', ssrc: identities.remote.ssrc, packets: packets[1], lost: lost[1] },
    ],
    stored: delivery?.stored ?? false,
    ...(delivery?.sinkRecordingId === undefined ? {} : { sinkRecordingId: delivery.sinkRecordingId }),
  };
}

export function buildScenarioReport(
  file: string,
  scenario: Scenario,
  seed: string,
  execution: ScenarioExecution,
  delivery: DeliveryLookup = () => undefined,
): ScenarioReport {
  const calls: CallReport[] = execution.calls.map((call) => {
    const view = call.run.view();
    const endedAt =
      call.run.log.find((e) => e.type === 'call' && e.phase === 'ended')?.atMs ?? execution.endMs;
    const refusals: DubberRefusal[] = [];
    const recordings: RecordingReport[] = [];
    for (const r of recordingsOf(call, endedAt)) {
      const delivered = delivery(r.id);
      const refused =
        delivered === undefined
          ? predictRefusal(execution.hub, scenario, call.spec.user, r.openedAtMs)
          : delivered.refused;
      if (refused === undefined) recordings.push(recordingReport(r, seed, delivered));
      else refusals.push({ recording: r.id, atMs: r.openedAtMs, ...refused });
    }
    return {
      id: call.spec.id,
      user: call.spec.user,
      mode: call.mode,
      direction: call.spec.direction,
      remote: call.spec.remote,
      voicemail: call.spec.voicemail,
      startedAtMs: call.startedAtMs,
      endedAtMs: endedAt,
      lastEventAtMs: call.startedAtMs + Math.max(...call.spec.events.map((e) => e.at)),
      finalRecordingState: view.recordingState,
      tones: view.tones,
      recordedMs: recordings.reduce((n, r) => n + r.recordedMs, 0),
      timeline: call.run.log,
      recordings,
      endedBy: view.endedBy,
      refusals,
    };
  });
  const failures = checkExpectations({
    scenario,
    hub: execution.hub,
    steps: execution.steps,
    calls,
    endMs: execution.endMs,
  });
  failures.push(...checkAudioExpectations(scenario, calls, (id) => delivery(id)));
  return {
    name: scenario.name,
    file,
    cites: scenario.cites,
    seed,
    passed: failures.length === 0,
    failures,
    steps: execution.steps,
    calls,
    durationMs: execution.endMs,
  };
}
