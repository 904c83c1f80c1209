/**
 * SIPp as the recorder (SRS), the platform's SIPREC client sending (S32: two streams per recorded call).
 * SIPp runs `sipp/srs-uas.xml`, which checks our INVITE with regexp actions (multipart Content-Type,
 * +sip.src, the SDP and metadata parts, both sendonly labels at 20 ms, the BroadWorks identifiers of the
 * dub.point, S19/S33), answers recvonly, checks the pause (a=inactive) and resume (a=sendonly) re-INVITEs
 * and the announcement INFOs, and answers BYE. SIPp must end with exit code 0, one successful call, no
 * failed call and no unexpected message; our RTP is counted on two UDP sockets of the test, the ports
 * SIPp's SDP answers with. Over UDP and TCP, loopback only.
 */
import { createSocket, type Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { playTimeline } from '../../src/platform/siprec/paced-timeline.ts';
import { createSiprecRecorderClient } from '../../src/platform/siprec/socket-recorder-client.ts';
import type { SiprecRecording } from '../../src/platform/siprec/src-types.ts';
import { createRealClock } from '../../src/time/index.ts';
import { rtpPacket } from '../platform/siprec/src-harness.ts';
import { freeTcpPort, freeUdpPort, requireSipp, runSipp, type SippRun } from './sipp-harness.ts';

const SCENARIO = fileURLToPath(new URL('./sipp/srs-uas.xml', import.meta.url));
const SSRC_USER = 0x5150_0001;
const SSRC_REMOTE = 0x5150_0002;
const PACKETS_PER_PHASE = 15;

interface Listener {
  readonly socket: Socket;
  readonly port: number;
  readonly received: { ssrc: number; sequence: number; payloadType: number; length: number }[];
}

function listen(): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const received: Listener['received'] = [];
    socket.on('message', (b: Buffer) => {
      if (b.length < 12) return;
      received.push({
        ssrc: b.readUInt32BE(8),
        sequence: b.readUInt16BE(2),
        payloadType: (b[1] ?? 0) & 0x7f,
        length: b.length,
      });
    });
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve({ socket, port: socket.address().port, received }));
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Sends PACKETS_PER_PHASE packets per stream at 20 ms, paced on the real clock by their own times. */
async function streamPhase(rec: SiprecRecording, firstSequence: number): Promise<void> {
  const clock = createRealClock();
  const items = [];
  for (let i = 0; i < PACKETS_PER_PHASE; i++) {
    const seq = firstSequence + i;
    items.push({ atMs: 20 * i, run: () => rec.sendPacket(rtpPacket(SSRC_USER, seq)) });
    items.push({ atMs: 20 * i, run: () => rec.sendPacket(rtpPacket(SSRC_REMOTE, seq)) });
  }
  await playTimeline(clock, items).done;
}

async function recordOneCall(transport: 'udp' | 'tcp') {
  requireSipp();
  const userRtp = await listen();
  const remoteRtp = await listen();
  cleanups.push(() => {
    userRtp.socket.close();
    remoteRtp.socket.close();
  });
  const port = transport === 'udp' ? await freeUdpPort() : await freeTcpPort();
  const sipp: SippRun = runSipp({
    scenario: SCENARIO,
    transport,
    port,
    mediaPort: await freeUdpPort(),
    keys: { rtp_user: userRtp.port, rtp_remote: remoteRtp.port },
    deadlineMs: 30_000,
  });
  cleanups.push(() => sipp.stop());

  // Over UDP a SIPp still starting is covered by the INVITE's retransmission; TCP needs its listener.
  const connect = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await createSiprecRecorderClient({
          target: `sip:srs@127.0.0.1:${port}`,
          transport,
          seed: `sipp-${transport}`,
          recorderWaitMs: 10_000,
        });
      } catch (error) {
        if (attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const client = await connect();
  cleanups.push(() => client.close());

  const outcome = await client.open({
    recordingId: `sipp-${transport}-1`,
    user: { aor: 'sip:+15550100001@sipp.example', name: 'Alice SIPp', number: '+15550100001' },
    remote: { aor: 'tel:+15550100002', name: 'Bob Remote', number: '+15550100002' },
    dubPoint: {
      serviceProvider: 'sp-sipp-test',
      externalGroup: 'grp-sipp-test',
      externalIdentifier: 'user-sipp-test@sipp.example',
    },
    direction: 'outbound',
    format: 'PCMU',
    codecs: ['PCMU', 'PCMA'],
    ssrcs: { user: SSRC_USER, remote: SSRC_REMOTE },
  });
  if (outcome.kind !== 'answered') {
    const result = await sipp.done;
    throw new Error(
      `SIPp did not answer: ${JSON.stringify(outcome)}\n${result.errors}\n${result.output.slice(-2000)}`,
    );
  }
  const rec = outcome.recording;
  expect(rec.destinations).toEqual({
    user: { address: '127.0.0.1', port: userRtp.port },
    remote: { address: '127.0.0.1', port: remoteRtp.port },
  });

  const results = [];
  results.push(await rec.announcement('start', 0));
  await streamPhase(rec, 1);
  results.push(await rec.paused(300));
  results.push(await rec.announcement('pause', 300, 'beep'));
  await streamPhase(rec, 101); // held: nothing may arrive
  results.push(await rec.resumed(600));
  results.push(await rec.announcement('resume', 600, 'beep'));
  await streamPhase(rec, 201);
  results.push(await rec.announcement('stop', 900));
  results.push(await rec.close(900));
  const sippResult = await sipp.done;
  await new Promise((r) => setTimeout(r, 50)); // the last datagrams on loopback

  const detail = `\nSIPp errors:\n${sippResult.errors}\nSIPp output:\n${sippResult.output.slice(-3000)}`;
  expect(
    results.map((r) => `${r.method} ${r.cseq} ${r.status}`),
    detail,
  ).toEqual([
    'INFO 2 200',
    'INVITE 3 200',
    'INFO 4 200',
    'INVITE 5 200',
    'INFO 6 200',
    'INFO 7 200',
    'BYE 8 200',
  ]);
  expect(sippResult.exitCode, detail).toBe(0);
  expect(sippResult.stats['SuccessfulCall(C)'], detail).toBe('1');
  expect(sippResult.stats['FailedCall(C)'], detail).toBe('0');
  expect(sippResult.stats['FailedUnexpectedMessage(C)'], detail).toBe('0');
  expect(sippResult.stats['FailedRegexpDoesntMatch(C)'], detail).toBe('0');

  const expected = [
    ...Array.from({ length: PACKETS_PER_PHASE }, (_, i) => 1 + i),
    ...Array.from({ length: PACKETS_PER_PHASE }, (_, i) => 201 + i),
  ];
  for (const [listener, ssrc] of [
    [userRtp, SSRC_USER],
    [remoteRtp, SSRC_REMOTE],
  ] as const) {
    expect(listener.received.every((p) => p.ssrc === ssrc && p.payloadType === 0 && p.length === 172)).toBe(
      true,
    );
    expect(listener.received.map((p) => p.sequence).sort((a, b) => a - b)).toEqual(expected);
  }
  expect(rec.counters).toEqual({
    user: { sent: 2 * PACKETS_PER_PHASE, held: PACKETS_PER_PHASE },
    remote: { sent: 2 * PACKETS_PER_PHASE, held: PACKETS_PER_PHASE },
    rejected: 0,
  });
}

describe('SIPp as the recorder, the platform’s SIPREC client sending', () => {
  it('over UDP: SIPp accepts every message of one recorded call and gets both RTP streams, none while paused', async () => {
    await recordOneCall('udp');
  }, 60_000);

  it('over TCP: the same call, SIPp framing our messages on the stream', async () => {
    await recordOneCall('tcp');
  }, 60_000);
});
