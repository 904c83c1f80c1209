/**
 * The non-INVITE server transaction (RFC 3261 §17.2.2) — answering BYE, INFO, OPTIONS. Retransmitted
 * requests are absorbed until the TU answers, then get the last response again; after a final response,
 * Timer J (64·T1 over UDP, 0 over TCP) keeps answering retransmissions before the transaction ends.
 */
import type { SipRequest, SipResponse } from '../sip-message.ts';
import { type ServerInput, type Step, type TransactionOptions, timersOf } from './transaction-types.ts';

export type NonInviteServerPhase = 'trying' | 'proceeding' | 'completed' | 'terminated';

export interface NonInviteServerState {
  readonly phase: NonInviteServerPhase;
  readonly request: SipRequest;
  readonly options: TransactionOptions;
  readonly lastResponse?: SipResponse;
}

export function startNonInviteServer(
  request: SipRequest,
  options: TransactionOptions,
): Step<NonInviteServerState> {
  return { state: { phase: 'trying', request, options }, effects: [{ type: 'deliver', message: request }] };
}

export function stepNonInviteServer(
  state: NonInviteServerState,
  input: ServerInput,
): Step<NonInviteServerState> {
  const { t1Ms } = timersOf(state.options);
  const same = { state, effects: [] };
  switch (state.phase) {
    case 'trying':
    case 'proceeding':
      if (input.type === 'request') {
        return state.phase === 'proceeding' && state.lastResponse !== undefined
          ? { state, effects: [{ type: 'send', message: state.lastResponse }] }
          : same;
      }
      if (input.type === 'transport-error') {
        return {
          state: { ...state, phase: 'terminated' },
          effects: [{ type: 'timeout', timer: 'transport' }, { type: 'terminated' }],
        };
      }
      if (input.type !== 'respond') return same;
      if (input.response.status < 200) {
        return {
          state: { ...state, phase: 'proceeding', lastResponse: input.response },
          effects: [{ type: 'send', message: input.response }],
        };
      }
      return {
        state: { ...state, phase: 'completed', lastResponse: input.response },
        effects: [
          { type: 'send', message: input.response },
          { type: 'start-timer', timer: 'J', delayMs: state.options.reliable ? 0 : 64 * t1Ms },
        ],
      };
    case 'completed':
      if (input.type === 'request' && state.lastResponse !== undefined) {
        return { state, effects: [{ type: 'send', message: state.lastResponse }] };
      }
      if (input.type === 'timer' && input.timer === 'J') {
        return { state: { ...state, phase: 'terminated' }, effects: [{ type: 'terminated' }] };
      }
      return same;
    case 'terminated':
      return same;
  }
}
