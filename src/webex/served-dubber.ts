/**
 * The fake Dubber behind a served world: when a call ends, its kept recordings (both RTP streams, with the
 * pause/resume, announcement and tone messages) are streamed to the sink exactly as the scenario runner
 * delivers them, one call at a time. Each call is delivered under its own id namespace in the sink.
 */

import type { SinkTarget } from '../platform/sink-target.ts';
import type { Scenario, ScenarioCall } from '../scenario/schema.ts';
import { deliverToSink } from '../scenario/sink-delivery.ts';
import type { ServedCall } from './served-calls.ts';
import type { WebexWorld } from './webex-world.ts';

export interface DubberDelivery {
  /** Recordings the sink acknowledged in full. */
  readonly stored: number;
  readonly recordings: number;
  readonly failures: readonly string[];
}

export interface ServedDubber {
  /** What the sink did with each ended call's recordings. */
  delivery(callId: string): DubberDelivery | undefined;
  /** Resolves once every ended call has been delivered. */
  settled(): Promise<void>;
}

function specOf(call: ServedCall): ScenarioCall {
  return {
    id: call.callId,
    user: call.userId,
    direction: call.direction,
    remote: call.remote,
    voicemail: call.voicemail,
    codec: 'PCMU',
    recorder: { answerMs: call.recorderAnswerMs, up: call.recorderUp },
    events: [{ at: 0, do: 'hang-up' }],
  };
}

export function attachDubber(
  world: WebexWorld,
  scenario: Scenario,
  sink: SinkTarget,
  seed: string,
): ServedDubber {
  const deliveries = new Map<string, DubberDelivery>();
  let chain: Promise<void> = Promise.resolve();
  world.calls.onEvent((call, event) => {
    if (event.type !== 'call' || event.phase !== 'ended') return;
    const endMs = world.clock.nowMs();
    const hub = world.hub();
    const spec = specOf(call);
    chain = chain.then(async () => {
      try {
        const outcome = await deliverToSink(
          sink,
          `served/${call.callId}`,
          { ...scenario, steps: [{ call: spec }], expect: {} },
          {
            clock: world.clock,
            hub,
            steps: [],
            calls: [{ spec, run: call.run, startedAtMs: call.createdMs, mode: call.mode }],
            endMs,
          },
          seed,
        );
        const all = [...outcome.deliveries.values()];
        deliveries.set(call.callId, {
          stored: all.filter((d) => d.stored === true).length,
          recordings: all.length,
          failures: outcome.failures.map((f) => `${f.expectation}: ${f.message}`),
        });
      } catch (error) {
        deliveries.set(call.callId, {
          stored: 0,
          recordings: 0,
          failures: [error instanceof Error ? error.message : String(error)],
        });
      }
    });
  });
  return {
    delivery: (callId) => deliveries.get(callId),
    settled: () => chain,
  };
}
