/**
 * The recorder's live server transactions (RFC 3261 §17.2), keyed as §17.2.3 says (top Via branch and
 * sent-by, method): a retransmitted request finds its transaction and gets the last answer again, a
 * non-2xx ACK finds its INVITE's. Each runs on the clock (`runTransaction`); a transaction leaves the table
 * when it terminates.
 */
import type { SipRequest, SipResponse } from '../../protocol/sip/sip-message.ts';
import { startInviteServer, stepInviteServer } from '../../protocol/sip/transaction/invite-server.ts';
import {
  startNonInviteServer,
  stepNonInviteServer,
} from '../../protocol/sip/transaction/non-invite-server.ts';
import { runTransaction, type TransactionRunner } from '../../protocol/sip/transaction/transaction-runner.ts';
import {
  type ServerInput,
  type SipTimerValues,
  type TransactionEffect,
  transactionKey,
} from '../../protocol/sip/transaction/transaction-types.ts';
import type { TimerClock } from '../../time/clock.ts';
import { fromTagOf } from './sip-answers.ts';
import type { SipPeer } from './siprec-transport.ts';

export type ServerTransaction = TransactionRunner<unknown, ServerInput>;

export interface ServerTransactions {
  keyOf(request: SipRequest): string;
  get(key: string): ServerTransaction | undefined;
  /** Starts one; `onRequest` gets it once with the request, `onTimeout` Timer H (a final answer never ACKed). */
  start(
    request: SipRequest,
    peer: SipPeer,
    onRequest: (tx: ServerTransaction) => void,
    onTimeout?: () => void,
  ): void;
  /** Forgets every transaction and cancels their timers (the listener is closing). */
  stopAll(): void;
}

export function createServerTransactions(options: {
  readonly clock: TimerClock;
  readonly timers?: SipTimerValues;
  readonly send: (peer: SipPeer, message: SipRequest | SipResponse) => void;
}): ServerTransactions {
  const live = new Map<string, ServerTransaction>();
  // The transactions' timers, tracked so closing the listener leaves none behind.
  const timers = new Set<unknown>();
  const clock: TimerClock = {
    setTimeout(fn, timeoutMs) {
      const id = options.clock.setTimeout(() => {
        timers.delete(id);
        fn();
      }, timeoutMs);
      timers.add(id);
      return id;
    },
    clearTimeout(id) {
      timers.delete(id);
      options.clock.clearTimeout(id);
    },
  };
  const keyOf = (request: SipRequest): string =>
    transactionKey(request) ??
    // RFC 2543 senders have no branch: the Call-ID, CSeq and From tag name the transaction.
    `nobranch|${request.headers.find((h) => h.name === 'Call-ID')?.value}|${request.headers.find((h) => h.name === 'CSeq')?.value}|${fromTagOf(request)}`;
  return {
    keyOf,
    get: (key) => live.get(key),
    start(request, peer, onRequest, onTimeout) {
      const key = keyOf(request);
      const txOptions = {
        reliable: peer.transport === 'tcp',
        ...(options.timers === undefined ? {} : { timers: options.timers }),
      };
      const onEffect = (effect: TransactionEffect, tx: ServerTransaction) => {
        if (effect.type === 'send') options.send(peer, effect.message);
        else if (effect.type === 'deliver' && effect.message.kind === 'request') {
          if (effect.message.method !== 'ACK') onRequest(tx);
        } else if (effect.type === 'timeout') onTimeout?.();
        else if (effect.type === 'terminated' && live.get(key) === tx) live.delete(key);
      };
      const runner =
        request.method === 'INVITE'
          ? runTransaction(startInviteServer(request, txOptions), stepInviteServer, clock, onEffect)
          : runTransaction(startNonInviteServer(request, txOptions), stepNonInviteServer, clock, onEffect);
      if (!runner.terminated) live.set(key, runner as ServerTransaction);
    },
    stopAll() {
      for (const id of timers) options.clock.clearTimeout(id);
      timers.clear();
      live.clear();
    },
  };
}
