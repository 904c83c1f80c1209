/**
 * What a live load sends to: the real sink (in a child process or in-process) or, in the bench, a bare
 * WebSocket receiver that only counts frames. The generator is the same for both, so the two are measured
 * with the same ticker, batching and lateness rule.
 */
import type { LatenessSummary } from './lateness.ts';
import type { LoadCall } from './load-calls.ts';
import type { ReceiverSecond } from './receiver-meter.ts';
import type { ResourceSample } from './resources.ts';

export interface ReceiverStats {
  readonly framesReceived: number;
  /** Packets durably stored (the sink) or received (a bare receiver). */
  readonly packetsStored: number;
  /** Packets the receiver refused (unknown SSRC, bad RTP, audio while paused). */
  readonly packetsDropped: number;
  /** Receive time − due time of each frame after the warm-up (docs/live-load.md). */
  readonly lateness: LatenessSummary;
  /** The same for the warm-up ticks. */
  readonly warmupLateness: LatenessSummary;
  /** The receiver process's CPU and RSS; undefined when it shares the generator's process. */
  readonly resources: ResourceSample | undefined;
  /** Lateness and CPU per second of the run (the sink; a receiver that does not keep them leaves it out). */
  readonly seconds?: readonly ReceiverSecond[];
}

export interface LoadLink {
  sendFrame(frame: Uint8Array): void;
  /** Bytes waiting in the socket (back-pressure). */
  readonly bufferedBytes: number;
  /** Times the link reconnected after its connection dropped (its frames were resent, not lost). */
  readonly reconnects: number;
  /**
   * Frames of this link the receiver has said are durable (its latest checkpoint); undefined for a receiver
   * that sends no checkpoints.
   */
  readonly durableFrames?: number;
  /** Ends every call on the link; packets durably stored per recording id (empty for a bare receiver). */
  finish(positionMs: number): Promise<ReadonlyMap<string, number>>;
  close(): Promise<void>;
}

export interface LoadTarget {
  /** Shown in reports: "sink (child process)", "bare ws", … */
  readonly label: string;
  /** True when the receiver runs in the generator's process (its CPU is then the generator's too). */
  readonly inProcess: boolean;
  /** Starts the receiver and provisions what the calls need. */
  prepare(callsByConnection: readonly (readonly LoadCall[])[], maxFrameBytes: number): Promise<void>;
  /** Opens connection `index` and every call on it. */
  connect(index: number, calls: readonly LoadCall[]): Promise<LoadLink>;
  /**
   * Tick 0 is due at `t0Ms` (epoch ms); the receiver times frames from here (ticks below `warmupTicks`
   * apart) and starts its CPU meter.
   */
  start(t0Ms: number, tickMs: number, warmupTicks: number): Promise<void>;
  stats(): Promise<ReceiverStats>;
  /** Offset of the receiver's wall clock from ours, when it runs in another process. */
  clockOffset?(): Promise<{ readonly offsetMs: number; readonly roundTripMs: number } | undefined>;
  /** Stops the receiver (always called, also after a failure). */
  close(): Promise<void>;
}
