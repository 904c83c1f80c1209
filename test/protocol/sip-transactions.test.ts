/**
 * The four RFC 3261 transactions on the project's virtual clock: when each message is (re)sent, when the
 * TU hears of a timeout, and when the transaction ends, over UDP and TCP. The times are RFC 3261's:
 * Timer A doubles from T1 = 500 ms without cap, Timer E and G double up to T2 = 4 s, B/F/H are 64·T1 = 32 s.
 */
import { describe, expect, it } from 'vitest';
import { headerValue, type SipRequest, sipRequest } from '../../src/protocol/sip/sip-message.ts';
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
import { runTransaction } from '../../src/protocol/sip/transaction/transaction-runner.ts';
import {
  type TransactionEffect,
  transactionKey,
} from '../../src/protocol/sip/transaction/transaction-types.ts';
import { createVirtualClock } from '../../src/time/index.ts';

function request(method: string, branch = 'z9hG4bKtx1'): SipRequest {
  return sipRequest({
    method,
    uri: 'sip:srs@127.0.0.1:5060',
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP 127.0.0.1:5070;branch=${branch}` },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: '<sip:src@127.0.0.1>;tag=src1' },
      { name: 'To', value: '<sip:srs@127.0.0.1>' },
      { name: 'Call-ID', value: 'tx@127.0.0.1' },
      { name: 'CSeq', value: `1 ${method}` },
    ],
  });
}

/** Records every effect with the virtual time it happened at. */
function recorder() {
  const clock = createVirtualClock();
  const log: { atMs: number; effect: TransactionEffect }[] = [];
  const onEffect = (effect: TransactionEffect) => log.push({ atMs: clock.nowMs(), effect });
  const times = (type: TransactionEffect['type'], method?: string) =>
    log
      .filter(
        (e) =>
          e.effect.type === type &&
          (method === undefined ||
            ('message' in e.effect &&
              (e.effect.message.kind === 'request'
                ? e.effect.message.method
                : String(e.effect.message.status)) === method)),
      )
      .map((e) => e.atMs);
  return { clock, log, onEffect, times };
}

const UDP = { reliable: false } as const;
const TCP = { reliable: true } as const;

describe('INVITE client transaction (Timer A, B, D, M)', () => {
  it('over UDP without an answer: sends at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, times out at 32 s (Timer B)', () => {
    const r = recorder();
    const invite = request('INVITE');
    const tx = runTransaction(startInviteClient(invite, UDP), stepInviteClient, r.clock, r.onEffect);
    r.clock.advanceTo(60_000);
    expect(r.times('send')).toEqual([0, 500, 1_500, 3_500, 7_500, 15_500, 31_500]);
    expect(r.log.filter((e) => e.effect.type === 'timeout')).toEqual([
      { atMs: 32_000, effect: { type: 'timeout', timer: 'B' } },
    ]);
    expect(tx.terminated).toBe(true);
    expect(r.clock.pendingCount()).toBe(0);
  });

  it('over TCP: sent once, still times out at 32 s', () => {
    const r = recorder();
    runTransaction(startInviteClient(request('INVITE'), TCP), stepInviteClient, r.clock, r.onEffect);
    r.clock.advanceTo(60_000);
    expect(r.times('send')).toEqual([0]);
    expect(r.times('timeout')).toEqual([32_000]);
  });

  it('a 100 Trying stops retransmission and the timeout; the 200 goes to the TU, retransmitted 200s too, until Timer M', () => {
    const r = recorder();
    const invite = request('INVITE');
    const tx = runTransaction(startInviteClient(invite, UDP), stepInviteClient, r.clock, r.onEffect);
    r.clock.advanceTo(700);
    tx.send({ type: 'response', response: buildResponse(invite, 100) });
    r.clock.advanceTo(5_000);
    tx.send({ type: 'response', response: buildResponse(invite, 200, { toTag: 'srs1' }) });
    r.clock.advanceTo(5_500);
    tx.send({ type: 'response', response: buildResponse(invite, 200, { toTag: 'srs1' }) });
    expect(r.times('send')).toEqual([0, 500]);
    expect(r.times('deliver')).toEqual([700, 5_000, 5_500]);
    expect(tx.state().phase).toBe('accepted');
    r.clock.advanceTo(5_000 + 32_000);
    expect(tx.terminated).toBe(true);
    expect(r.times('timeout')).toEqual([]);
  });

  it('a 486 is ACKed here with the response To tag, again for each retransmission, and ends after Timer D (32 s UDP, 0 TCP)', () => {
    for (const [options, endMs] of [
      [UDP, 1_000 + 32_000],
      [TCP, 1_000],
    ] as const) {
      const r = recorder();
      const invite = request('INVITE');
      const tx = runTransaction(startInviteClient(invite, options), stepInviteClient, r.clock, r.onEffect);
      r.clock.advanceTo(1_000);
      const busy = buildResponse(invite, 486, { toTag: 'srs9' });
      tx.send({ type: 'response', response: busy });
      if (!options.reliable) tx.send({ type: 'response', response: busy });
      const acks = r.log.flatMap((e) =>
        e.effect.type === 'send' && e.effect.message.kind === 'request' && e.effect.message.method === 'ACK'
          ? [e.effect.message]
          : [],
      );
      expect(acks).toHaveLength(options.reliable ? 1 : 2);
      expect(headerValue(acks[0] as SipRequest, 'To')).toBe('<sip:srs@127.0.0.1>;tag=srs9');
      expect(headerValue(acks[0] as SipRequest, 'CSeq')).toBe('1 ACK');
      expect(headerValue(acks[0] as SipRequest, 'Via')).toBe(headerValue(invite, 'Via'));
      if (!options.reliable) {
        r.clock.advanceTo(endMs - 1);
        expect(tx.terminated).toBe(false);
      }
      r.clock.advanceTo(endMs);
      expect(tx.terminated).toBe(true);
    }
  });

  it('a transport error is a timeout for the TU', () => {
    const r = recorder();
    const tx = runTransaction(
      startInviteClient(request('INVITE'), UDP),
      stepInviteClient,
      r.clock,
      r.onEffect,
    );
    tx.send({ type: 'transport-error' });
    expect(r.log.map((e) => e.effect.type)).toEqual(['send', 'timeout', 'terminated']);
    expect(r.clock.pendingCount()).toBe(0);
  });
});

describe('non-INVITE client transaction (Timer E, F, K)', () => {
  it('over UDP without an answer: E doubles up to T2 = 4 s, F times out at 32 s', () => {
    const r = recorder();
    runTransaction(startNonInviteClient(request('BYE'), UDP), stepNonInviteClient, r.clock, r.onEffect);
    r.clock.advanceTo(60_000);
    expect(r.times('send')).toEqual([
      0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500,
    ]);
    expect(r.times('timeout')).toEqual([32_000]);
  });

  it('after a provisional, retransmits every T2; a final response ends it after Timer K (T4 = 5 s)', () => {
    const r = recorder();
    const bye = request('BYE');
    const tx = runTransaction(startNonInviteClient(bye, UDP), stepNonInviteClient, r.clock, r.onEffect);
    r.clock.advanceTo(600);
    tx.send({ type: 'response', response: buildResponse(bye, 100) });
    r.clock.advanceTo(10_000);
    tx.send({ type: 'response', response: buildResponse(bye, 200) });
    tx.send({ type: 'response', response: buildResponse(bye, 200) });
    expect(r.times('send')).toEqual([0, 500, 1_500, 5_500, 9_500]);
    expect(r.times('deliver')).toEqual([600, 10_000]);
    r.clock.advanceTo(14_999);
    expect(tx.terminated).toBe(false);
    r.clock.advanceTo(15_000);
    expect(tx.terminated).toBe(true);
    expect(r.times('timeout')).toEqual([]);
  });
});

describe('INVITE server transaction (2xx until ACK, Timer G, H, I)', () => {
  it('retransmits the 200 at 0.5, 1.5 s… until the ACK at 2 s, and delivers the ACK to the TU', () => {
    const r = recorder();
    const invite = request('INVITE');
    const tx = runTransaction(startInviteServer(invite, UDP), stepInviteServer, r.clock, r.onEffect);
    tx.send({ type: 'respond', response: buildResponse(invite, 100) });
    tx.send({ type: 'request', request: invite });
    tx.send({ type: 'respond', response: buildResponse(invite, 200, { toTag: 'srs1' }) });
    r.clock.advanceTo(2_000);
    tx.send({ type: 'request', request: request('ACK', 'z9hG4bKack') });
    r.clock.advanceTo(60_000);
    expect(r.times('send', '100')).toEqual([0, 0]);
    expect(r.times('send', '200')).toEqual([0, 500, 1_500]);
    expect(r.times('deliver', 'ACK')).toEqual([2_000]);
    expect(r.times('timeout')).toEqual([]);
    expect(tx.terminated).toBe(true);
  });

  it('without an ACK: the 200 is resent with intervals capped at T2 (also over TCP), and the TU hears at 32 s', () => {
    for (const options of [UDP, TCP]) {
      const r = recorder();
      const invite = request('INVITE');
      const tx = runTransaction(startInviteServer(invite, options), stepInviteServer, r.clock, r.onEffect);
      tx.send({ type: 'respond', response: buildResponse(invite, 200, { toTag: 'srs1' }) });
      r.clock.advanceTo(60_000);
      expect(r.times('send', '200')).toEqual([
        0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500,
      ]);
      expect(r.log.filter((e) => e.effect.type === 'timeout').map((e) => [e.atMs, e.effect])).toEqual([
        [32_000, { type: 'timeout', timer: 'H' }],
      ]);
      expect(tx.terminated).toBe(true);
    }
  });

  it('a 488 is retransmitted at Timer G until the ACK, answered again on a retransmitted INVITE, and ends T4 after the ACK', () => {
    const r = recorder();
    const invite = request('INVITE');
    const tx = runTransaction(startInviteServer(invite, UDP), stepInviteServer, r.clock, r.onEffect);
    tx.send({ type: 'respond', response: buildResponse(invite, 488, { toTag: 'srs1' }) });
    r.clock.advanceTo(1_000);
    tx.send({ type: 'request', request: invite });
    r.clock.advanceTo(2_000);
    tx.send({ type: 'request', request: request('ACK') });
    expect(tx.state().phase).toBe('confirmed');
    expect(r.times('send', '488')).toEqual([0, 500, 1_000, 1_500]);
    expect(r.times('deliver', 'ACK')).toEqual([]);
    r.clock.advanceTo(6_999);
    expect(tx.terminated).toBe(false);
    r.clock.advanceTo(7_000);
    expect(tx.terminated).toBe(true);
  });
});

describe('non-INVITE server transaction (Timer J)', () => {
  it('absorbs retransmissions before the answer, repeats the final answer after it, ends at 64·T1 (UDP) or at once (TCP)', () => {
    for (const [options, endMs] of [
      [UDP, 1_000 + 32_000],
      [TCP, 1_000],
    ] as const) {
      const r = recorder();
      const bye = request('BYE');
      const tx = runTransaction(startNonInviteServer(bye, options), stepNonInviteServer, r.clock, r.onEffect);
      tx.send({ type: 'request', request: bye });
      r.clock.advanceTo(1_000);
      tx.send({ type: 'respond', response: buildResponse(bye, 200) });
      tx.send({ type: 'request', request: bye });
      expect(r.times('deliver', 'BYE')).toEqual([0]);
      expect(r.times('send', '200')).toEqual([1_000, 1_000]);
      r.clock.advanceTo(endMs);
      expect(tx.terminated).toBe(true);
    }
  });
});

describe('transaction matching', () => {
  it('matches a response to its request by branch, sent-by and CSeq method, and a non-2xx ACK to its INVITE', () => {
    const invite = request('INVITE', 'z9hG4bKm1');
    expect(transactionKey(buildResponse(invite, 180))).toBe(transactionKey(invite));
    expect(transactionKey(request('ACK', 'z9hG4bKm1'))).toBe(transactionKey(invite));
    expect(transactionKey(request('BYE', 'z9hG4bKm1'))).not.toBe(transactionKey(invite));
    expect(transactionKey(request('INVITE', 'z9hG4bKm2'))).not.toBe(transactionKey(invite));
  });
});
