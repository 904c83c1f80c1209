/**
 * Fuzzing the SIPREC adapter with a pinned seed (fast-check prints the seed and path of a failure, which
 * replay it): random interleavings of recording sessions (INVITE, ACK, pause, resume, BYE, CANCEL,
 * retransmissions), RTP to any port, time passing, and mutated or random datagrams. The adapter never
 * throws nor reports an internal error, answers only with well-formed SIP, and what it stored is whole:
 * every recording has its two streams and the portal can describe and export it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serialiseSip } from '../../../src/protocol/sip/serialise-sip.ts';
import { bodyText, type SipMessage, type SipRequest } from '../../../src/protocol/sip/sip-message.ts';
import { parseRecordingSdp } from '../../../src/protocol/siprec/recording-sdp.ts';
import {
  acceptRecordingAnswer,
  buildPauseReInvite,
  buildRecordingAck,
  buildRecordingBye,
  createRecordingInvite,
  type SrcDialog,
} from '../../../src/protocol/siprec/src-session.ts';
import { rtpStream } from '../../harness/helpers.ts';
import { aliceSpec, createSrsWorld, SRC_PEER } from './srs-harness.ts';

const FUZZ_SEED = 7_866_3550;

type Command =
  | {
      readonly kind: 'invite' | 'ack' | 'pause' | 'resume' | 'bye' | 'cancel' | 'resend';
      readonly call: number;
    }
  | { readonly kind: 'rtp'; readonly call: number; readonly stream: number; readonly count: number }
  | { readonly kind: 'advance'; readonly ms: number }
  | {
      readonly kind: 'mutate';
      readonly call: number;
      readonly at: number;
      readonly byte: number;
      readonly cut: boolean;
    }
  | { readonly kind: 'garbage'; readonly bytes: Uint8Array; readonly toRtp: boolean };

const call = fc.integer({ min: 0, max: 2 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constantFrom('invite', 'ack'), call }), weight: 4 },
  fc.record({ kind: fc.constantFrom('invite', 'ack', 'pause', 'resume', 'bye', 'cancel', 'resend'), call }),
  {
    arbitrary: fc.record({
      kind: fc.constant('rtp' as const),
      call,
      stream: fc.integer({ min: 0, max: 2 }),
      count: fc.integer({ min: 1, max: 5 }),
    }),
    weight: 4,
  },
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40_000 }) }),
  fc.record({
    kind: fc.constant('mutate' as const),
    call,
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
    cut: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('garbage' as const),
    bytes: fc.uint8Array({ maxLength: 200 }),
    toRtp: fc.boolean(),
  }),
);

async function run(commands: readonly Command[]): Promise<void> {
  const world = createSrsWorld({ limits: { maxSessions: 2 } });
  const calls = [0, 1, 2].map((i) => ({
    dialog: undefined as SrcDialog | undefined,
    last: undefined as SipRequest | undefined,
    branch: 0,
    seq: 0,
    callId: `fuzz-${i}`,
    ports: [] as number[],
  }));
  const send = async (message: SipMessage) => {
    world.adapter.receiveDatagram(serialiseSip(message), SRC_PEER);
    await world.settle();
  };
  const readAnswer = (c: (typeof calls)[number]) => {
    const answer = world
      .responses()
      .filter((r) => r.status === 200 && r.headers.some((h) => h.value === c.callId))
      .at(-1);
    if (answer === undefined || c.dialog === undefined) return;
    const accepted = acceptRecordingAnswer(c.dialog, answer, bodyText(answer));
    if (accepted.ok) c.dialog = accepted.value.dialog;
    const sdp = parseRecordingSdp(bodyText(answer));
    if (sdp.ok) c.ports = sdp.value.streams.map((st) => st.port);
  };
  for (const cmd of commands) {
    if (cmd.kind === 'advance') {
      world.clock.advanceBy(cmd.ms);
      await world.settle();
      continue;
    }
    if (cmd.kind === 'garbage') {
      if (cmd.toRtp) world.rtp(50_000, cmd.bytes);
      else world.adapter.receiveDatagram(cmd.bytes, SRC_PEER);
      await world.settle();
      continue;
    }
    const c = calls[cmd.call] as (typeof calls)[number];
    const branch = () => `z9hG4bK-f${cmd.call}-${++c.branch}`;
    switch (cmd.kind) {
      case 'invite': {
        const { request, dialog } = createRecordingInvite(aliceSpec({ callId: c.callId }), branch());
        c.dialog = dialog;
        c.last = request;
        await send(request);
        readAnswer(c);
        break;
      }
      case 'ack':
        if (c.dialog) await send(buildRecordingAck(c.dialog, branch()));
        break;
      case 'pause':
      case 'resume':
        if (c.dialog) {
          const re = buildPauseReInvite(c.dialog, cmd.kind === 'pause', branch());
          c.dialog = re.dialog;
          c.last = re.request;
          await send(re.request);
          readAnswer(c);
        }
        break;
      case 'bye':
        if (c.dialog) {
          const bye = buildRecordingBye(c.dialog, branch());
          c.dialog = bye.dialog;
          c.last = bye.request;
          await send(bye.request);
        }
        break;
      case 'cancel':
        if (c.last?.method === 'INVITE') {
          await send({
            ...c.last,
            method: 'CANCEL',
            body: new Uint8Array(0),
            headers: c.last.headers
              .filter((h) => ['Via', 'From', 'To', 'Call-ID'].includes(h.name))
              .concat([
                { name: 'CSeq', value: `${c.dialog?.cseq ?? 1} CANCEL` },
                { name: 'Content-Length', value: '0' },
              ]),
          });
        }
        break;
      case 'resend':
        if (c.last) await send(c.last);
        break;
      case 'rtp': {
        // Its own ports (stream 0, 1), or a port of no session (stream 2, or before any answer).
        const port = c.ports[cmd.stream] ?? 59_998;
        c.seq += cmd.count;
        for (const packet of rtpStream(0x100 + cmd.call * 8 + cmd.stream, cmd.count, c.seq)) {
          world.rtp(port, packet);
        }
        break;
      }
      case 'mutate':
        if (c.last) {
          const bytes = serialiseSip(c.last).slice();
          const at = cmd.at % bytes.length;
          bytes[at] = cmd.byte;
          world.adapter.receiveDatagram(cmd.cut ? bytes.subarray(0, at) : bytes, SRC_PEER);
          await world.settle();
        }
        break;
    }
  }
  world.adapter.close();
  world.clock.advanceBy(60_000);
  await world.settle();
  world.hub.flush();

  expect(world.events.filter((e) => e.type === 'internal-error')).toEqual([]);
  // What it sent parses (or, for a request that lacked a mandatory header, is a 400 copying what it had).
  for (const raw of world.unparsable) expect(new TextDecoder().decode(raw)).toMatch(/^SIP\/2\.0 400 /);
  expect(world.openPorts()).toBe(0);
  for (const rec of world.store.listRecordings({})) {
    expect(world.store.getStreams(rec.recordingId).map((s) => s.label)).toEqual([1, 2]);
    const meta = world.portal.get(world.token, rec.recordingId);
    expect(['active', 'paused', 'closed', 'discarded']).toContain(meta.state);
    world.portal.download(world.token, rec.recordingId);
  }
}

describe('SIPREC adapter fuzzing (pinned seed)', () => {
  it('never throws, answers well-formed SIP and stores only whole recordings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), (commands) => run(commands)),
      { seed: FUZZ_SEED, numRuns: 150 },
    );
  }, 120_000);
});
