/**
 * What the recording client knows of each recording its connection carries: the `open` request (to reopen it on a new
 * connection), where it stands, and the promises waiting on its replies. Failing a recording rejects
 * those promises; the connection and its other recordings carry on.
 */
import type { SimError } from '../errors.ts';
import type { CheckpointInfo, OpenedInfo, OpenRecordingRequest } from './recording-types.ts';

export interface MuxOpenRequest extends Omit<OpenRecordingRequest, 'recordingId'> {
  readonly recordingId: string;
}

export interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * `opening`: open sent (or waiting for a connection), no reply yet; `open`: opened; `closed`: its `closed`
 * arrived; `failed`: refused, superseded or failed with the connection; `unknown`: never opened here.
 * A reconnect reopens the `opening` and `open` ones.
 */
export type MuxRecordingStatus = 'opening' | 'open' | 'closed' | 'failed' | 'unknown';

export interface MuxRecording {
  readonly id: string;
  request: MuxOpenRequest | undefined;
  status: MuxRecordingStatus;
  open: Waiter<OpenedInfo> | undefined;
  /** Pings waiting for a pong, with the seq they were last sent with (0: not sent yet). */
  pings: (Waiter<CheckpointInfo> & { seq: number })[];
  close: Waiter<CheckpointInfo> | undefined;
  /** Its latest checkpoint. */
  last: CheckpointInfo | undefined;
  /** The sink's latest `opened` reply (a reconnect replaces it). */
  opened: OpenedInfo | undefined;
}

export function isLive(rec: MuxRecording | undefined): rec is MuxRecording & { request: MuxOpenRequest } {
  return rec?.request !== undefined && (rec.status === 'opening' || rec.status === 'open');
}

/** Rejects what waits on the recording. */
export function rejectWaiters(rec: MuxRecording, error: SimError): void {
  rec.open?.reject(error);
  rec.open = undefined;
  for (const p of rec.pings.splice(0)) p.reject(error);
  rec.close?.reject(error);
  rec.close = undefined;
}

/** The recording ends here (refused, superseded): its waiters are rejected and a reconnect leaves it out. */
export function failRecording(rec: MuxRecording, error: SimError): void {
  rec.status = 'failed';
  rejectWaiters(rec, error);
}

export function createMuxRecordings() {
  const byId = new Map<string, MuxRecording>();
  return {
    get: (id: string) => byId.get(id),
    /** The recording's entry, made on first use (also for a ping or close of an id never opened here). */
    of(id: string): MuxRecording {
      let rec = byId.get(id);
      if (rec === undefined) {
        rec = {
          id,
          request: undefined,
          status: 'unknown',
          open: undefined,
          pings: [],
          close: undefined,
          last: undefined,
          opened: undefined,
        };
        byId.set(id, rec);
      }
      return rec;
    },
    /** In the order they were first used. */
    all: () => byId.values(),
  };
}

export type MuxRecordings = ReturnType<typeof createMuxRecordings>;
