/**
 * Where a scenario run sends its recordings: the embedded sink (in this process, on a virtual clock the
 * runner can move across the days a scenario covers) or a sink running elsewhere (`--sink <url>`, on
 * real time, so only delivery and storage are checked there).
 */
import { randomUUID } from 'node:crypto';
import { createSinkServer, inProcessSinkAdmin } from '../dubber/index.ts';
import { SimError } from '../errors.ts';
import { httpSinkAdmin } from '../platform/index.ts';
import { PLATFORM_ORG, PORTAL_PATH, type SinkAdmin } from '../protocol/index.ts';
import { createEpochClock, createVirtualClock, type SimClock } from '../time/index.ts';

export interface SinkTarget {
  readonly kind: 'embedded' | 'external';
  /** ws://…/v1/stream */
  readonly streamUrl: string;
  readonly keyId: string;
  readonly secret: string;
  /** The sink's timeline: the client signs with it. */
  readonly clock: SimClock;
  readonly admin: SinkAdmin;
  /** Tags this run's ids, so runs against a kept database never meet earlier runs' recordings. */
  readonly runId: string;
  /** Moves the sink's clock forward (embedded only: an external sink lives in real time). */
  readonly travelTo?: (ms: number) => void;
  /** The stored audio of a recording as the portal serves it (a stereo WAV), for audio expectations. */
  readonly download: (token: string, recordingId: string) => Promise<Uint8Array>;
  close(): Promise<void>;
}

const EMBEDDED_KEY = {
  keyId: 'callrec-runner',
  secret: 'callrec-runner-secret-0123456789',
  orgId: PLATFORM_ORG,
};

/**
 * A sink in this process on a free loopback port: on its own virtual clock (the runner moves it), or on
 * real time for live runs.
 */
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
  return {
    kind: 'embedded',
    streamUrl: server.streamUrl,
    keyId: EMBEDDED_KEY.keyId,
    secret: EMBEDDED_KEY.secret,
    clock,
    admin: inProcessSinkAdmin(server),
    runId: randomUUID().slice(0, 8),
    ...(virtual === undefined
      ? {}
      : { travelTo: (ms: number) => virtual.advanceTo(Math.max(virtual.nowMs(), ms)) }),
    download: async (token, recordingId) => server.portal.download(token, recordingId).wav,
    close: () => server.close(),
  };
}

/**
 * A sink started with `callrec sink --key id:secret` (a platform key). `url` is its http:// or ws://
 * address; the stream path is added.
 */
export function connectExternalSink(url: string, key: string): SinkTarget {
  const [keyId, secret] = key.split(':');
  if (!keyId || !secret) {
    throw new SimError(
      'SIM_ERR_USAGE',
      'Give the sink key as --sink-key id:secret (the platform key the sink was started with).',
    );
  }
  let base: URL;
  try {
    base = new URL(url);
  } catch (cause) {
    throw new SimError('SIM_ERR_USAGE', `"${url}" is not a URL; use e.g. http://127.0.0.1:8787`, { cause });
  }
  const httpBase = `${base.protocol === 'wss:' || base.protocol === 'https:' ? 'https' : 'http'}://${base.host}`;
  const clock = createEpochClock();
  return {
    kind: 'external',
    streamUrl: `${httpBase.replace(/^http/, 'ws')}/v1/stream`,
    keyId,
    secret,
    clock,
    admin: httpSinkAdmin({ baseUrl: httpBase, keyId, secret, clock }),
    runId: randomUUID().slice(0, 8),
    download: async (token, recordingId) => {
      const url = `${httpBase}${PORTAL_PATH}/${encodeURIComponent(recordingId)}/audio.wav`;
      let response: Response;
      try {
        response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      } catch (cause) {
        throw new SimError('SIM_ERR_SINK_UNAVAILABLE', `Cannot reach the sink at ${url}.`, { cause });
      }
      if (!response.ok)
        throw new SimError('SIM_ERR_SINK_PROTOCOL', `The sink answered ${response.status} for ${url}.`);
      return new Uint8Array(await response.arrayBuffer());
    },
    close: async () => {},
  };
}
