/**
 * The sink over real loopback sockets (127.0.0.1, port 0): signed upgrade, the client's batching and
 * checkpoints, portal download as WAV, provisioning and portal over HTTP, refusals (401, 1009).
 * Timeouts here are hang guards only; nothing depends on how long anything takes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSinkServer, type SinkServer } from '../../src/dubber/server.ts';
import { createSqliteStore } from '../../src/dubber/store/sqlite/sqlite-store.ts';
import { readStereoWav } from '../../src/dubber/wav-export.ts';
import { isSimError } from '../../src/errors.ts';
import { mulawToLinear } from '../../src/media/g711.ts';
import { createSinkClient } from '../../src/platform/client.ts';
import { signRequest } from '../../src/protocol/auth-signature.ts';
import { encodeMediaFrame } from '../../src/protocol/media-frame.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';
import {
  ACME_KEY,
  ALL_KEYS,
  dubPointOf,
  interleave,
  PLATFORM_KEY,
  platformClient,
  provisionWorld,
  REMOTE_SSRC,
  rtpStream,
  USER_SSRC,
} from '../harness/helpers.ts';

const servers: SinkServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(limits = {}) {
  const clock = createVirtualClock();
  clock.advanceTo(1_700_000_000_000); // an epoch-like reading, as a live sink would have
  const server = await createSinkServer({ clock, keys: ALL_KEYS, limits });
  servers.push(server);
  provisionWorld(server.provisioning);
  const client = platformClient(server.streamUrl, clock, 10);
  return { clock, server, client };
}

const aliceCall = {
  orgId: 'acme',
  userId: 'alice',
  dubPoint: dubPointOf('alice'),
  direction: 'inbound',
  remote: { type: 'pstn', address: '+420600000000' },
  format: 'PCMU',
  ssrcs: { user: USER_SSRC, remote: REMOTE_SSRC },
} as const;

describe('recording over loopback', () => {
  it('streams two batched streams with a pause, and downloads a stereo WAV with the gap as silence', async () => {
    const { server, client } = await start();
    const rec = await client.openRecording({ ...aliceCall, recordingId: 'call-1' });
    expect(rec.opened).toEqual({ resumed: false, state: 'active', packetsStored: 0 });
    rec.announcement('start', 0); // S24/S26: played, reported, not recorded (S25)
    for (const p of interleave(rtpStream(USER_SSRC, 50, 0, 0), rtpStream(REMOTE_SSRC, 50, 7000, 99)))
      rec.sendPacket(p);
    rec.paused(1000);
    rec.announcement('pause', 1000, 'beep');
    rec.resumed(2000);
    for (const p of interleave(
      rtpStream(USER_SSRC, 50, 50, 50 * 160),
      rtpStream(REMOTE_SSRC, 50, 7050, 99 + 50 * 160),
    ))
      rec.sendPacket(p);
    rec.tone(1, 2500);
    const checkpoint = await rec.drain();
    expect(checkpoint.packetsStored).toBe(200);
    expect(rec.unacked).toBe(0);
    await rec.close(3000);

    const token = server.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    const { wav, metadata } = server.portal.download(token, 'call-1');
    expect(metadata).toMatchObject({
      state: 'closed',
      durationMs: 3000,
      pauses: [{ startMs: 1000, endMs: 2000 }],
      announcements: [
        { kind: 'start', sound: 'announcement', positionMs: 0 },
        { kind: 'pause', sound: 'beep', positionMs: 1000 },
      ],
      tones: [{ index: 1, positionMs: 2500 }],
      streams: [
        { label: 1, role: 'user', packets: 100, lost: 0, duplicates: 0 },
        { label: 2, role: 'remote', packets: 100, lost: 0, duplicates: 0 },
      ],
    });
    const audio = readStereoWav(wav);
    expect(audio.rateHz).toBe(8000);
    expect(audio.left).toHaveLength(3000 * 8);
    // Left = user, right = remote; payload byte = seq | 0x80 (see helpers).
    expect(audio.left[0]).toBe(mulawToLinear(0x80));
    expect(audio.right[0]).toBe(mulawToLinear((7000 & 0x7f) | 0x80));
    expect(audio.left[1500 * 8]).toBe(0); // inside the pause: silence
    expect(audio.left[2000 * 8]).toBe(mulawToLinear((50 & 0x7f) | 0x80));
  });

  it('serves the portal over HTTP with bearer tokens and provisioning with signed requests', async () => {
    const { clock, server, client } = await start();
    const rec = await client.openRecording({ ...aliceCall, recordingId: 'call-2' });
    for (const p of rtpStream(USER_SSRC, 10)) rec.sendPacket(p);
    await rec.close(200);

    const provision = async (key: typeof ACME_KEY, op: string, request: unknown) => {
      const body = JSON.stringify({ op, request });
      const headers = signRequest({
        method: 'POST',
        path: '/v1/provision',
        keyId: key.keyId,
        secret: key.secret,
        nowMs: clock.nowMs(),
        body,
      });
      const res = await fetch(`${server.url}/v1/provision`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
      });
      return {
        status: res.status,
        json: (await res.json()) as { result?: { token?: string }; code?: string },
      };
    };
    const issued = await provision(ACME_KEY, 'token', { orgId: 'acme', userId: 'alice' });
    expect(issued.status).toBe(200);
    const token = issued.json.result?.token as string;
    const list = await fetch(`${server.url}/v1/portal/recordings`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(
      ((await list.json()) as { recordings: { recordingId: string }[] }).recordings.map((r) => r.recordingId),
    ).toEqual(['call-2']);
    const wav = await fetch(`${server.url}/v1/portal/recordings/call-2/audio.wav`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(wav.headers.get('content-type')).toBe('audio/wav');
    expect(readStereoWav(new Uint8Array(await wav.arrayBuffer())).left.length).toBe(200 * 8);

    // An org key cannot provision another org; a bad body is 400; S9: tier switch over HTTP.
    expect((await provision(ACME_KEY, 'token', { orgId: 'globex', userId: 'carol' })).status).toBe(403);
    expect((await provision(ACME_KEY, 'user', { orgId: 'acme' })).json.code).toBe('SINK_ERR_BAD_REQUEST');
    expect((await provision(ACME_KEY, 'tier', { userId: 'alice', tier: 'Standard' })).status).toBe(200);
    expect(server.provisioning.getUser('alice')?.dubPoint.product).toBe('Dubber Standard');
    const admin = (await provision(ACME_KEY, 'token', { orgId: 'acme', adminEmail: 'it@acme.example' })).json
      .result?.token;
    const asAdmin = await fetch(`${server.url}/v1/portal/recordings/call-2`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(((await asAdmin.json()) as { access: string }).access).toBe('admin'); // S8
    const bob = (await provision(ACME_KEY, 'token', { orgId: 'acme', userId: 'bob' })).json.result?.token;
    const asBob = await fetch(`${server.url}/v1/portal/recordings/call-2`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    expect(asBob.status).toBe(403);
    const noToken = await fetch(`${server.url}/v1/portal/recordings`);
    expect(noToken.status).toBe(401);
  });

  it('rejects a bad upgrade signature with HTTP 401 and the reason, and never upgrades', async () => {
    const { clock, server } = await start();
    const refuse = (headers: Record<string, string>) =>
      new Promise<{ status: number; code: string }>((resolve, reject) => {
        const ws = new WebSocket(server.streamUrl, { headers });
        ws.on('open', () => reject(new Error('upgraded')));
        ws.on('error', () => {});
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, code: (JSON.parse(body) as { code: string }).code }),
          );
        });
      });
    const sign = (o: Partial<Parameters<typeof signRequest>[0]> = {}) =>
      signRequest({
        method: 'GET',
        path: '/v1/stream',
        keyId: ACME_KEY.keyId,
        secret: ACME_KEY.secret,
        nowMs: clock.nowMs(),
        ...o,
      });
    expect(await refuse({})).toEqual({ status: 401, code: 'SINK_ERR_AUTH_MISSING' });
    expect(await refuse(sign({ secret: 'wrong' }))).toEqual({
      status: 401,
      code: 'SINK_ERR_AUTH_BAD_SIGNATURE',
    });
    expect(await refuse(sign({ keyId: 'ghost' }))).toEqual({
      status: 401,
      code: 'SINK_ERR_AUTH_UNKNOWN_KEY',
    });
    expect(await refuse(sign({ nowMs: clock.nowMs() - 11_000 }))).toEqual({
      status: 401,
      code: 'SINK_ERR_AUTH_STALE',
    });
    const once = sign();
    const first = new WebSocket(server.streamUrl, { headers: once });
    await new Promise((resolve) => first.on('open', resolve));
    first.close();
    expect(await refuse(once)).toEqual({ status: 401, code: 'SINK_ERR_AUTH_REPLAY' });
    expect(server.stats().authRejections).toBe(5);
  });

  it('the client maps a 401 and a dub.point refusal to SimErrors', async () => {
    const { clock, server } = await start();
    const bad = createSinkClient({ url: server.streamUrl, keyId: ACME_KEY.keyId, secret: 'wrong', clock });
    await expect(bad.openRecording(aliceCall)).rejects.toMatchObject({
      code: 'SIM_ERR_SINK_AUTH',
      details: { status: 401 },
    });
    const good = createSinkClient({
      url: server.streamUrl,
      keyId: ACME_KEY.keyId,
      secret: ACME_KEY.secret,
      clock,
    });
    const error = await good
      .openRecording({ ...aliceCall, dubPoint: { ...aliceCall.dubPoint, externalIdentifier: 'alice-old' } })
      .catch((e: unknown) => e);
    expect(isSimError(error, 'SIM_ERR_DUBPOINT_MISMATCH')).toBe(true);
    expect(isSimError(error) && error.details.closeCode).toBe(1008);
  });

  it('closes with 1009 when a frame exceeds maxPayloadBytes, and the data before it stays', async () => {
    const { clock, server, client } = await start({ maxPayloadBytes: 4096 });
    const rec = await client.openRecording({ ...aliceCall, recordingId: 'call-big' });
    for (const p of rtpStream(USER_SSRC, 4)) rec.sendPacket(p);
    await rec.drain();
    // A second, raw connection sends one frame over the limit (the client itself keeps frames small).
    const big = encodeMediaFrame(rtpStream(USER_SSRC, 30, 500));
    const ws = new WebSocket(server.streamUrl, {
      headers: signRequest({
        method: 'GET',
        path: '/v1/stream',
        keyId: PLATFORM_KEY.keyId,
        secret: PLATFORM_KEY.secret,
        nowMs: clock.nowMs(),
      }),
    });
    await new Promise((resolve) => ws.on('open', resolve));
    const code = await new Promise<number>((resolve) => {
      ws.on('close', (c) => resolve(c));
      ws.send(
        JSON.stringify({
          version: '1',
          id: 'call-other',
          type: 'open',
          seq: 1,
          position: 'PT0S',
          parameters: {
            orgId: 'acme',
            userId: 'bob',
            dubPoint: dubPointOf('bob'),
            direction: 'inbound',
            remote: { type: 'internal' },
            media: {
              format: 'PCMU',
              rate: 8000,
              streams: [
                { ssrc: 1, label: 1 },
                { ssrc: 2, label: 2 },
              ],
            },
          },
        }),
      );
      ws.send(big);
    });
    expect(code).toBe(1009);
    await rec.close(100); // the other recording is unaffected
    expect(server.store.countPackets('call-big')).toBe(4);
  });
});

describe('reconnect without loss or duplicates', () => {
  it('resends the unacknowledged journal on a new connection; the sink stores each packet once', async () => {
    const { server, client } = await start({ checkpointEveryFrames: 1_000_000 });
    const rec = await client.openRecording({ ...aliceCall, recordingId: 'call-r' });
    const user = rtpStream(USER_SSRC, 200, 65_500); // wraps the 16-bit seq
    for (const p of user.slice(0, 100)) rec.sendPacket(p);
    rec.flush();
    // Nothing acknowledged yet (no control message, no ping): the whole journal is kept.
    expect(rec.unacked).toBeGreaterThan(0);
    await expect.poll(() => server.store.countPackets('call-r'), { timeout: 10_000 }).toBe(100);
    rec.disconnect();
    await expect.poll(() => server.stats().connections, { timeout: 10_000 }).toBe(0);
    for (const p of user.slice(100, 150)) rec.sendPacket(p); // queued while disconnected
    const info = await rec.reconnect();
    expect(info).toMatchObject({ resumed: true, packetsStored: 100 });
    for (const p of user.slice(150)) rec.sendPacket(p);
    await rec.close(4000);
    const token = server.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    const meta = server.portal.get(token, 'call-r');
    expect(meta.streams[0]).toMatchObject({
      packets: 200,
      duplicates: 100,
      lost: 0,
      firstExtSeq: 65_500,
      lastExtSeq: 65_699,
    });
    expect(meta.interruptions).toBe(1);
  });

  it('a sink shutdown sends disconnect; the client resumes on a new sink over the same store', async () => {
    const clock = createVirtualClock();
    const store = createSqliteStore({ path: ':memory:' });
    const first = await createSinkServer({ clock, keys: ALL_KEYS, store });
    provisionWorld(first.provisioning);
    const client = platformClient(first.streamUrl, clock);
    const rec = await client.openRecording({ ...aliceCall, recordingId: 'call-s' });
    for (const p of rtpStream(USER_SSRC, 20)) rec.sendPacket(p);
    await rec.drain();
    const pending = rec.drain().catch((e: unknown) => e);
    await first.close();
    // Either the ping was answered before the shutdown or the wait failed with a shutdown reason.
    const outcome = await pending;
    if (isSimError(outcome)) expect(outcome.code).toBe('SIM_ERR_SINK_UNAVAILABLE');
    const second = await createSinkServer({ clock, keys: ALL_KEYS, store });
    servers.push(second);
    await rec.reconnect(second.streamUrl);
    for (const p of rtpStream(USER_SSRC, 20, 120)) rec.sendPacket(p);
    await rec.close(1000);
    expect(store.countPackets('call-s')).toBe(40);
    // The restart cut the recording off, so it counts as one interruption.
    expect(store.getRecording('call-s')).toMatchObject({ state: 'closed', interruptions: 1 });
    await second.close();
    servers.splice(0);
    store.close();
  });
});
