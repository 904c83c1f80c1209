/**
 * What the four transaction state machines of RFC 3261 §17 share: the timer values (T1, T2, T4), the
 * timer names, the inputs they are fed ("message received", "timer fired", "the TU responds") and the
 * effects they produce ("send this", "deliver that to the TU", "start/cancel a timer", "timeout").
 *
 * They are plain reducers, `(state, input) → { state, effects }`, not XState machines: each is the RFC's
 * transition table and nothing else (a dozen transitions), they hold a message and two numbers, and an SRS
 * at load runs thousands of them at once, so an actor per transaction would cost more than the machine. A
 * reducer is also testable without any clock; `transaction-runner.ts` binds one to the project's clock.
 */
import { parseVia } from '../sip-grammar.ts';
import type { SipRequest, SipResponse } from '../sip-message.ts';
import { headerValue } from '../sip-message.ts';

export interface SipTimerValues {
  /** RTT estimate; 500 ms (RFC 3261 §17.1.1.1). */
  readonly t1Ms: number;
  /** Largest retransmit interval of non-INVITE requests and INVITE responses; 4 s. */
  readonly t2Ms: number;
  /** Longest time a message stays in the network; 5 s. */
  readonly t4Ms: number;
}

export const DEFAULT_SIP_TIMERS: SipTimerValues = { t1Ms: 500, t2Ms: 4_000, t4Ms: 5_000 };

/** RFC 3261 Table 4 (and RFC 6026's M for the INVITE client's Accepted state). */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'K' | 'G' | 'H' | 'I' | 'J' | 'M';

export interface TransactionOptions {
  /** TCP/TLS: no retransmissions, and the wait states end at once. */
  readonly reliable: boolean;
  readonly timers?: SipTimerValues;
}

export type TransactionEffect =
  | { readonly type: 'send'; readonly message: SipRequest | SipResponse }
  | { readonly type: 'deliver'; readonly message: SipRequest | SipResponse }
  | { readonly type: 'start-timer'; readonly timer: TimerName; readonly delayMs: number }
  | { readonly type: 'cancel-timer'; readonly timer: TimerName }
  /** Timer B, F or H fired (no answer / no ACK), or the transport failed: the TU must act. */
  | { readonly type: 'timeout'; readonly timer: TimerName | 'transport' }
  | { readonly type: 'terminated' };

export type ClientInput =
  | { readonly type: 'response'; readonly response: SipResponse }
  | { readonly type: 'timer'; readonly timer: TimerName }
  | { readonly type: 'transport-error' };

export type ServerInput =
  /** A retransmission of the request, or (INVITE only) the ACK. */
  | { readonly type: 'request'; readonly request: SipRequest }
  /** The TU answers. */
  | { readonly type: 'respond'; readonly response: SipResponse }
  | { readonly type: 'timer'; readonly timer: TimerName }
  | { readonly type: 'transport-error' };

export interface Step<S> {
  readonly state: S;
  readonly effects: readonly TransactionEffect[];
}

export function timersOf(options: TransactionOptions): SipTimerValues {
  return options.timers ?? DEFAULT_SIP_TIMERS;
}

/**
 * The key that matches a message to its transaction (RFC 3261 §17.1.3, §17.2.3): the top Via's branch and
 * sent-by, and the method (CSeq's, so a response finds its request; an ACK finds its INVITE's server
 * transaction when it answers a non-2xx). Undefined when the top Via has no branch.
 */
export function transactionKey(message: SipRequest | SipResponse): string | undefined {
  const topVia = message.headers.find((h) => h.name === 'Via')?.value.split(',')[0] ?? '';
  const via = parseVia(topVia);
  if (!via.ok) return undefined;
  const branch = via.value.params.find((p) => p.name.toLowerCase() === 'branch')?.value;
  if (branch === undefined) return undefined;
  const cseqMethod = (headerValue(message, 'CSeq') ?? '').trim().split(/\s+/)[1] ?? '';
  const method = cseqMethod === 'ACK' ? 'INVITE' : cseqMethod;
  return `${branch}|${via.value.host}:${via.value.port ?? 5060}|${method}`;
}
