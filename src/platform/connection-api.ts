/**
 * What a recording connection offers (connection.ts): the multiplexed connection's calls and options, and
 * what its one-recording facade (client.ts) uses besides.
 */
import type { SimError, SimErrorDetails } from '../errors.ts';
import type { SimClock, TimerClock } from '../time/clock.ts';
import type { JournalText } from './journal.ts';
import type { MuxReconnectOptions, MuxReconnectPolicy } from './reconnect-policy.ts';
import type { CheckpointInfo, OpenedInfo, SinkWarning } from './recording-types.ts';
import type { MuxOpenRequest } from './recordings.ts';

export interface ConnectionTarget {
  /** ws://host:port/v1/stream */
  readonly url: string;
  readonly keyId: string;
  readonly secret: string;
}

export type MuxConnectionOptions = ConnectionTarget &
  (
    | {
        /** Signs with `clock.nowMs()`; it must read the sink's timeline (epoch ms for a `callrec sink`). */
        readonly clock: Pick<SimClock, 'nowMs'>;
        readonly reconnect?: undefined;
      }
    | {
        /** Signs with `clock.nowMs()`; its timers wait between reconnect attempts. */
        readonly clock: Pick<SimClock, 'nowMs'> & TimerClock;
        /** Reconnect after an unexpected drop (opt-in); the first connection is never retried. */
        readonly reconnect: MuxReconnectOptions;
      }
  );

export interface MuxConnection {
  /** Opens (or resumes) one recording on this connection. */
  open(request: MuxOpenRequest): Promise<OpenedInfo>;
  /**
   * Sends one binary frame: (2-byte length, RTP packet)… of recordings opened here. With `reconnect` the
   * frame is kept (do not change it afterwards) until a checkpoint covers it, and this throws a
   * SIM_ERR_SINK_UNAVAILABLE SimError, failing the connection, when `maxJournalFrames` are unacknowledged.
   */
  sendFrame(frame: Uint8Array): void;
  /** Resolves once everything sent so far is durable, with the recording's checkpoint. */
  ping(recordingId: string): Promise<CheckpointInfo>;
  /** Ends one recording; resolves with its last checkpoint (packets stored) once `closed` arrives. */
  close(
    recordingId: string,
    positionMs: number,
    reason?: 'end' | 'stopped' | 'failure',
  ): Promise<CheckpointInfo>;
  /** Frames the caller sent (resends not counted). */
  readonly framesSent: number;
  /** Frames the sink has said are durable (latest checkpoint; with `reconnect`, over all connections). */
  readonly durableFrames: number;
  /** Bytes queued in the socket, not yet handed to the kernel. */
  readonly bufferedBytes: number;
  readonly warnings: readonly SinkWarning[];
  /** Reconnects that succeeded (recordings reopened, journal resent). */
  readonly reconnects: number;
  /** The connection dropped and is being reconnected; frames sent meanwhile wait in the journal. */
  readonly reconnecting: boolean;
  /** Frames kept for a resend that no checkpoint covers yet (always 0 without `reconnect`). */
  readonly unackedFrames: number;
  /** Closes the socket normally (after closing the recordings). */
  end(): Promise<void>;
  terminate(): void;
}

/** What the one-recording facade needs besides the multiplexed connection's calls. */
export interface RecordingConnection extends MuxConnection {
  /** Open, and every recording it carries reopened: what is sent now goes out at once. */
  readonly connected: boolean;
  /** Frames and control messages no checkpoint covers yet. */
  readonly unacked: number;
  /** Sends (and journals) one control message of a recording. */
  send(
    id: string,
    type: JournalText['type'],
    positionMs: number,
    parameters: JournalText['parameters'],
  ): void;
  /** Resolves with the recording's last checkpoint once its `closed` arrives (its `close` sent already). */
  awaitClosed(recordingId: string): Promise<CheckpointInfo>;
  lastCheckpointOf(recordingId: string): CheckpointInfo | undefined;
  openedOf(recordingId: string): OpenedInfo | undefined;
  /** Replaces the connection (optionally at another URL), reopens the recordings and resends the journal. */
  reconnect(url?: string): Promise<void>;
  /** Drops the socket abruptly (tests, fault injection); the journal is kept. */
  drop(): void;
  /** What a call made while not connected fails with: why the last connection ended, or `message`. */
  notConnected(message: string, details?: SimErrorDetails): SimError;
  end(reason?: string): Promise<void>;
}

export interface RecordingConnectionOptions extends ConnectionTarget {
  readonly clock: Pick<SimClock, 'nowMs'> & Partial<TimerClock>;
  /**
   * true: every `open` carries `multiplex: true` and a refusal ends one recording; false: one recording,
   * the sink's one-recording rules (its refusals end the connection, after which it may be reconnected).
   */
  readonly multiplex: boolean;
  /** `off`: no journal, no reconnect; `manual`: an unbounded journal, `reconnect()` when the caller asks. */
  readonly reconnect: 'off' | 'manual' | MuxReconnectPolicy;
  /**
   * An all-zero WebSocket mask: ws then skips XOR-ing every payload byte on both ends (35 MB/s at 2,000
   * calls, in JavaScript on Node 20 without bufferutil). Masking guards against proxy cache poisoning (RFC
   * 6455 §10.3); the multiplexed client talks to its own sink over loopback.
   */
  readonly zeroMask: boolean;
}
