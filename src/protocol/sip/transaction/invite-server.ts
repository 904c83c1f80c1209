/**
 * The INVITE server transaction (RFC 3261 §17.2.1, with RFC 6026's Accepted state) together with the UAS
 * core's 2xx retransmission (§13.3.1.4), which is what an SRS needs: the 200 answering a recording INVITE
 * is sent again at T1, doubling up to T2, until the ACK arrives (on any transport, since the ACK is end to
 * end), and after 64·T1 without one the TU gets a timeout (it should then send BYE). A final response above
 * 299 is retransmitted at Timer G (UDP only) until the ACK, or Timer H (64·T1); Timer I absorbs late ACKs.
 * The 2xx wait reuses the names G and H, with the same intervals. A retransmitted INVITE gets the last
 * response again; an ACK for the 2xx is delivered to the TU.
 */
import type { SipRequest, SipResponse } from '../sip-message.ts';
import {
  type ServerInput,
  type Step,
  type TransactionEffect,
  type TransactionOptions,
  timersOf,
} from './transaction-types.ts';

export type InviteServerPhase = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';

export interface InviteServerState {
  readonly phase: InviteServerPhase;
  readonly request: SipRequest;
  readonly options: TransactionOptions;
  readonly lastResponse?: SipResponse;
  readonly retransmitMs: number;
}

/** A new INVITE arrived: deliver it to the TU (which should answer, at least 100 Trying, within 200 ms). */
export function startInviteServer(request: SipRequest, options: TransactionOptions): Step<InviteServerState> {
  return {
    state: { phase: 'proceeding', request, options, retransmitMs: timersOf(options).t1Ms },
    effects: [{ type: 'deliver', message: request }],
  };
}

export function stepInviteServer(state: InviteServerState, input: ServerInput): Step<InviteServerState> {
  const { t1Ms, t2Ms, t4Ms } = timersOf(state.options);
  const same = { state, effects: [] };
  const resend = (): TransactionEffect[] =>
    state.lastResponse === undefined ? [] : [{ type: 'send', message: state.lastResponse }];
  const end = (effects: TransactionEffect[]): Step<InviteServerState> => ({
    state: { ...state, phase: 'terminated' },
    effects: [...effects, { type: 'terminated' }],
  });
  const isAck = input.type === 'request' && input.request.method === 'ACK';
  switch (state.phase) {
    case 'proceeding': {
      if (input.type === 'request') return isAck ? same : { state, effects: resend() };
      if (input.type === 'transport-error') return end([{ type: 'timeout', timer: 'transport' }]);
      if (input.type !== 'respond') return same;
      const response = input.response;
      if (response.status < 200) {
        return {
          state: { ...state, lastResponse: response },
          effects: [{ type: 'send', message: response }],
        };
      }
      if (response.status < 300) {
        return {
          state: { ...state, phase: 'accepted', lastResponse: response, retransmitMs: t1Ms },
          effects: [
            { type: 'send', message: response },
            { type: 'start-timer', timer: 'G', delayMs: t1Ms },
            { type: 'start-timer', timer: 'H', delayMs: 64 * t1Ms },
          ],
        };
      }
      return {
        state: { ...state, phase: 'completed', lastResponse: response, retransmitMs: t1Ms },
        effects: [
          { type: 'send', message: response },
          ...(state.options.reliable ? [] : [{ type: 'start-timer', timer: 'G', delayMs: t1Ms } as const]),
          { type: 'start-timer', timer: 'H', delayMs: 64 * t1Ms },
        ],
      };
    }
    case 'accepted':
    case 'completed': {
      if (input.type === 'timer' && input.timer === 'G') {
        const next = Math.min(2 * state.retransmitMs, t2Ms);
        return {
          state: { ...state, retransmitMs: next },
          effects: [...resend(), { type: 'start-timer', timer: 'G', delayMs: next }],
        };
      }
      if (input.type === 'timer' && input.timer === 'H') {
        return end([
          { type: 'cancel-timer', timer: 'G' },
          { type: 'timeout', timer: 'H' },
        ]);
      }
      if (input.type === 'transport-error') {
        return end([
          { type: 'cancel-timer', timer: 'G' },
          { type: 'cancel-timer', timer: 'H' },
          { type: 'timeout', timer: 'transport' },
        ]);
      }
      if (input.type !== 'request') return same;
      if (!isAck) return state.phase === 'completed' ? { state, effects: resend() } : same;
      const stop: TransactionEffect[] = [
        { type: 'cancel-timer', timer: 'G' },
        { type: 'cancel-timer', timer: 'H' },
      ];
      if (state.phase === 'accepted') return end([...stop, { type: 'deliver', message: input.request }]);
      return {
        state: { ...state, phase: 'confirmed' },
        effects: [...stop, { type: 'start-timer', timer: 'I', delayMs: state.options.reliable ? 0 : t4Ms }],
      };
    }
    case 'confirmed':
      if (input.type === 'timer' && input.timer === 'I') return end([]);
      return same;
    case 'terminated':
      return same;
  }
}
