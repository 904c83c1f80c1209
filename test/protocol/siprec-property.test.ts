/**
 * Properties over generated recordings (pinned seed; fast-check prints seed and path to replay): whatever
 * the parties' names and addresses, the dub.point values, the codec order, the namespace, the part order
 * and the Contact form, the recorder decodes from the wire exactly what the platform put in, and answers
 * with the first codec of the user's order. And any interleaving of responses, retransmissions and timers
 * leaves no transaction timer running after 64·T1 plus its wait timer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSipDatagram } from '../../src/protocol/sip/parse-sip.ts';
import { serialiseSip } from '../../src/protocol/sip/serialise-sip.ts';
import type { SipRequest } from '../../src/protocol/sip/sip-message.ts';
import { buildResponse } from '../../src/protocol/sip/sip-responses.ts';
import { startInviteClient, stepInviteClient } from '../../src/protocol/sip/transaction/invite-client.ts';
import { startInviteServer, stepInviteServer } from '../../src/protocol/sip/transaction/invite-server.ts';
import { runTransaction } from '../../src/protocol/sip/transaction/transaction-runner.ts';
import { createRecordingInvite } from '../../src/protocol/siprec/src-session.ts';
import { answerRecordingInvite } from '../../src/protocol/siprec/srs-session.ts';
import { createVirtualClock } from '../../src/time/index.ts';
import { srcSpec, srsOptions } from './siprec-fixtures.ts';

const SEED = 20_260_302;
const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
  .filter((s) => s.trim() === s && s.length > 0);
const ident = fc.stringMatching(/^[A-Za-z0-9_.@+-]{1,30}$/);
const aor = fc.oneof(
  ident.map((u) => `sip:${u.replace(/@/g, '')}@example.com`),
  fc.stringMatching(/^\+[0-9]{6,14}$/).map((n) => `tel:${n}`),
);

describe('SIPREC properties (pinned seed)', () => {
  it('the recorder decodes exactly what the platform sent, for any parties, dub.point and options', () => {
    fc.assert(
      fc.property(
        fc.record({
          userAor: aor,
          remoteAor: aor,
          userName: fc.option(text, { nil: undefined }),
          remoteName: fc.option(text, { nil: undefined }),
          dubPoint: fc.record({ serviceProvider: ident, externalGroup: ident, externalIdentifier: ident }),
          codecs: fc.constantFrom(
            ['PCMU'] as const,
            ['PCMA'] as const,
            ['PCMU', 'PCMA'] as const,
            ['PCMA', 'PCMU'] as const,
          ),
          namespace: fc.constantFrom('siprec' as const, 'rfc7865' as const),
          partOrder: fc.constantFrom('sdp-first' as const, 'metadata-first' as const),
          contactForm: fc.constantFrom('feature-tag' as const, 'src-param' as const),
          callType: fc.constantFrom('origCall' as const, 'termCall' as const),
        }),
        (g) => {
          const spec = srcSpec({
            user: g.userName === undefined ? { aor: g.userAor } : { aor: g.userAor, name: g.userName },
            remote:
              g.remoteName === undefined ? { aor: g.remoteAor } : { aor: g.remoteAor, name: g.remoteName },
            dubPoint: g.dubPoint,
            codecs: [...g.codecs],
            metadataNamespace: g.namespace,
            partOrder: g.partOrder,
            contactForm: g.contactForm,
            broadWorks: { ...srcSpec().broadWorks, callType: g.callType },
          });
          const { request } = createRecordingInvite(spec, 'z9hG4bK-p');
          const parsed = parseSipDatagram(serialiseSip(request));
          if (!parsed.ok) throw new Error(parsed.fault.message);
          const d = answerRecordingInvite(parsed.message as SipRequest, srsOptions());
          if (!d.ok) throw new Error(d.fault.message);
          expect(d.offer.dubPoint).toEqual(g.dubPoint);
          expect(d.offer.metadata.namespace).toBe(g.namespace);
          expect(d.offer.metadata.broadWorks?.callType).toBe(g.callType);
          expect(d.offer.streams.map((s) => [s.role, s.participant?.aor, s.participant?.name])).toEqual([
            ['user', g.userAor, g.userName],
            ['remote', g.remoteAor, g.remoteName],
          ]);
          expect(d.offer.streams[0]?.codecs.map((c) => c.name)).toEqual(g.codecs);
          expect(d.answer.streams.map((s) => s.codec)).toEqual([g.codecs[0], g.codecs[0]]);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  const invite: SipRequest = createRecordingInvite(srcSpec(), 'z9hG4bK-t').request;
  const event = fc.record({
    afterMs: fc.integer({ min: 0, max: 40_000 }),
    what: fc.constantFrom('100', '200', '486', 'again', 'ack', 'transport-error'),
  });

  it('INVITE client and server transactions always end, leaving no timer, whatever arrives when', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), fc.boolean(), (events, reliable) => {
        const clock = createVirtualClock();
        const client = runTransaction(
          startInviteClient(invite, { reliable }),
          stepInviteClient,
          clock,
          () => {},
        );
        const server = runTransaction(
          startInviteServer(invite, { reliable }),
          stepInviteServer,
          clock,
          () => {},
        );
        for (const e of [...events].sort((a, b) => a.afterMs - b.afterMs)) {
          clock.advanceTo(Math.max(clock.nowMs(), e.afterMs));
          if (e.what === 'transport-error') {
            client.send({ type: 'transport-error' });
            server.send({ type: 'transport-error' });
          } else if (e.what === 'again') server.send({ type: 'request', request: invite });
          else if (e.what === 'ack') server.send({ type: 'request', request: { ...invite, method: 'ACK' } });
          else {
            const response = buildResponse(invite, Number(e.what), { toTag: 't' });
            client.send({ type: 'response', response });
            server.send({ type: 'respond', response });
          }
        }
        clock.advanceTo(clock.nowMs() + 64 * 500 + 32_000 + 1);
        // Only a provisional without a final answer (client) or an INVITE the TU never answered (server) is
        // left waiting: that wait is the TU's to end (the platform's recorder wait), and holds no timer.
        expect(client.terminated || client.state().phase === 'proceeding').toBe(true);
        expect(server.terminated || server.state().phase === 'proceeding').toBe(true);
        expect(clock.pendingCount()).toBe(0);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
