/**
 * An SRC in the same process as the sink, in virtual time, with no sockets: `server.createSiprecAdapter`
 * binds an adapter to the sink's ingest, store and clock, the transport hands SIP and RTP straight across,
 * and the recording is the sink's like any other (what `callrec run` needs to replay over SIPREC).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSinkServer, type SinkServer } from '../../../src/dubber/server.ts';
import type { RtpSource } from '../../../src/dubber/siprec/siprec-transport.ts';
import { parseSipDatagram } from '../../../src/protocol/sip/parse-sip.ts';
import { serialiseSip } from '../../../src/protocol/sip/serialise-sip.ts';
import { bodyText, type SipResponse } from '../../../src/protocol/sip/sip-message.ts';
import { parseRecordingSdp } from '../../../src/protocol/siprec/recording-sdp.ts';
import {
  acceptRecordingAnswer,
  buildRecordingAck,
  buildRecordingBye,
  createRecordingInvite,
} from '../../../src/protocol/siprec/src-session.ts';
import { createVirtualClock } from '../../../src/time/virtual-clock.ts';
import { PLATFORM_KEY, provisionWorld, rtpStream } from '../../harness/helpers.ts';
import { aliceSpec, SRC_PEER } from './srs-harness.ts';

let server: SinkServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('server.createSiprecAdapter: SIPREC into the sink without sockets', () => {
  it('records a session sent through an in-memory transport on the virtual clock', async () => {
    const clock = createVirtualClock();
    server = await createSinkServer({ port: 0, clock, keys: [PLATFORM_KEY], scheduleSweep: false });
    provisionWorld(server.provisioning);
    const answers: SipResponse[] = [];
    const ports = new Map<number, (d: Uint8Array, from: RtpSource) => void>();
    let next = 40_100;
    const adapter = server.createSiprecAdapter({
      local: { host: '127.0.0.1', port: 5060 },
      mediaAddress: '127.0.0.1',
      transport: {
        sendSip: (_peer, bytes) => {
          const parsed = parseSipDatagram(bytes);
          if (parsed.ok && parsed.message.kind === 'response') answers.push(parsed.message);
        },
        openRtpPort: async (onDatagram) => {
          next += 2;
          const port = next;
          ports.set(port, onDatagram);
          return { port, close: () => void ports.delete(port) };
        },
      },
    });
    const { request, dialog } = createRecordingInvite(aliceSpec({ callId: 'virtual-1' }), 'z9hG4bK-v1');
    adapter.receiveDatagram(serialiseSip(request), SRC_PEER);
    await adapter.settled();
    const ok = answers.at(-1) as SipResponse;
    expect(ok.status).toBe(200);
    const accepted = acceptRecordingAnswer(dialog, ok, bodyText(ok));
    if (!accepted.ok) throw new Error(accepted.fault.message);
    adapter.receiveDatagram(serialiseSip(buildRecordingAck(accepted.value.dialog, 'z9hG4bK-v2')), SRC_PEER);
    const sdp = parseRecordingSdp(bodyText(ok));
    const [userPort, remotePort] = sdp.ok ? sdp.value.streams.map((s) => s.port) : [];
    const from = { address: '127.0.0.1', port: 40_000 };
    const user = rtpStream(0x77, 250);
    const remote = rtpStream(0x88, 250);
    for (let i = 0; i < 250; i++) {
      ports.get(userPort as number)?.(user[i] as Uint8Array, from);
      ports.get(remotePort as number)?.(remote[i] as Uint8Array, from);
      clock.advanceBy(20);
    }
    adapter.receiveDatagram(
      serialiseSip(buildRecordingBye(accepted.value.dialog, 'z9hG4bK-v3').request),
      SRC_PEER,
    );
    for (let i = 0; i < 5 && answers.at(-1)?.headers.find((h) => h.name === 'CSeq')?.value !== '2 BYE'; i++) {
      await turn();
    }
    expect(answers.at(-1)?.status).toBe(200);
    const token = server.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    const [rec] = server.portal.list(token);
    const meta = server.portal.get(token, rec?.recordingId ?? '');
    expect([meta.state, meta.durationMs]).toEqual(['closed', 5000]);
    expect(meta.streams.map((s) => [s.packets, s.receive?.[0]?.packets])).toEqual([
      [250, 250],
      [250, 250],
    ]);
    adapter.close();
  });
});
