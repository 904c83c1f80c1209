/** The sink's tunable limits, each with its unit in the name, and their defaults. */
import { DEFAULT_MAX_SKEW_MS } from '../protocol/auth-signature.ts';

export interface SinkLimits {
  /** Largest WebSocket message accepted; larger ones close the connection with 1009 (ws `maxPayload`). */
  readonly maxPayloadBytes: number;
  /** A connection that has not sent `open` by then is closed with 4000 (AudioHook: opened within 5 s). */
  readonly openTimeoutMs: number;
  /** Send a checkpoint at least every this many durably stored frames (always after control messages). */
  readonly checkpointEveryFrames: number;
  /**
   * Commit media-only traffic of a connection every this many frames (1 = every event-loop turn). Larger
   * values store each stream's packets as longer runs, staggered across connections; control messages,
   * pings and closes still commit at once. A live load of thousands of calls needs ≈ 10 (docs/live-load.md).
   */
  readonly mediaCommitFrames: number;
  /** How often the retention sweep runs on the sink clock. */
  readonly retentionSweepIntervalMs: number;
  /** Allowed difference between a signature's `created` and the sink clock. */
  readonly maxSkewMs: number;
  /** Largest provisioning request body. */
  readonly maxHttpBodyBytes: number;
  /** WebSocket connections at once; one more upgrade gets 503 (plain HTTP, like the health endpoint, is not counted). */
  readonly maxConnections: number;
  /**
   * A connection that has sent `open` and then nothing at all for this long (sink clock) is closed with
   * 4002; its recordings stay resumable. 0 turns it off.
   */
  readonly idleTimeoutMs: number;
  /** Recordings a multiplexed connection may hold open at once; one more `open` is refused (only that one). */
  readonly maxRecordingsPerConnection: number;
  /** Longest WAV the portal exports; a longer recording's WAV ends here (2 h ≈ 230 MB of 8 kHz stereo). */
  readonly maxWavDurationMs: number;
}

export const DEFAULT_SINK_LIMITS: SinkLimits = {
  maxPayloadBytes: 64 * 1024,
  openTimeoutMs: 5_000,
  checkpointEveryFrames: 25,
  mediaCommitFrames: 1,
  retentionSweepIntervalMs: 60 * 60 * 1000,
  maxSkewMs: DEFAULT_MAX_SKEW_MS,
  maxHttpBodyBytes: 1024 * 1024,
  maxConnections: 10_000,
  idleTimeoutMs: 300_000,
  maxRecordingsPerConnection: 1_000,
  maxWavDurationMs: 2 * 60 * 60 * 1000,
};
