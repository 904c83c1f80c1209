/**
 * The SRC core on the virtual clock against a scripted recorder: an in-memory transport that records
 * every message with its time, delivers it after a one-way delay, and a recorder built from the pure SRS
 * functions (`answerRecordingInvite`, `answerRecordingReInvite`) whose behaviour a test can bend (drop the
 * first N INVITEs, answer 100 first, refuse, answer late, send BYE).
 */

import { createSiprecSrcCore, type SiprecSrcCore } from '../../../src/platform/siprec/src-core.ts';
import type {
  SiprecRecordingParams,
  SrcAddress,
  SrcCoreOptions,
  SrcEvent,
} from '../../../src/platform/siprec/src-types.ts';
import { parseSipDatagram } from '../../../src/protocol/sip/parse-sip.ts';
import { serialiseSip } from '../../../src/protocol/sip/serialise-sip.ts';
import {
  bodyText,
  headerValue,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  sipRequest,
} from '../../../src/protocol/sip/sip-message.ts';
import { buildResponse } from '../../../src/protocol/sip/sip-responses.ts';
import type { RecordingOffer } from '../../../src/protocol/siprec/recording-offer.ts';
import {
  answerRecordingInvite,
  answerRecordingReInvite,
  type SrsAnswerOptions,
} from '../../../src/protocol/siprec/srs-session.ts';
import { createVirtualClock, type VirtualClock } from '../../../src/time/index.ts';
import { DUB_POINT, srsOptions } from '../../protocol/siprec-fixtures.ts';

export const ONE_WAY_MS = 5;

export interface WireEntry {
  readonly atMs: number;
  readonly to: 'srs' | 'src';
  readonly message: SipMessage;
  readonly lost: boolean;
}

export interface RtpSent {
  readonly atMs: number;
  readonly label: '1' | '2';
  readonly bytes: Uint8Array;
  readonly to: SrcAddress;
}

export interface RecorderScript {
  /** Drop the first N INVITEs (initial) on the way in. */
  dropInvites?: number;
  /** Answer every request with nothing at all. */
  silent?: boolean;
  /** Send 100 Trying first. */
  trying?: boolean;
  /** Delay before the final answer to the initial INVITE. */
  answerDelayMs?: number;
  /** Answer the initial INVITE with this instead of deciding. */
  refuse?: { status: number; reason?: string; reasonHeader?: string };
  /** Answer INFO with this status. */
  infoStatus?: number;
  /** Never answer BYE. */
  ignoreBye?: boolean;
  /** A 487 to a CANCELled INVITE. */
  answerCancel?: boolean;
  srs?: Partial<SrsAnswerOptions>;
}

export function recordingParams(overrides: Partial<SiprecRecordingParams> = {}): SiprecRecordingParams {
  return {
    recordingId: 'rec-alice-1',
    user: { aor: 'sip:+420221000001@acme.example', name: 'Alice Novák', number: '+420221000001' },
    remote: { aor: 'tel:+420602000002', name: 'Bob Remote', number: '+420602000002' },
    dubPoint: DUB_POINT,
    direction: 'inbound',
    format: 'PCMU',
    ssrcs: { user: 0x1111_0001, remote: 0x2222_0002 },
    ...overrides,
  };
}

/** One G.711 RTP packet (12-byte header + 160 bytes). */
export function rtpPacket(ssrc: number, sequence: number, payloadType = 0, fill = 0x55): Uint8Array {
  const bytes = new Uint8Array(172).fill(fill);
  bytes[0] = 0x80;
  bytes[1] = payloadType;
  bytes[2] = (sequence >> 8) & 0xff;
  bytes[3] = sequence & 0xff;
  const ts = sequence * 160;
  bytes[4] = (ts >>> 24) & 0xff;
  bytes[5] = (ts >>> 16) & 0xff;
  bytes[6] = (ts >>> 8) & 0xff;
  bytes[7] = ts & 0xff;
  bytes[8] = (ssrc >>> 24) & 0xff;
  bytes[9] = (ssrc >>> 16) & 0xff;
  bytes[10] = (ssrc >>> 8) & 0xff;
  bytes[11] = ssrc & 0xff;
  return bytes;
}

export interface Harness {
  readonly clock: VirtualClock;
  readonly core: SiprecSrcCore;
  readonly wire: WireEntry[];
  readonly rtp: RtpSent[];
  readonly events: SrcEvent[];
  readonly mediaClosed: () => number;
  /** Messages the platform sent, by method or status, e.g. `sent('INVITE')`. */
  sent(method: string): SipRequest[];
  received(status: number): SipResponse[];
  /** Runs microtasks, moves the clock, runs microtasks again. */
  run(ms: number): Promise<void>;
  /** The recorder sends a request into the dialog (e.g. BYE). */
  recorderSends(request: SipRequest): void;
  /** The last offer the recorder accepted. */
  offer(): RecordingOffer | undefined;
}

export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createHarness(
  script: RecorderScript = {},
  options: Partial<Omit<SrcCoreOptions, 'transport' | 'clock'>> & { tcp?: boolean } = {},
): Harness {
  const clock = createVirtualClock();
  const wire: WireEntry[] = [];
  const rtp: RtpSent[] = [];
  const events: SrcEvent[] = [];
  let invitesSeen = 0;
  let offer: RecordingOffer | undefined;
  let sdpVersion = 1;
  let closedMedia = 0;
  let mediaOpened = 0;
  let core: SiprecSrcCore | undefined;
  const srs = (over: Partial<SrsAnswerOptions> = {}) => srsOptions({ ...script.srs, ...over });

  const toSrc = (message: SipMessage, afterMs = ONE_WAY_MS) => {
    const bytes = serialiseSip(message);
    clock.setTimeout(() => {
      wire.push({ atMs: clock.nowMs(), to: 'src', message, lost: false });
      core?.receiveDatagram(bytes);
    }, afterMs);
  };

  const recorder = (request: SipRequest) => {
    const hasTag = /;\s*tag=/.test(headerValue(request, 'To') ?? '');
    if (request.method === 'ACK' || script.silent) return;
    if (request.method === 'INVITE' && !hasTag) {
      if (script.trying) toSrc(buildResponse(request, 100), ONE_WAY_MS);
      if (script.refuse !== undefined) {
        const { status, reason, reasonHeader } = script.refuse;
        toSrc(
          buildResponse(request, status, {
            toTag: 'srs-9e2f',
            ...(reason === undefined ? {} : { reason }),
            headers: reasonHeader === undefined ? [] : [{ name: 'Reason', value: reasonHeader }],
          }),
          ONE_WAY_MS + (script.answerDelayMs ?? 0),
        );
        return;
      }
      const decision = answerRecordingInvite(request, srs());
      if (decision.ok) offer = decision.offer;
      if (script.answerDelayMs !== undefined && script.trying && script.answerCancel) return;
      toSrc(decision.response, ONE_WAY_MS + (script.answerDelayMs ?? 0));
      return;
    }
    if (request.method === 'INVITE' && offer !== undefined) {
      sdpVersion++;
      const decision = answerRecordingReInvite(request, offer, srs({ sdpVersion }));
      if (decision.ok) offer = decision.offer;
      toSrc(decision.response);
      return;
    }
    if (request.method === 'CANCEL') {
      toSrc(buildResponse(request, 200));
      if (script.answerCancel) {
        const invite = wire.find((w) => w.message.kind === 'request' && w.message.method === 'INVITE')
          ?.message as SipRequest;
        toSrc(buildResponse(invite, 487, { toTag: 'srs-9e2f' }));
      }
      return;
    }
    if (request.method === 'BYE' && script.ignoreBye) return;
    const status = request.method === 'INFO' ? (script.infoStatus ?? 200) : 200;
    toSrc(buildResponse(request, status));
  };

  core = createSiprecSrcCore({
    clock,
    target: 'sip:srs@127.0.0.1:5060',
    seed: 'test-seed',
    epochOffsetMs: Date.UTC(2026, 2, 2, 9, 15, 0),
    onEvent: (e) => events.push(e),
    ...options,
    transport: {
      local: { host: '127.0.0.1', port: 5070, transport: options.tcp ? 'TCP' : 'UDP' },
      sendSip(bytes) {
        const parsed = parseSipDatagram(bytes);
        if (!parsed.ok) throw new Error(`the SRC sent an unreadable message: ${parsed.fault.message}`);
        const message = parsed.message;
        let lost = false;
        if (message.kind === 'request' && message.method === 'INVITE') {
          if (!/;\s*tag=/.test(headerValue(message, 'To') ?? '')) {
            invitesSeen++;
            lost = invitesSeen <= (script.dropInvites ?? 0);
          }
        }
        wire.push({ atMs: clock.nowMs(), to: 'srs', message, lost });
        if (lost) return;
        clock.setTimeout(() => {
          if (message.kind === 'request') recorder(message);
        }, ONE_WAY_MS);
      },
      openMedia() {
        const n = mediaOpened++;
        return {
          address: '127.0.0.1',
          userPort: 40_000 + 4 * n,
          remotePort: 40_002 + 4 * n,
          send: (label, bytes, to) => rtp.push({ atMs: clock.nowMs(), label, bytes, to }),
          close: () => {
            closedMedia++;
          },
        };
      },
    },
  });

  const requests = (method: string) =>
    wire
      .filter((w) => w.to === 'srs' && w.message.kind === 'request' && w.message.method === method)
      .map((w) => w.message as SipRequest);

  return {
    clock,
    core,
    wire,
    rtp,
    events,
    mediaClosed: () => closedMedia,
    sent: requests,
    received: (status) =>
      wire
        .filter((w) => w.to === 'src' && w.message.kind === 'response' && w.message.status === status)
        .map((w) => w.message as SipResponse),
    async run(ms) {
      await flush();
      clock.advanceBy(ms);
      await flush();
    },
    recorderSends(request) {
      toSrc(request, 0);
    },
    offer: () => offer,
  };
}

/** A BYE from the recorder inside the dialog the platform's INVITE started. */
export function recorderBye(invite: SipRequest): SipRequest {
  return sipRequest({
    method: 'BYE',
    uri: 'sip:webex-src@127.0.0.1:5070',
    headers: [
      { name: 'Via', value: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-srs-bye-1' },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: `<sip:srs@127.0.0.1:5060>;tag=srs-9e2f` },
      { name: 'To', value: headerValue(invite, 'From') ?? '' },
      { name: 'Call-ID', value: headerValue(invite, 'Call-ID') ?? '' },
      { name: 'CSeq', value: '1 BYE' },
    ],
  });
}

export { bodyText, headerValue };
