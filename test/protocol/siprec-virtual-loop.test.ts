/**
 * The platform (SRC) and the recorder (SRS) connected through an in-memory lossy datagram channel on the
 * virtual clock, using only the pure layers: builders, parser and serialiser on every hop, and the RFC
 * 3261 transactions. The channel drops the first INVITE and the first ACK, so the INVITE is resent at
 * Timer A (500 ms) and the 200 at the recorder's 2xx timer until an ACK gets through — the behaviour a
 * recorder that is briefly unreachable over UDP sees from Webex Calling's platform.
 */
import { describe, expect, it } from 'vitest';
import { parseSipDatagram } from '../../src/protocol/sip/parse-sip.ts';
import { serialiseSip } from '../../src/protocol/sip/serialise-sip.ts';
import {
  bodyText,
  headerValue,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../src/protocol/sip/sip-message.ts';
import { buildResponse } from '../../src/protocol/sip/sip-responses.ts';
import { startInviteClient, stepInviteClient } from '../../src/protocol/sip/transaction/invite-client.ts';
import { startInviteServer, stepInviteServer } from '../../src/protocol/sip/transaction/invite-server.ts';
import {
  startNonInviteClient,
  stepNonInviteClient,
} from '../../src/protocol/sip/transaction/non-invite-client.ts';
import {
  startNonInviteServer,
  stepNonInviteServer,
} from '../../src/protocol/sip/transaction/non-invite-server.ts';
import {
  runTransaction,
  type TransactionRunner,
} from '../../src/protocol/sip/transaction/transaction-runner.ts';
import {
  type ClientInput,
  type ServerInput,
  type TransactionEffect,
  transactionKey,
} from '../../src/protocol/sip/transaction/transaction-types.ts';
import {
  acceptRecordingAnswer,
  buildRecordingAck,
  buildRecordingBye,
  createRecordingInvite,
  type SrcDialog,
} from '../../src/protocol/siprec/src-session.ts';
import { answerRecordingInvite } from '../../src/protocol/siprec/srs-session.ts';
import { createVirtualClock } from '../../src/time/index.ts';
import { srcSpec, srsOptions } from './siprec-fixtures.ts';

const ONE_WAY_MS = 10;
const UDP = { reliable: false } as const;

const label = (m: SipMessage) => (m.kind === 'request' ? m.method : `${m.status}`);

describe('SRC ↔ SRS over a lossy in-memory datagram channel, on the virtual clock', () => {
  it('recovers a lost INVITE (Timer A) and a lost ACK (200 resent until the ACK), then ends with BYE', () => {
    const clock = createVirtualClock();
    const wire: string[] = [];
    const dropped = new Set(['INVITE#1', 'ACK#1']);
    const sentCount = new Map<string, number>();

    const deliverTo = { src: (_m: SipMessage) => {}, srs: (_m: SipMessage) => {} };
    const send = (to: 'src' | 'srs', message: SipMessage) => {
      const name = label(message);
      const n = (sentCount.get(name) ?? 0) + 1;
      sentCount.set(name, n);
      const lost = to === 'srs' && dropped.has(`${name}#${n}`);
      wire.push(`${clock.nowMs()} ${to === 'srs' ? '→' : '←'} ${name}${lost ? ' (lost)' : ''}`);
      if (lost) return;
      const bytes = serialiseSip(message);
      clock.setTimeout(() => {
        const parsed = parseSipDatagram(bytes);
        if (!parsed.ok) throw new Error(parsed.fault.message);
        deliverTo[to](parsed.message);
      }, ONE_WAY_MS);
    };

    // The recorder: one server transaction per INVITE / BYE; ACKs for a 2xx go to the INVITE's by CSeq.
    const srsTransactions = new Map<string, TransactionRunner<unknown, ServerInput>>();
    let recorded: string | undefined;
    let srsFinalised = false;
    deliverTo.srs = (m) => {
      if (m.kind !== 'request') return;
      if (m.method === 'ACK') {
        for (const tx of srsTransactions.values()) tx.send({ type: 'request', request: m });
        return;
      }
      const key = transactionKey(m) ?? '';
      const existing = srsTransactions.get(key);
      if (existing !== undefined) {
        existing.send({ type: 'request', request: m });
        return;
      }
      const onEffect = (effect: TransactionEffect, tx: TransactionRunner<unknown, ServerInput>) => {
        if (effect.type === 'send') send('src', effect.message);
        if (effect.type !== 'deliver' || effect.message.kind !== 'request') return;
        const request = effect.message;
        if (request.method === 'INVITE') {
          const decision = answerRecordingInvite(request, srsOptions());
          recorded = decision.ok ? decision.offer.dubPoint?.externalIdentifier : decision.fault.message;
          tx.send({ type: 'respond', response: decision.response });
        } else if (request.method === 'BYE') {
          srsFinalised = true;
          tx.send({ type: 'respond', response: buildResponse(request, 200) });
        }
      };
      srsTransactions.set(
        key,
        m.method === 'INVITE'
          ? (runTransaction(
              startInviteServer(m, UDP),
              stepInviteServer,
              clock,
              onEffect,
            ) as TransactionRunner<unknown, ServerInput>)
          : (runTransaction(
              startNonInviteServer(m, UDP),
              stepNonInviteServer,
              clock,
              onEffect,
            ) as TransactionRunner<unknown, ServerInput>),
      );
    };

    // The platform: the INVITE client transaction; the TU ACKs every 2xx it is given.
    let dialog: SrcDialog | undefined;
    const srcTransactions = new Map<string, TransactionRunner<unknown, ClientInput>>();
    deliverTo.src = (m) => {
      if (m.kind === 'response')
        srcTransactions.get(transactionKey(m) ?? '')?.send({ type: 'response', response: m });
    };
    const start = createRecordingInvite(srcSpec(), 'z9hG4bK-loop-1');
    dialog = start.dialog;
    let acks = 0;
    const inviteTx = runTransaction(
      startInviteClient(start.request, UDP),
      stepInviteClient,
      clock,
      (effect) => {
        if (effect.type === 'send') send('srs', effect.message);
        if (
          effect.type === 'deliver' &&
          effect.message.kind === 'response' &&
          effect.message.status === 200
        ) {
          const response = effect.message as SipResponse;
          const accepted = acceptRecordingAnswer(dialog as SrcDialog, response, bodyText(response));
          if (!accepted.ok) throw new Error(accepted.fault.message);
          dialog = accepted.value.dialog;
          acks++;
          send('srs', buildRecordingAck(dialog, `z9hG4bK-loop-ack-${acks}`));
        }
      },
    );
    srcTransactions.set(
      transactionKey(start.request) ?? '',
      inviteTx as TransactionRunner<unknown, ClientInput>,
    );

    clock.advanceTo(2_000);
    const bye = buildRecordingBye(dialog, 'z9hG4bK-loop-bye');
    let byeAnswered: number | undefined;
    const byeTx = runTransaction(
      startNonInviteClient(bye.request, UDP),
      stepNonInviteClient,
      clock,
      (effect) => {
        if (effect.type === 'send') send('srs', effect.message);
        if (effect.type === 'deliver' && effect.message.kind === 'response') byeAnswered = clock.nowMs();
      },
    );
    srcTransactions.set(
      transactionKey(bye.request as SipRequest) ?? '',
      byeTx as TransactionRunner<unknown, ClientInput>,
    );
    clock.advanceTo(60_000);

    expect(wire).toEqual([
      '0 → INVITE (lost)',
      '500 → INVITE',
      '510 ← 200',
      '520 → ACK (lost)',
      '1010 ← 200',
      '1020 → ACK',
      '2000 → BYE',
      '2010 ← 200',
    ]);
    expect(recorded).toBe('alice.novak@acme.example');
    expect(srsFinalised).toBe(true);
    expect(byeAnswered).toBe(2_020);
    expect(headerValue(bye.request, 'CSeq')).toBe('2 BYE');
    expect([
      inviteTx.terminated,
      byeTx.terminated,
      [...srsTransactions.values()].every((t) => t.terminated),
    ]).toEqual([true, true, true]);
    expect(clock.pendingCount()).toBe(0);
  });
});
