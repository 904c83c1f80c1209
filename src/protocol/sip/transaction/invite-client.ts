/**
 * The INVITE client transaction (RFC 3261 §17.1.1, with RFC 6026's Accepted state). Over UDP the INVITE is
 * sent again at Timer A (T1, doubling) until any response arrives, and given up at Timer B (64·T1 = 32 s):
 * a timeout for the TU. A 2xx goes to the TU (which ACKs it itself) and retransmitted 2xx keep going to it
 * until Timer M; a final response above 299 is ACKed here, again for each retransmission, until Timer D.
 * After a provisional response the transaction waits for the final one without a timer of its own (Timer
 * B applies to Calling only): ending that wait is the TU's — the platform's recorder wait, then CANCEL.
 */

import type { SipRequest } from '../sip-message.ts';
import { buildAckForFailure } from '../sip-responses.ts';
import {
  type ClientInput,
  type Step,
  type TransactionEffect,
  type TransactionOptions,
  timersOf,
} from './transaction-types.ts';

export type InviteClientPhase = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';

export interface InviteClientState {
  readonly phase: InviteClientPhase;
  readonly request: SipRequest;
  readonly options: TransactionOptions;
  /** The next Timer A interval. */
  readonly retransmitMs: number;
  readonly ack?: SipRequest;
}

export function startInviteClient(request: SipRequest, options: TransactionOptions): Step<InviteClientState> {
  const { t1Ms } = timersOf(options);
  const effects: TransactionEffect[] = [{ type: 'send', message: request }];
  if (!options.reliable) effects.push({ type: 'start-timer', timer: 'A', delayMs: t1Ms });
  effects.push({ type: 'start-timer', timer: 'B', delayMs: 64 * t1Ms });
  return { state: { phase: 'calling', request, options, retransmitMs: 2 * t1Ms }, effects };
}

const STOP_AB: TransactionEffect[] = [
  { type: 'cancel-timer', timer: 'A' },
  { type: 'cancel-timer', timer: 'B' },
];

export function stepInviteClient(state: InviteClientState, input: ClientInput): Step<InviteClientState> {
  const { t1Ms } = timersOf(state.options);
  const same = { state, effects: [] };
  const end = (effects: TransactionEffect[]): Step<InviteClientState> => ({
    state: { ...state, phase: 'terminated' },
    effects: [...effects, { type: 'terminated' }],
  });
  switch (state.phase) {
    case 'calling':
    case 'proceeding': {
      if (input.type === 'timer') {
        if (input.timer === 'A' && state.phase === 'calling') {
          return {
            state: { ...state, retransmitMs: 2 * state.retransmitMs },
            effects: [
              { type: 'send', message: state.request },
              { type: 'start-timer', timer: 'A', delayMs: state.retransmitMs },
            ],
          };
        }
        if (input.timer === 'B' && state.phase === 'calling') return end([{ type: 'timeout', timer: 'B' }]);
        return same;
      }
      if (input.type === 'transport-error') return end([...STOP_AB, { type: 'timeout', timer: 'transport' }]);
      const { status } = input.response;
      if (status < 200) {
        return {
          state: { ...state, phase: 'proceeding' },
          effects: [
            ...(state.phase === 'calling' ? STOP_AB : []),
            { type: 'deliver', message: input.response },
          ],
        };
      }
      if (status < 300) {
        return {
          state: { ...state, phase: 'accepted' },
          effects: [
            ...(state.phase === 'calling' ? STOP_AB : []),
            { type: 'deliver', message: input.response },
            { type: 'start-timer', timer: 'M', delayMs: 64 * t1Ms },
          ],
        };
      }
      const ack = buildAckForFailure(state.request, input.response);
      return {
        state: { ...state, phase: 'completed', ack },
        effects: [
          ...(state.phase === 'calling' ? STOP_AB : []),
          { type: 'send', message: ack },
          { type: 'deliver', message: input.response },
          { type: 'start-timer', timer: 'D', delayMs: state.options.reliable ? 0 : 32_000 },
        ],
      };
    }
    case 'accepted':
      if (input.type === 'response' && input.response.status >= 200 && input.response.status < 300) {
        return { state, effects: [{ type: 'deliver', message: input.response }] };
      }
      if (input.type === 'timer' && input.timer === 'M') return end([]);
      return same;
    case 'completed':
      if (input.type === 'response' && input.response.status >= 300 && state.ack !== undefined) {
        return { state, effects: [{ type: 'send', message: state.ack }] };
      }
      if (input.type === 'timer' && input.timer === 'D') return end([]);
      if (input.type === 'transport-error') return end([{ type: 'cancel-timer', timer: 'D' }]);
      return same;
    case 'terminated':
      return same;
  }
}
