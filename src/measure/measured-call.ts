/**
 * One measured call in one of the four configurations, with real sockets through the emulated WAN:
 * t = 0 is the answer. The callee takes the offer, starts its checks and sends its answer over signalling;
 * the caller takes it and checks; with recording on, the platform opens the recording session at answer and
 * holds both parties until the recorder has answered and both media paths are up, then plays the start
 * announcement. Each party sends a 20 ms audio packet as soon as it may and every 20 ms after; the call's
 * delay is when the later of the two parties receives its first packet.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { DelayConfig } from '../delay/index.ts';
import type { Rng } from '../time/index.ts';
import {
  createUdpPairRelay,
  type DirectionStats,
  LOOPBACK,
  type PathImpairment,
  type UdpPairRelay,
  type WanClock,
} from '../wan/index.ts';
import { candidateAddress, type IceDescription, type IceStack, rewriteCandidate } from './ice-stack.ts';
import type { RecorderLink } from './recorder-link.ts';
import type { SignallingLink } from './signalling-link.ts';

export const AUDIO_PACKET_MS = 20;
const AUDIO_PACKET = Buffer.alloc(172);

export interface CallPaths {
  /** Device to device (what ICE finds). */
  readonly direct: PathImpairment;
  /** Via the cloud media node (media without ICE, or recorded). */
  readonly cloud: PathImpairment;
}

export interface MeasuredCallInput {
  readonly callId: string;
  readonly config: DelayConfig;
  readonly stack: IceStack;
  readonly paths: CallPaths;
  readonly signalling: SignallingLink;
  readonly recorder: RecorderLink;
  readonly announcementMs: number;
  readonly clock: WanClock;
  readonly rng: Rng;
  /** A call not connected by then counts as failed. */
  readonly timeoutMs: number;
}

export interface MeasuredCall {
  readonly ok: boolean;
  /** Answer → both parties have heard each other's first packet (ms; NaN when not ok). */
  readonly totalMs: number;
  /** When each agent let media flow (ICE) or could send (no ICE). */
  readonly callerReadyMs: number;
  readonly calleeReadyMs: number;
  /** When the recorder answered (NaN without recording). */
  readonly recorderMs: number;
  readonly relays: readonly DirectionStats[];
  readonly error?: string;
}

function bindMedia(): Promise<Socket> {
  const s = createSocket('udp4');
  return new Promise((resolve) => s.bind(0, LOOPBACK, () => resolve(s)));
}

const rewriteAll = (d: IceDescription, to: { address: string; port: number }): IceDescription => ({
  opaque: d.opaque,
  candidates: d.candidates.map((c) => rewriteCandidate(c, to)),
});

/** The first candidate's real address (each agent gathers one loopback host candidate). */
function firstAddress(d: IceDescription): { address: string; port: number } {
  for (const c of d.candidates) {
    const a = candidateAddress(c);
    if (a !== undefined) return a;
  }
  throw new Error('no candidate in the description');
}

export async function measureCall(input: MeasuredCallInput): Promise<MeasuredCall> {
  const { clock, config, paths } = input;
  const closers: (() => Promise<unknown>)[] = [];
  const relays: UdpPairRelay[] = [];
  const timers: unknown[] = [];
  try {
    // Caller = A, callee = B on every relay.
    const mediaRelay = await createUdpPairRelay({
      clock,
      aToB: config.ice && !config.recording ? paths.direct : paths.cloud,
      bToA: config.ice && !config.recording ? paths.direct : paths.cloud,
      rng: input.rng.fork('media'),
    });
    relays.push(mediaRelay);
    closers.push(() => mediaRelay.close());
    const iceRelay = config.ice
      ? await createUdpPairRelay({
          clock,
          aToB: paths.direct,
          bToA: paths.direct,
          rng: input.rng.fork('ice'),
        })
      : undefined;
    if (iceRelay !== undefined) {
      relays.push(iceRelay);
      closers.push(() => iceRelay.close());
    }

    // Set-up before the answer: the caller gathers and offers; both have a media socket.
    const ice = config.ice ? await input.stack.createCaller() : undefined;
    const callee = config.ice ? await input.stack.createCallee() : undefined;
    if (ice !== undefined) closers.push(() => ice.caller.close());
    if (callee !== undefined) closers.push(() => callee.close());
    // With ICE off (or media not on the ICE path) media uses plain sockets through the media relay.
    const overIce = config.ice && !config.recording && ice?.caller.carriesMedia === true;
    const [mediaA, mediaB] = await Promise.all([bindMedia(), bindMedia()]);
    closers.push(async () => {
      mediaA.close();
      mediaB.close();
    });
    mediaRelay.setA({ address: LOOPBACK, port: mediaA.address().port });
    mediaRelay.setB({ address: LOOPBACK, port: mediaB.address().port });
    if (ice !== undefined && iceRelay !== undefined) iceRelay.setA(firstAddress(ice.offer));

    const heard = { a: Number.NaN, b: Number.NaN };
    let finish: () => void = () => {};
    const bothHeard = new Promise<void>((r) => {
      finish = r;
    });
    const onHeard = (who: 'a' | 'b') => () => {
      if (!Number.isNaN(heard[who])) return;
      heard[who] = clock.nowMs();
      if (!Number.isNaN(heard.a) && !Number.isNaN(heard.b)) finish();
    };
    if (overIce && ice !== undefined && callee !== undefined) {
      ice.caller.onPacket(onHeard('a'));
      callee.onPacket(onHeard('b'));
    } else {
      mediaA.on('message', onHeard('a'));
      mediaB.on('message', onHeard('b'));
    }
    const startSending = (who: 'a' | 'b') => {
      const send = (): void => {
        if (overIce) (who === 'a' ? ice?.caller : callee)?.send(AUDIO_PACKET);
        else if (who === 'a') mediaA.send(AUDIO_PACKET, mediaRelay.faceForA.port, LOOPBACK);
        else mediaB.send(AUDIO_PACKET, mediaRelay.faceForB.port, LOOPBACK);
      };
      send();
      const tick = (): void => {
        if (!Number.isNaN(heard.a) && !Number.isNaN(heard.b)) return;
        send();
        timers.push(clock.setTimeout(tick, AUDIO_PACKET_MS));
      };
      timers.push(clock.setTimeout(tick, AUDIO_PACKET_MS));
    };

    // t = 0: the call is answered.
    const t0 = clock.nowMs();
    const since = () => clock.nowMs() - t0;
    const recorderAnswered = config.recording
      ? input.recorder.open(input.callId).then(() => since())
      : Promise.resolve(Number.NaN);
    let callerReady: Promise<number>;
    let calleeReady: Promise<number>;
    if (ice !== undefined && callee !== undefined && iceRelay !== undefined) {
      const offer = rewriteAll(ice.offer, iceRelay.faceForB);
      const answer = await callee.answer(offer);
      iceRelay.setB(firstAddress(answer));
      input.signalling.send(input.callId, JSON.stringify(answer));
      calleeReady = callee.ready.then(() => since());
      callerReady = input.signalling.receive(input.callId).then(async (text) => {
        ice.caller.acceptAnswer(rewriteAll(JSON.parse(text) as IceDescription, iceRelay.faceForA));
        await ice.caller.ready;
        return since();
      });
    } else {
      // No ICE: the callee can send at once; the caller once the answer has reached it.
      input.signalling.send(input.callId, '{}');
      calleeReady = Promise.resolve(0);
      callerReady = input.signalling.receive(input.callId).then(() => since());
    }
    const timeout = new Promise<never>((_, reject) => {
      timers.push(clock.setTimeout(() => reject(new Error('timed out')), input.timeoutMs));
    });
    if (config.recording) {
      const [a, b, gate] = await Promise.race([
        Promise.all([callerReady, calleeReady, recorderAnswered]),
        timeout,
      ]);
      const talkFromMs = Math.max(a, b, gate) + input.announcementMs;
      const wait = Math.max(0, talkFromMs - since());
      await new Promise<void>((r) => timers.push(clock.setTimeout(r, wait)));
      startSending('a');
      startSending('b');
      await Promise.race([bothHeard, timeout]);
      return result(true, heard, t0, a, b, gate, relays);
    }
    const ready = Promise.all([
      callerReady.then((ms) => {
        startSending('a');
        return ms;
      }),
      calleeReady.then((ms) => {
        startSending('b');
        return ms;
      }),
    ]);
    const [a, b] = await Promise.race([ready, timeout]);
    await Promise.race([bothHeard, timeout]);
    return result(true, heard, t0, a, b, Number.NaN, relays);
  } catch (error) {
    return {
      ok: false,
      totalMs: Number.NaN,
      callerReadyMs: Number.NaN,
      calleeReadyMs: Number.NaN,
      recorderMs: Number.NaN,
      relays: relays.flatMap((r) => Object.values(r.stats())),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    for (const t of timers) clock.clearTimeout(t);
    if (config.recording) await input.recorder.close(input.callId);
    await Promise.allSettled(closers.reverse().map((c) => c()));
  }
}

function result(
  ok: boolean,
  heard: { a: number; b: number },
  t0: number,
  callerReadyMs: number,
  calleeReadyMs: number,
  recorderMs: number,
  relays: readonly UdpPairRelay[],
): MeasuredCall {
  return {
    ok,
    totalMs: Math.max(heard.a, heard.b) - t0,
    callerReadyMs,
    calleeReadyMs,
    recorderMs,
    relays: relays.flatMap((r) => Object.values(r.stats())),
  };
}
