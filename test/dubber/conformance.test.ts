/**
 * Conformance suite for any sink endpoint speaking docs/sink-protocol.md, over the wire only (signed HTTP
 * provisioning, WebSocket ingest, HTTP portal). By default it runs against an in-process sink; set
 * SINK_URL (http://host:port), SINK_KEY_ID and SINK_SECRET (a platform key) to check a running one, e.g.
 * `callrec sink --key conf:<secret>`. The target's clock must read epoch time (the CLI's does).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSinkServer, type SinkServer } from '../../src/dubber/server.ts';
import { readStereoWav } from '../../src/dubber/wav-export.ts';
import { createSinkClient } from '../../src/platform/client.ts';
import { signRequest } from '../../src/protocol/auth-signature.ts';
import { encodeMediaFrame } from '../../src/protocol/media-frame.ts';
import { createEpochClock } from '../../src/time/index.ts';
import { dubPointOf, PLATFORM_KEY, REMOTE_SSRC, rtpStream, USER_SSRC } from '../harness/helpers.ts';
import { openMessageText, openParameters } from '../harness/open-message.ts';

const clock = createEpochClock();
const run = randomUUID().slice(0, 8);
const org = `conf-${run}`;
const user = `user-${run}`;
const dubPoint = { ...dubPointOf(user, org), externalIdentifier: user };
let target: { url: string; keyId: string; secret: string };
let local: SinkServer | undefined;

beforeAll(async () => {
  const { SINK_URL, SINK_KEY_ID, SINK_SECRET } = process.env;
  if (SINK_URL && SINK_KEY_ID && SINK_SECRET)
    target = { url: SINK_URL, keyId: SINK_KEY_ID, secret: SINK_SECRET };
  else {
    local = await createSinkServer({ clock, keys: [PLATFORM_KEY] });
    target = { url: local.url, keyId: PLATFORM_KEY.keyId, secret: PLATFORM_KEY.secret };
  }
  await provision('org', { orgId: org, customerName: 'Conformance' });
  await provision('account', {
    orgId: org,
    termsAcceptedBy: `admin@${org}.example`,
    adminEmails: [`admin@${org}.example`],
  });
  await provision('user', {
    orgId: org,
    userId: user,
    profile: { timeZone: 'UTC', firstName: 'Con', lastName: 'Formance', email: `${user}@${org}.example` },
    dubPoint,
    tier: 'Go',
  });
});

afterAll(async () => {
  await local?.close();
});

async function provision(
  op: string,
  request: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = JSON.stringify({ op, request });
  const headers = signRequest({
    method: 'POST',
    path: '/v1/provision',
    keyId: target.keyId,
    secret: target.secret,
    nowMs: clock.nowMs(),
    body,
  });
  const res = await fetch(`${target.url}/v1/provision`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const streamUrl = () => `${target.url.replace(/^http/, 'ws')}/v1/stream`;

/** `overrides` replace fields of the parameters. */
function openMessage(id: string, overrides: Record<string, unknown> = {}) {
  return openMessageText(id, { ...openParameters({ orgId: org, userId: user, dubPoint }), ...overrides });
}

/** Sends `messages` on a fresh signed connection; resolves with the replies and the close code. */
function exchange(
  id: string,
  messages: readonly (string | Uint8Array)[],
): Promise<{
  replies: { type: string; parameters: Record<string, unknown> }[];
  closeCode: number | undefined;
}> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(streamUrl(), {
      headers: signRequest({
        method: 'GET',
        path: '/v1/stream',
        keyId: target.keyId,
        secret: target.secret,
        nowMs: clock.nowMs(),
      }),
    });
    const replies: { type: string; parameters: Record<string, unknown> }[] = [];
    ws.on('error', reject);
    ws.on('open', () => {
      for (const m of messages) ws.send(m);
      // A ping after the messages: its pong (or the close) marks the end of the exchange.
      ws.send(
        JSON.stringify({
          version: '1',
          id,
          type: 'ping',
          seq: messages.filter((m) => typeof m === 'string').length + 1,
          position: 'PT0S',
        }),
      );
    });
    ws.on('message', (data) => {
      const reply = JSON.parse(String(data)) as { type: string; parameters: Record<string, unknown> };
      replies.push(reply);
      if (reply.type === 'pong') ws.close(1000);
    });
    ws.on('close', (code) =>
      resolve({ replies, closeCode: code === 1000 || code === 1005 ? undefined : code }),
    );
  });
}

describe('sink conformance', () => {
  it('records, checkpoints and serves a call through the portal', async () => {
    const client = createSinkClient({
      url: streamUrl(),
      keyId: target.keyId,
      secret: target.secret,
      clock,
      maxBatchPackets: 10,
    });
    const id = `conf-${randomUUID()}`;
    const rec = await client.openRecording({
      recordingId: id,
      orgId: org,
      userId: user,
      dubPoint,
      direction: 'inbound',
      remote: { type: 'pstn' },
      format: 'PCMU',
      ssrcs: { user: USER_SSRC, remote: REMOTE_SSRC },
    });
    for (const p of [...rtpStream(USER_SSRC, 50, 0, 0), ...rtpStream(REMOTE_SSRC, 50, 0, 0)])
      rec.sendPacket(p);
    rec.announcement('start', 0);
    expect((await rec.drain()).packetsStored).toBe(100);
    await rec.close(1000);
    const token = (await provision('token', { orgId: org, userId: user })).json.result as { token: string };
    const meta = await fetch(`${target.url}/v1/portal/recordings/${id}`, {
      headers: { authorization: `Bearer ${token.token}` },
    });
    expect(await meta.json()).toMatchObject({
      recordingId: id,
      state: 'closed',
      announcements: [{ kind: 'start' }],
    });
    const wav = await fetch(`${target.url}/v1/portal/recordings/${id}/audio.wav`, {
      headers: { authorization: `Bearer ${token.token}` },
    });
    expect(readStereoWav(new Uint8Array(await wav.arrayBuffer())).left.length).toBe(8000);
  });

  const fatalCases: readonly {
    name: string;
    messages: (id: string) => (string | Uint8Array)[];
    code: string;
    closeCode: number;
  }[] = [
    { name: 'malformed JSON', messages: () => ['{'], code: 'SINK_ERR_MALFORMED_JSON', closeCode: 1002 },
    {
      name: 'wrong version',
      messages: (id) => [openMessage(id).replace('"version":"1"', '"version":"9"')],
      code: 'SINK_ERR_UNSUPPORTED_VERSION',
      closeCode: 4001,
    },
    {
      name: 'binary before open',
      messages: () => [encodeMediaFrame(rtpStream(USER_SSRC, 1))],
      code: 'SINK_ERR_NOT_OPEN',
      closeCode: 1002,
    },
    {
      name: 'seq regression',
      messages: (id) => [
        openMessage(id),
        JSON.stringify({ version: '1', id, type: 'paused', seq: 1, position: 'PT1S' }),
      ],
      code: 'SINK_ERR_SEQ',
      closeCode: 1002,
    },
    {
      name: 'dub.point mismatch (S33)',
      messages: (id) => [openMessage(id, { dubPoint: { ...dubPoint, externalGroup: 'elsewhere' } })],
      code: 'SINK_ERR_DUBPOINT_MISMATCH',
      closeCode: 1008,
    },
    {
      name: 'unsupported media',
      messages: (id) => [openMessage(id, { media: { format: 'opus', rate: 48000, streams: [] } })],
      code: 'SINK_ERR_UNSUPPORTED_MEDIA',
      closeCode: 1003,
    },
  ];

  it.each(fatalCases)('$name → $code, close $closeCode', async ({ messages, code, closeCode }) => {
    const id = `conf-${randomUUID()}`;
    const result = await exchange(id, messages(id));
    expect(result.replies.find((r) => r.type === 'error')?.parameters).toMatchObject({ code, fatal: true });
    expect(result.closeCode).toBe(closeCode);
  });

  it('answers an unknown type and an unknown SSRC with a non-fatal error and carries on', async () => {
    const id = `conf-${randomUUID()}`;
    const result = await exchange(id, [
      openMessage(id),
      JSON.stringify({ version: '1', id, type: 'update', seq: 2, position: 'PT0S' }),
      encodeMediaFrame(rtpStream(0xabc, 1)),
    ]);
    expect(
      result.replies.filter((r) => r.type === 'error').map((r) => [r.parameters.code, r.parameters.fatal]),
    ).toEqual([
      ['SINK_ERR_UNKNOWN_TYPE', false],
      ['SINK_ERR_UNKNOWN_SSRC', false],
    ]);
    expect(result.replies.at(-1)?.type).toBe('pong');
    expect(result.closeCode).toBeUndefined();
  });

  it('refuses a bad upgrade signature with 401 and an unsigned provisioning request likewise', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(streamUrl(), {
        headers: signRequest({
          method: 'GET',
          path: '/v1/stream',
          keyId: target.keyId,
          secret: 'not-the-secret',
          nowMs: clock.nowMs(),
        }),
      });
      ws.on('error', () => {});
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(401);
    const unsigned = await fetch(`${target.url}/v1/provision`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(401);
  });
});
