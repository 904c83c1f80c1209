/**
 * `callrec run --live`: scenarios in real time. Steps and call events happen at their wall-clock times,
 * the media pipeline runs on the real scheduler and every kept recording is streamed to the sink over
 * WebSockets as it is produced. A sink on real time cannot jump days, so access and retention are
 * answered by the rules; a scenario longer than the limit is refused up front.
 */
import { relative } from 'node:path';
import { SimError } from '../errors.ts';
import { createSinkClient } from '../platform/index.ts';
import type { SinkTarget } from '../platform/sink-target.ts';
import { createRealClock } from '../time/index.ts';
import { buildScenarioReport, type RecordingDelivery } from './build-report.ts';
import { formatDurationMs } from './duration.ts';
import { executeScenario, scheduleScenario } from './execute-scenario.ts';
import { streamCallLive } from './live-streamer.ts';
import type { LoadedScenario } from './load-scenario.ts';
import type { ExpectationFailure, RunReport, ScenarioReport } from './report-types.ts';
import { type RunScenariosOptions, scenarioSeed, skippedAfter } from './run-scenarios.ts';
import { namespace, provisionSinkUser, sinkDubPoint } from './sink-delivery.ts';

export const DEFAULT_LIVE_LIMIT_MS = 10 * 60_000;

export async function runScenariosLive(
  loaded: readonly LoadedScenario[],
  options: RunScenariosOptions & { readonly sink: SinkTarget; readonly limitMs?: number },
): Promise<RunReport> {
  const limitMs = options.limitMs ?? DEFAULT_LIVE_LIMIT_MS;
  for (const item of loaded) {
    const probe = scheduleScenario(item.scenario, createRealClockStub());
    if (probe.endMs > limitMs) {
      throw new SimError(
        'SIM_ERR_USAGE',
        `${item.file} covers ${formatDurationMs(probe.endMs)}, longer than the live limit of ${formatDurationMs(limitMs)}; run it in virtual time (without --live) or pick shorter scenarios with --filter.`,
        { details: { file: item.file, endMs: probe.endMs, limitMs } },
      );
    }
  }
  const reports: ScenarioReport[] = [];
  let skipped: ReturnType<typeof skippedAfter> = [];
  for (const [index, item] of loaded.entries()) {
    const report = await runOneLive(item, options);
    reports.push(report);
    options.onScenarioDone?.(report, index, loaded.length);
    if (options.bail && !report.passed) {
      skipped = skippedAfter(loaded, index, options.baseDir);
      break;
    }
  }
  const passed = reports.filter((r) => r.passed).length;
  return {
    tool: 'callrec',
    version: '0.1.0',
    seed: options.seed,
    mode: 'live',
    sink: options.sink.kind,
    summary: { scenarios: reports.length, passed, failed: reports.length - passed },
    scenarios: reports,
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}

async function runOneLive(
  item: LoadedScenario,
  options: RunScenariosOptions & { readonly sink: SinkTarget },
): Promise<ScenarioReport> {
  const seed = scenarioSeed(options.seed, item);
  const file = relative(options.baseDir ?? '.', item.file);
  const target = options.sink;
  const ns = namespace(target.runId, file, item.scenario, target.clock.nowMs());
  const client = createSinkClient({
    url: target.streamUrl,
    keyId: target.keyId,
    secret: target.secret,
    clock: target.clock,
  });
  const results = { deliveries: new Map<string, RecordingDelivery>(), failures: [] as ExpectationFailure[] };
  for (const org of item.scenario.orgs)
    await target.admin.upsertOrg({ orgId: ns(org.id), customerName: org.customerName });

  // The same scenario in virtual time: the schedule live media is gated to (live-streamer.ts).
  const planned = new Map(executeScenario(item.scenario).calls.map((c) => [c.spec.id, c.run.log]));
  const clock = createRealClock();
  const streams: { done(): Promise<void> }[] = [];
  const scheduled = scheduleScenario(item.scenario, clock, (call, hub) => {
    const provisioned = provisionSinkUser(
      target.admin,
      ns,
      hub,
      call.spec.user,
      clock.nowMs(),
      undefined,
      item.scenario,
    );
    streams.push(
      streamCallLive(
        call,
        hub,
        clock,
        seed,
        async (id, identities, user) => {
          await provisioned;
          return client.openRecording({
            recordingId: ns.recording(id),
            orgId: ns(user.orgId),
            userId: ns(user.id),
            dubPoint: sinkDubPoint(hub, ns, user.id, clock.nowMs()),
            direction: call.spec.direction === 'incoming' ? 'inbound' : 'outbound',
            remote: { type: call.spec.remote },
            format: call.spec.codec,
            ssrcs: { user: identities.user.ssrc, remote: identities.remote.ssrc },
          });
        },
        results,
        planned.get(call.spec.id),
      ),
    );
  });
  const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
  await sleep(Math.max(0, scheduled.endMs - clock.nowMs()) + 50);
  const execution = scheduled.finish();
  // Let the last packets and the close handshakes reach the sink.
  await sleep(100);
  await Promise.all(streams.map((s) => s.done()));
  const built = buildScenarioReport(file, item.scenario, seed, execution, (id) => results.deliveries.get(id));
  const failures = [...built.failures, ...results.failures];
  return { ...built, failures, passed: failures.length === 0 };
}

/** Scheduling on a clock that never runs, only to learn how long a scenario is. */
function createRealClockStub() {
  const clock = createRealClock();
  return { ...clock, setTimeout: () => undefined, clearTimeout: () => undefined };
}
