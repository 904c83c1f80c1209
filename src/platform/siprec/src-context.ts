/**
 * What a recording session needs from the core that hosts it: the clock, the transaction options, a way to
 * send a message (serialised, reported as an event), and the table that routes a response to its client
 * transaction (RFC 3261 §17.1.3, by `transactionKey`). Running a client transaction here ties the two:
 * its `send` effects go out, its responses come back, and it leaves the table when it terminates.
 */
import type { SipMessage, SipRequest, SipResponse } from '../../protocol/sip/sip-message.ts';
import { startInviteClient, stepInviteClient } from '../../protocol/sip/transaction/invite-client.ts';
import {
  startNonInviteClient,
  stepNonInviteClient,
} from '../../protocol/sip/transaction/non-invite-client.ts';
import { runTransaction } from '../../protocol/sip/transaction/transaction-runner.ts';
import {
  type ClientInput,
  type TransactionEffect,
  type TransactionOptions,
  transactionKey,
} from '../../protocol/sip/transaction/transaction-types.ts';
import type { SimClock } from '../../time/index.ts';
import type { SrcEvent } from './src-types.ts';

export interface SrcContext {
  readonly clock: SimClock;
  readonly options: TransactionOptions;
  send(message: SipMessage): void;
  emit(event: SrcEvent): void;
  /** Running client transactions by key: a response for one, or the transport failing under it. */
  readonly transactions: Map<string, { response(response: SipResponse): void; fail(): void }>;
}

export interface ClientTransaction {
  /** Ends it at once (the platform gave up): no more retransmissions, its timers cancelled. */
  abandon(): void;
  /** How many times the request was sent (1 + retransmissions). */
  readonly sends: number;
}

/**
 * Runs the INVITE or non-INVITE client transaction of `request`. `onEffect` hears `deliver` (responses),
 * `timeout` and `terminated`; `send` effects are sent here and counted.
 */
export function runClientTransaction(
  context: SrcContext,
  request: SipRequest,
  onEffect: (effect: TransactionEffect) => void,
): ClientTransaction {
  const key = transactionKey(request) ?? '';
  let sends = 0;
  let abandoned = false;
  const handle = (effect: TransactionEffect) => {
    if (effect.type === 'send') {
      if (effect.message.kind === 'request' && effect.message.method === request.method) sends++;
      context.send(effect.message);
      return;
    }
    if (effect.type === 'terminated') context.transactions.delete(key);
    if (!abandoned || effect.type === 'terminated') onEffect(effect);
  };
  const runner =
    request.method === 'INVITE'
      ? runTransaction(startInviteClient(request, context.options), stepInviteClient, context.clock, handle)
      : runTransaction(
          startNonInviteClient(request, context.options),
          stepNonInviteClient,
          context.clock,
          handle,
        );
  if (!runner.terminated) {
    context.transactions.set(key, {
      response: (response) => runner.send({ type: 'response', response } as ClientInput),
      fail: () => runner.send({ type: 'transport-error' }),
    });
  }
  return {
    abandon() {
      abandoned = true;
      // The reducers end Calling/Trying on a transport failure: no more sends, every timer cancelled.
      runner.send({ type: 'transport-error' });
      context.transactions.delete(key);
    },
    get sends() {
      return sends;
    },
  };
}
