/**
 * A fake Dubber with its SIPREC adapter on the virtual clock and an in-memory transport: what the adapter
 * sends is parsed back, RTP goes straight to the port handlers, and an SRC built from the pure SIPREC
 * builders talks to it. No sockets.
 */
import { createSessionHub } from '../../../src/dubber/ingest/session-hub.ts';
import { DEFAULT_SINK_LIMITS } from '../../../src/dubber/limits.ts';
import { createPortal } from '../../../src/dubber/portal.ts';
import { createProvisioning } from '../../../src/dubber/provisioning.ts';
import {
  createSiprecAdapter,
  type SiprecAdapterOptions,
  type SiprecEvent,
} from '../../../src/dubber/siprec/siprec-adapter.ts';
import type { SiprecLimits } from '../../../src/dubber/siprec/siprec-limits.ts';
import type { RtpSource, SipPeer } from '../../../src/dubber/siprec/siprec-transport.ts';
import { directoryOfUsers } from '../../../src/dubber/siprec/user-directory.ts';
import { createSqliteStore } from '../../../src/dubber/store/sqlite/sqlite-store.ts';
import { parseSipDatagram } from '../../../src/protocol/sip/parse-sip.ts';
import { serialiseSip } from '../../../src/protocol/sip/serialise-sip.ts';
import { bodyText, type SipMessage, type SipResponse } from '../../../src/protocol/sip/sip-message.ts';
import { parseRecordingSdp } from '../../../src/protocol/siprec/recording-sdp.ts';
import {
  acceptRecordingAnswer,
  buildPauseReInvite,
  buildRecordingAck,
  buildRecordingBye,
  createRecordingInvite,
  type SrcDialog,
  type SrcRecordingSpec,
} from '../../../src/protocol/siprec/src-session.ts';
import { createVirtualClock } from '../../../src/time/virtual-clock.ts';
import { dubPointOf, provisionWorld } from '../../harness/helpers.ts';
import { srcSpec } from '../../protocol/siprec-fixtures.ts';

export const SRC_PEER: SipPeer = { transport: 'udp', address: '127.0.0.1', port: 5070 };
const RTP_FROM: RtpSource = { address: '127.0.0.1', port: 40_000 };

/** Alice's recording session as the platform would send it (her dub.point from the provisioned world). */
export function aliceSpec(overrides: Partial<SrcRecordingSpec> = {}): SrcRecordingSpec {
  const dp = dubPointOf('alice');
  return srcSpec({
    dubPoint: {
      serviceProvider: dp.serviceProvider,
      externalGroup: dp.externalGroup,
      externalIdentifier: dp.externalIdentifier,
    },
    ...overrides,
  });
}

export function createSrsWorld(
  options: {
    limits?: Partial<SiprecLimits>;
    directory?: SiprecAdapterOptions['directory'];
    sinkLimits?: Partial<typeof DEFAULT_SINK_LIMITS>;
  } = {},
) {
  const clock = createVirtualClock();
  const store = createSqliteStore({ path: ':memory:' });
  const provisioning = createProvisioning(store, clock);
  provisionWorld(provisioning);
  const hub = createSessionHub({
    store,
    clock,
    limits: { ...DEFAULT_SINK_LIMITS, ...options.sinkLimits },
    scheduleFlush: (flush) => queueMicrotask(flush),
  });
  const sent: { peer: SipPeer; message: SipMessage; bytes: Uint8Array }[] = [];
  /** Every SIP message in order, both ways (what the SRC delivered, what the SRS sent). */
  const wire: { from: 'src' | 'srs'; message: SipMessage }[] = [];
  const unparsable: Uint8Array[] = [];
  const ports = new Map<number, (d: Uint8Array, from: RtpSource) => void>();
  const events: SiprecEvent[] = [];
  let nextPort = 50_000;
  let closedPortHits = 0;
  const adapter = createSiprecAdapter({
    hub,
    clock,
    transport: {
      sendSip(peer, bytes) {
        const parsed = parseSipDatagram(bytes);
        if (parsed.ok) {
          sent.push({ peer, message: parsed.message, bytes });
          wire.push({ from: 'srs', message: parsed.message });
        } else unparsable.push(bytes);
      },
      async openRtpPort(onDatagram) {
        const port = nextPort;
        nextPort += 2;
        ports.set(port, onDatagram);
        return { port, close: () => void ports.delete(port) };
      },
    },
    directory: options.directory ?? directoryOfUsers((id) => provisioning.getUser(id)),
    local: { host: '127.0.0.1', port: 5060 },
    mediaAddress: '127.0.0.1',
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    onEvent: (e) => events.push(e),
  });
  const token = provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
  const portal = createPortal(store, clock);

  /** Lets the adapter's async answers and the hub's microtask commits run. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await adapter.settled();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const deliver = async (message: SipMessage, peer: SipPeer = SRC_PEER) => {
    wire.push({ from: 'src', message });
    adapter.receiveDatagram(serialiseSip(message), peer);
    await settle();
  };
  const rtp = (port: number, datagram: Uint8Array) => {
    const handler = ports.get(port);
    if (handler === undefined) closedPortHits += 1;
    else handler(datagram, RTP_FROM);
  };
  const responses = () => sent.map((s) => s.message).filter((m): m is SipResponse => m.kind === 'response');
  const lastResponse = () => responses().at(-1) as SipResponse;

  /** The SRC's side of one recording session, driven step by step. */
  async function call(spec: SrcRecordingSpec = aliceSpec()) {
    let branch = 0;
    const nextBranch = () => `z9hG4bK-t${++branch}`;
    const invite = createRecordingInvite(spec, nextBranch());
    let dialog: SrcDialog = invite.dialog;
    await deliver(invite.request);
    const answer = lastResponse();
    const session = {
      invite: invite.request,
      answer,
      get dialog() {
        return dialog;
      },
      /** Receive ports of label 1 and 2 from the answer. */
      ports: [] as number[],
      async ack() {
        await deliver(buildRecordingAck(dialog, nextBranch()));
      },
      async pause(paused: boolean) {
        const re = buildPauseReInvite(dialog, paused, nextBranch());
        dialog = re.dialog;
        await deliver(re.request);
        const ok = lastResponse();
        const accepted = acceptRecordingAnswer(dialog, ok, bodyText(ok));
        if (accepted.ok) dialog = accepted.value.dialog;
        return ok;
      },
      async bye() {
        const bye = buildRecordingBye(dialog, nextBranch());
        dialog = bye.dialog;
        await deliver(bye.request);
        return lastResponse();
      },
    };
    if (answer.status === 200) {
      const accepted = acceptRecordingAnswer(dialog, answer, bodyText(answer));
      if (accepted.ok) dialog = accepted.value.dialog;
      const sdp = parseRecordingSdp(bodyText(answer));
      if (sdp.ok) session.ports = sdp.value.streams.map((s) => s.port);
    }
    return session;
  }

  return {
    clock,
    store,
    provisioning,
    hub,
    adapter,
    sent,
    wire,
    unparsable,
    events,
    portal,
    token,
    settle,
    deliver,
    rtp,
    responses,
    lastResponse,
    call,
    openPorts: () => ports.size,
    closedPortHits: () => closedPortHits,
  };
}
