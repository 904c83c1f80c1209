/**
 * The non-INVITE client transaction (RFC 3261 §17.1.2) — BYE, INFO, OPTIONS. Over UDP the request is sent
 * again at Timer E (T1 doubling up to T2; T2 once a provisional arrived) until a final response, and given
 * up at Timer F (64·T1): a timeout for the TU. After the final response, Timer K (T4) absorbs retransmissions.
 */
import type { SipRequest } from '../sip-message.ts';
import {
  type ClientInput,
  type Step,
  type TransactionEffect,
  type TransactionOptions,
  timersOf,
} from './transaction-types.ts';

export type NonInviteClientPhase = 'trying' | 'proceeding' | 'completed' | 'terminated';

export interface NonInviteClientState {
  readonly phase: NonInviteClientPhase;
  readonly request: SipRequest;
  readonly options: TransactionOptions;
  readonly retransmitMs: number;
}

export function startNonInviteClient(
  request: SipRequest,
  options: TransactionOptions,
): Step<NonInviteClientState> {
  const { t1Ms } = timersOf(options);
  const effects: TransactionEffect[] = [{ type: 'send', message: request }];
  if (!options.reliable) effects.push({ type: 'start-timer', timer: 'E', delayMs: t1Ms });
  effects.push({ type: 'start-timer', timer: 'F', delayMs: 64 * t1Ms });
  return { state: { phase: 'trying', request, options, retransmitMs: t1Ms }, effects };
}

export function stepNonInviteClient(
  state: NonInviteClientState,
  input: ClientInput,
): Step<NonInviteClientState> {
  const { t2Ms, t4Ms } = timersOf(state.options);
  const same = { state, effects: [] };
  const end = (effects: TransactionEffect[]): Step<NonInviteClientState> => ({
    state: { ...state, phase: 'terminated' },
    effects: [...effects, { type: 'terminated' }],
  });
  switch (state.phase) {
    case 'trying':
    case 'proceeding': {
      if (input.type === 'timer') {
        if (input.timer === 'E') {
          const next = state.phase === 'trying' ? Math.min(2 * state.retransmitMs, t2Ms) : t2Ms;
          return {
            state: { ...state, retransmitMs: next },
            effects: [
              { type: 'send', message: state.request },
              { type: 'start-timer', timer: 'E', delayMs: next },
            ],
          };
        }
        if (input.timer === 'F')
          return end([
            { type: 'cancel-timer', timer: 'E' },
            { type: 'timeout', timer: 'F' },
          ]);
        return same;
      }
      if (input.type === 'transport-error') {
        return end([
          { type: 'cancel-timer', timer: 'E' },
          { type: 'cancel-timer', timer: 'F' },
          { type: 'timeout', timer: 'transport' },
        ]);
      }
      if (input.response.status < 200) {
        return {
          state: { ...state, phase: 'proceeding' },
          effects: [{ type: 'deliver', message: input.response }],
        };
      }
      return {
        state: { ...state, phase: 'completed' },
        effects: [
          { type: 'cancel-timer', timer: 'E' },
          { type: 'cancel-timer', timer: 'F' },
          { type: 'deliver', message: input.response },
          { type: 'start-timer', timer: 'K', delayMs: state.options.reliable ? 0 : t4Ms },
        ],
      };
    }
    case 'completed':
      if (input.type === 'timer' && input.timer === 'K') return end([]);
      return same;
    case 'terminated':
      return same;
  }
}
