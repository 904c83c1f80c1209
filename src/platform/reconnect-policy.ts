/**
 * When and how often the recording client reconnects (docs/sink-protocol.md, "Reconnecting a multiplexed
 * connection"): which drops are worth another connection, and the bounds of the backoff and the journal as
 * options a caller gives. Pure: the reconnect machine (machines/reconnect-machine.ts) times the attempts,
 * the client owns the sockets.
 */
import type { ReconnectPolicy } from '../../machines/reconnect-machine.ts';
import { SimError } from '../errors.ts';
import type { SinkErrorCode } from '../protocol/sink-errors.ts';

export interface MuxReconnectOptions {
  /** Attempts after one drop before the connection fails (default 8); a reconnect that works resets the count. */
  readonly maxReconnects?: number;
  /** Wait before the first attempt (default 100 ms); it doubles after every failed attempt. */
  readonly reconnectDelayMs?: number;
  /** The longest wait between two attempts (default 2,000 ms). */
  readonly maxReconnectDelayMs?: number;
  /**
   * Most frames kept for a resend that the sink has not acknowledged (default 500, 10 s of 20 ms frames).
   * The journal holds the frames themselves: at 100 calls per frame (≈ 35 KB) that is ≈ 17 MB.
   */
  readonly maxJournalFrames?: number;
}

export type MuxReconnectPolicy = Required<MuxReconnectOptions>;

export const DEFAULT_MUX_RECONNECT: MuxReconnectPolicy = {
  maxReconnects: 8,
  reconnectDelayMs: 100,
  maxReconnectDelayMs: 2000,
  maxJournalFrames: 500,
};

export function muxReconnectPolicy(options: MuxReconnectOptions): MuxReconnectPolicy {
  const policy = { ...DEFAULT_MUX_RECONNECT, ...options };
  const checks: [keyof MuxReconnectPolicy, number][] = [
    ['maxReconnects', 1],
    ['reconnectDelayMs', 0],
    ['maxReconnectDelayMs', 0],
    ['maxJournalFrames', 1],
  ];
  for (const [name, least] of checks) {
    const value = policy[name];
    if (!Number.isInteger(value) || value < least) {
      throw new SimError(
        'SIM_ERR_INVALID_ARGUMENT',
        `reconnect.${name} must be a whole number of at least ${least}; got ${value}.`,
        { details: { option: name, value } },
      );
    }
  }
  return policy;
}

export { reconnectDelayMsOf } from '../../machines/reconnect-machine.ts';

/** The machine's policy: reconnect on its own with the options' backoff, or (`manual`) when the caller asks. */
export function machinePolicyOf(policy: MuxReconnectPolicy | 'manual'): ReconnectPolicy {
  return policy === 'manual'
    ? {
        automatic: false,
        maxReconnects: Number.POSITIVE_INFINITY,
        reconnectDelayMs: 0,
        maxReconnectDelayMs: 0,
      }
    : {
        automatic: true,
        maxReconnects: policy.maxReconnects,
        reconnectDelayMs: policy.reconnectDelayMs,
        maxReconnectDelayMs: policy.maxReconnectDelayMs,
      };
}

/** Close statuses that another connection would meet again: protocol, unsupported data, policy, too large. */
const REPEATING_CLOSE_CODES = new Set([1002, 1003, 1007, 1008, 1009]);

/**
 * Whether a connection-wide `disconnect` or fatal `error` is worth reconnecting for: a shutdown or a failed
 * commit says "reconnect and resend"; anything else the sink refused would be refused again.
 */
export function reconnectsAfterFault(sinkCode: SinkErrorCode | undefined): boolean {
  return sinkCode === 'SINK_ERR_SHUTDOWN' || sinkCode === 'SINK_ERR_STORAGE';
}

/** Whether a close is worth reconnecting for: a drop without a word (network, sink killed) is. */
export function reconnectsAfterClose(closeCode: number): boolean {
  return !REPEATING_CLOSE_CODES.has(closeCode);
}
