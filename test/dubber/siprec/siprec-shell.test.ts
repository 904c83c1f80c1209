/**
 * The SIPREC listener on real loopback sockets: `createSinkServer({ siprec })` answers a recording INVITE
 * over UDP and over TCP (Content-Length framing), receives RTP on the ports its 200 names, and the
 * recording is in the same store and portal as ws recordings.
 */
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSinkServer, type SinkServer } from '../../../src/dubber/server.ts';
import { createSipStreamReader, parseSipDatagram } from '../../../src/protocol/sip/parse-sip.ts';
import { serialiseSip } from '../../../src/protocol/sip/serialise-sip.ts';
import { bodyText, type SipMessage, type SipResponse } from '../../../src/protocol/sip/sip-message.ts';
import { parseRecordingSdp } from '../../../src/protocol/siprec/recording-sdp.ts';
import {
  acceptRecordingAnswer,
  buildRecordingAck,
  buildRecordingBye,
  createRecordingInvite,
} from '../../../src/protocol/siprec/src-session.ts';
import { createRealClock } from '../../../src/time/index.ts';
import { PLATFORM_KEY, provisionWorld, rtpStream } from '../../harness/helpers.ts';
import { aliceSpec } from './srs-harness.ts';

let server: SinkServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await server?.close();
  server = undefined;
});

async function start(): Promise<SinkServer> {
  server = await createSinkServer({
    port: 0,
    clock: createRealClock(),
    keys: [PLATFORM_KEY],
    siprec: { port: 0 },
  });
  provisionWorld(server.provisioning);
  return server;
}

/** A UDP SIP client on loopback: sends messages, collects responses. */
async function udpClient(port: number) {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const received: SipResponse[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (bytes) => {
    const parsed = parseSipDatagram(bytes);
    if (parsed.ok && parsed.message.kind === 'response') received.push(parsed.message);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = socket.address().port;
  return {
    local,
    send: (m: SipMessage) => socket.send(serialiseSip(m), port, '127.0.0.1'),
    async finalResponse(index: number): Promise<SipResponse> {
      for (let i = 0; i < 200; i++) {
        const finals = received.filter((r) => r.status >= 200);
        if (finals.length > index) return finals[index] as SipResponse;
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      throw new Error(`no final response #${index}; got ${received.map((r) => r.status).join(',')}`);
    },
  };
}

describe('SIPREC listener on loopback sockets', () => {
  it('records a session sent over UDP, RTP to the answered ports, listed by the portal', async () => {
    const sink = await start();
    const siprec = sink.siprec;
    if (siprec === undefined) throw new Error('no SIPREC listener');
    expect(siprec.uri).toBe(`sip:srs@127.0.0.1:${siprec.port}`);
    const client = await udpClient(siprec.port);
    const spec = aliceSpec({
      srsUri: siprec.uri,
      local: { host: '127.0.0.1', port: client.local, transport: 'UDP' },
    });
    const { request, dialog } = createRecordingInvite(spec, 'z9hG4bK-u1');
    client.send(request);
    const ok = await client.finalResponse(0);
    expect(ok.status).toBe(200);
    const accepted = acceptRecordingAnswer(dialog, ok, bodyText(ok));
    if (!accepted.ok) throw new Error(accepted.fault.message);
    client.send(buildRecordingAck(accepted.value.dialog, 'z9hG4bK-u2'));
    const sdp = parseRecordingSdp(bodyText(ok));
    const ports = sdp.ok ? sdp.value.streams.map((s) => s.port) : [];
    const rtp = createSocket('udp4');
    sockets.push(rtp);
    const user = rtpStream(0x1234, 20);
    const remote = rtpStream(0x5678, 20);
    for (let i = 0; i < 20; i++) {
      rtp.send(user[i] as Uint8Array, ports[0] as number, '127.0.0.1');
      rtp.send(remote[i] as Uint8Array, ports[1] as number, '127.0.0.1');
    }
    // Loopback UDP keeps order; wait until the listener has them all before hanging up.
    for (let i = 0; i < 100 && siprec.stats().rtpReceived < 40; i++)
      await new Promise((r) => setTimeout(r, 20));
    client.send(buildRecordingBye(accepted.value.dialog, 'z9hG4bK-u3').request);
    expect((await client.finalResponse(1)).status).toBe(200);
    const token = sink.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    const [rec] = sink.portal.list(token);
    const meta = sink.portal.get(token, rec?.recordingId ?? '');
    expect(meta.state).toBe('closed');
    expect(meta.streams.map((s) => [s.label, s.packets, s.receive?.[0]?.packets])).toEqual([
      [1, 20, 20],
      [2, 20, 20],
    ]);
  });

  it('answers over TCP on the same port, framed by Content-Length, even split across segments', async () => {
    const sink = await start();
    const siprec = sink.siprec;
    if (siprec === undefined) throw new Error('no SIPREC listener');
    const socket = connect(siprec.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const reader = createSipStreamReader();
    const responses: SipResponse[] = [];
    socket.on('data', (chunk) => {
      for (const item of reader.push(chunk))
        if (item.ok && item.message.kind === 'response') responses.push(item.message);
    });
    const spec = aliceSpec({
      srsUri: siprec.uri,
      callId: 'tcp-call-1',
      local: { host: '127.0.0.1', port: 5999, transport: 'TCP' },
    });
    const bytes = serialiseSip(createRecordingInvite(spec, 'z9hG4bK-t1').request);
    socket.write(bytes.subarray(0, 100));
    await new Promise((r) => setTimeout(r, 20));
    socket.write(bytes.subarray(100));
    for (let i = 0; i < 100 && !responses.some((r) => r.status >= 200); i++)
      await new Promise((r) => setTimeout(r, 20));
    socket.destroy();
    const final = responses.find((r) => r.status >= 200);
    expect(final?.status).toBe(200);
    expect(final?.headers.find((h) => h.name === 'Contact')?.value).toBe(
      `<sip:srs@127.0.0.1:${siprec.port};transport=tcp>`,
    );
  });
});
