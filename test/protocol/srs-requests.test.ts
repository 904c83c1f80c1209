/** What the recorder answers to requests other than a recording INVITE (RFC 3261 §8.2, RFC 4475 bext01). */
import { describe, expect, it } from 'vitest';
import { headerValue, type SipRequest, sipRequest } from '../../src/protocol/sip/sip-message.ts';
import { answerSrsRequest, checkRequire } from '../../src/protocol/siprec/srs-requests.ts';

const request = (
  method: string,
  extra: { name: string; value: string }[] = [],
  fromTag = 'src-4b1d',
): SipRequest =>
  sipRequest({
    method,
    uri: 'sip:srs@127.0.0.1:5060',
    headers: [
      { name: 'Via', value: 'SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-q' },
      { name: 'From', value: `<sip:webex-src@127.0.0.1>;tag=${fromTag}` },
      { name: 'To', value: '<sip:srs@127.0.0.1:5060>;tag=srs-9e2f' },
      { name: 'Call-ID', value: 'rec-7f3a9c01@127.0.0.1' },
      { name: 'CSeq', value: `5 ${method}` },
      ...extra,
    ],
  });

const context = {
  agent: 'callrec-srs',
  localTag: 'srs-new',
  knowsDialog: (callId: string, fromTag: string | undefined) =>
    callId === 'rec-7f3a9c01@127.0.0.1' && fromTag === 'src-4b1d',
};

describe('SRS answers outside the recording INVITE', () => {
  it.each([
    ['BYE in a known recording session', request('BYE'), 200],
    ['BYE for an unknown session', request('BYE', [], 'other'), 481],
    ['INFO in a known session', request('INFO'), 200],
    ['CANCEL that matched no transaction', request('CANCEL'), 481],
    ['OPTIONS', request('OPTIONS'), 200],
    ['REGISTER (a known method a recorder does not use)', request('REGISTER'), 405],
    ['an unknown method', request('NEWMETHOD'), 501],
    [
      'Require: an unknown extension (RFC 4475 bext01)',
      request('OPTIONS', [{ name: 'Require', value: 'nothingSupportsThis, siprec' }]),
      420,
    ],
  ])('%s → %i', (_what, req, status) => {
    expect(answerSrsRequest(req, context)?.status).toBe(status);
  });

  it('OPTIONS says what it allows and accepts; 405/501 carry Allow; 420 lists only what is unsupported', () => {
    const options = answerSrsRequest(request('OPTIONS'), context);
    expect(
      options && [
        headerValue(options, 'Allow'),
        headerValue(options, 'Accept'),
        headerValue(options, 'Supported'),
      ],
    ).toEqual([
      'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO',
      'application/sdp, multipart/mixed, application/rs-metadata+xml',
      'siprec',
    ]);
    const notAllowed = answerSrsRequest(request('SUBSCRIBE'), context);
    expect(notAllowed && headerValue(notAllowed, 'Allow')).toBe('INVITE, ACK, BYE, CANCEL, OPTIONS, INFO');
    const bad = checkRequire(
      request('INVITE', [{ name: 'Require', value: 'siprec, 100rel' }]),
      'callrec-srs',
    );
    expect(bad && [bad.status, headerValue(bad, 'Unsupported')]).toEqual([420, '100rel']);
    expect(
      checkRequire(request('INVITE', [{ name: 'Require', value: 'siprec' }]), 'callrec-srs'),
    ).toBeUndefined();
  });

  it('never answers an ACK', () => {
    expect(answerSrsRequest(request('ACK'), context)).toBeUndefined();
  });
});
