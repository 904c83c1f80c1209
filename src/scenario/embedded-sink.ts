/**
 * The sink a scenario run sends its recordings to by default: the fake Dubber in this process, on a free
 * loopback port, on its own virtual clock the runner can move across the days a scenario covers (or on
 * real time for live runs). A sink running elsewhere is `connectExternalSink` (src/platform/sink-target.ts).
 */
import { createSinkServer, inProcessSinkAdmin } from '../dubber/index.ts';
import { inProcessSinkTarget, type SinkTarget } from '../platform/index.ts';
import { PLATFORM_ORG } from '../protocol/index.ts';
import { createEpochClock, createVirtualClock, type SimClock } from '../time/index.ts';

const EMBEDDED_KEY = {
  keyId: 'callrec-runner',
  secret: 'callrec-runner-secret-0123456789',
  orgId: PLATFORM_ORG,
};

export async function startEmbeddedSink(
  dbPath = ':memory:',
  options: { realTime?: boolean } = {},
): Promise<SinkTarget> {
  const virtual = options.realTime ? undefined : createVirtualClock();
  const clock: SimClock = virtual ?? createEpochClock();
  // The runner sweeps right before each retention or access question, so no hourly sweep on the clock:
  // across hundreds of virtual days it would only repeat the same scan thousands of times.
  const server = await createSinkServer({
    port: 0,
    host: '127.0.0.1',
    dbPath,
    clock,
    keys: [EMBEDDED_KEY],
    scheduleSweep: false,
    // The runner moves a virtual sink clock by hours or days between questions; silence then is no fault.
    ...(virtual === undefined ? {} : { limits: { idleTimeoutMs: 0 } }),
  });
  return inProcessSinkTarget(
    {
      streamUrl: server.streamUrl,
      clock,
      admin: inProcessSinkAdmin(server),
      ...(virtual === undefined
        ? {}
        : { travelTo: (ms: number) => virtual.advanceTo(Math.max(virtual.nowMs(), ms)) }),
      download: async (token, recordingId) => server.portal.download(token, recordingId).wav,
      close: () => server.close(),
    },
    EMBEDDED_KEY,
  );
}
