/**
 * Where the platform sends its recordings: one sink — in this process (its server and admin handed in by
 * whoever started it) or running elsewhere (`--sink <url>`, a live load's child process), reached over
 * signed HTTP and WebSockets — with the key and the clock a recording client signs with. The scenario
 * runner and the live load both deliver to a SinkTarget.
 */
import { randomUUID } from 'node:crypto';
import { SimError } from '../errors.ts';
import { PORTAL_PATH, type SinkAdmin } from '../protocol/index.ts';
import { createEpochClock, type SimClock } from '../time/index.ts';
import { httpSinkAdmin } from './admin-client.ts';

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

/** A platform key (`orgId: "*"`, acting for every organisation). */
export interface PlatformKey {
  readonly keyId: string;
  readonly secret: string;
}

/** A sink started in this process: its stream URL and what the caller drives it with. */
export interface InProcessSink {
  readonly streamUrl: string;
  readonly clock: SimClock;
  readonly admin: SinkAdmin;
  readonly download: (token: string, recordingId: string) => Promise<Uint8Array>;
  readonly travelTo?: (ms: number) => void;
  close(): Promise<void>;
}

export function inProcessSinkTarget(sink: InProcessSink, key: PlatformKey): SinkTarget {
  return {
    kind: 'embedded',
    streamUrl: sink.streamUrl,
    keyId: key.keyId,
    secret: key.secret,
    clock: sink.clock,
    admin: sink.admin,
    runId: randomUUID().slice(0, 8),
    ...(sink.travelTo === undefined ? {} : { travelTo: sink.travelTo }),
    download: sink.download,
    close: () => sink.close(),
  };
}

/**
 * A sink started with `callrec sink --key id:secret` (a platform key), given as `id:secret`. `url` is its
 * http:// or ws:// address; the stream path is added.
 */
export function connectExternalSink(url: string, key: string): SinkTarget {
  const [keyId, secret] = key.split(':');
  if (!keyId || !secret) {
    throw new SimError(
      'SIM_ERR_USAGE',
      'Give the sink key as --sink-key id:secret (the platform key the sink was started with).',
    );
  }
  return remoteSinkTarget(url, { keyId, secret });
}

/** A sink reached over the network at `url` (http:// or ws://) with a platform key, on real time. */
export function remoteSinkTarget(
  url: string,
  key: PlatformKey,
  close: () => Promise<void> = async () => {},
): SinkTarget {
  let base: URL;
  try {
    base = new URL(url);
  } catch (cause) {
    throw new SimError('SIM_ERR_USAGE', `"${url}" is not a URL; use e.g. http://127.0.0.1:8787`, { cause });
  }
  const httpBase = `${base.protocol === 'wss:' || base.protocol === 'https:' ? 'https' : 'http'}://${base.host}`;
  const clock = createEpochClock();
  const { keyId, secret } = key;
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
    close,
  };
}
