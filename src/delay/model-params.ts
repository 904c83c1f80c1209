/**
 * Inputs of the start-of-call delay model — network conditions and recording settings — with defaults
 * (each one an assumption named in docs/delay-model.md) and validation that names the bad field.
 */
import { SimError } from '../errors.ts';
import type { CandidateSet, NetworkPath } from './candidates.ts';
import { type Distribution, validateDistribution } from './distribution.ts';
import { RFC5389_RETRANSMISSION, type StunRetransmission } from './stun-transaction.ts';

/** RFC 8445 §8.1.1: regular nomination re-checks the chosen pair with USE-CANDIDATE; aggressive does not. */
export type Nomination = 'regular' | 'aggressive';

/**
 * When the agent lets media flow: `on-success` as soon as its pair is valid/nominated (RFC 8445 §12.1);
 * `next-pacing-tick` only at the next Ta tick of its check loop (werift-ice 0.2.3: `connect()` sleeps Ta
 * after each started check and only then returns, and `send()` is gated until it has returned).
 */
export type IceCompletion = 'on-success' | 'next-pacing-tick';

/**
 * When the controlled (answering) agent lets media flow: `on-nomination` (RFC 8445 §7.3.1.5: the nominating
 * request on a pair it has validated, or the triggered check that request starts) — never later than the
 * controlling agent, so off the critical path; `own-check` (werift-ice 0.2.3): only once its *own* check on
 * the nominated pair has succeeded, and a request arriving on a pair it is already checking (In-Progress)
 * starts no triggered check, so a lost send of its own check costs a retransmission timeout.
 */
export type ControlledCompletion = 'on-nomination' | 'own-check';

// What the platform does when the recorder has not answered within the wait: the domain's list.
export { FAILURE_BEHAVIOURS, type FailureBehaviour } from '../domain/recorder.ts';

import { FAILURE_BEHAVIOURS, type FailureBehaviour } from '../domain/recorder.ts';

/**
 * ICE on a recorded call. Recorded media must pass the cloud (facts.md), so the direct path ICE finds
 * cannot carry it. How the platform squares that is not public; the model offers three readings:
 * `peer` (default) — ICE still runs end to end as configured, then media is sent via the cloud anyway;
 * `anchor` — the device runs ICE against the cloud media anchor (ICE-lite) instead of the peer;
 * `off` — the platform strips ICE from recorded calls, so ICE costs nothing.
 */
export const RECORDED_LEG_ICE = ['peer', 'anchor', 'off'] as const;
export type RecordedLegIce = (typeof RECORDED_LEG_ICE)[number];

/** The platform waits 1,000–10,000 ms for the recorder (facts.md, BroadWorks). */
export const RECORDER_WAIT_MS = { min: 1000, max: 10_000 } as const;

export interface IceConditions {
  /** Pacing between new checks (RFC 8445 §14.2: default 50 ms, never below 5 ms; werift-ice uses 20 ms). */
  readonly taMs: number;
  readonly retransmission: StunRetransmission;
  /** Candidates each endpoint gathers (both endpoints alike). */
  readonly candidates: CandidateSet;
  readonly path: NetworkPath;
  /** RFC 8838: candidates are sent as they are found, so checks overlap gathering. */
  readonly trickle: boolean;
  readonly nomination: Nomination;
  /** RFC 8445 §12.1 lets media flow on a valid pair before nomination; default waits for nomination. */
  readonly mediaOnValidPair: boolean;
  readonly completion: IceCompletion;
  readonly controlledCompletion: ControlledCompletion;
}

export interface NetworkConditions {
  /** Round-trip time of the direct endpoint-to-endpoint path, one draw per call. */
  readonly rttMs: Distribution;
  /** Probability that any one UDP packet (STUN request or response) is lost, independently. */
  readonly lossRate: number;
  /**
   * Extra one-way time of the path through the cloud media node over the direct path (hairpin to a regional
   * node plus its processing). Signalling, STUN/TURN servers and un-optimised media all use the cloud path.
   */
  readonly cloudDetourOneWayMs: number;
  /**
   * Audio packet interval (ms) when the first audio packets are subject to `lossRate` too: each party's
   * first packet that gets through is the k-th, k geometric, and the later of the two is what both parties
   * wait for — `interval × max(k_caller, k_callee)` more transit. 0 (the default) leaves audio loss out.
   */
  readonly audioLossPacketMs: number;
  readonly ice: IceConditions;
}

export interface RecordingConditions {
  /** S24: the start announcement; the parties hear each other only after it. */
  readonly announcement: boolean;
  readonly announcementMs: number;
  /** Round trip between the platform and the recorder for the SIPREC INVITE / 200 OK (RFC 7866). */
  readonly recorderRttMs: number;
  /** The recorder's own time to answer a SIPREC INVITE; `samples` can hold a real sink's open→opened times. */
  readonly recorderAnswerMs: Distribution;
  readonly recorderWaitMs: number;
  /** Probability that the recorder answers at all. */
  readonly recorderAvailability: number;
  readonly failureBehaviour: FailureBehaviour;
  /** The announcement played by the failure behaviours `…WITH_ANNOUNCEMENT`. */
  readonly failureAnnouncementMs: number;
  readonly recordedLegIce: RecordedLegIce;
}

export interface DelayModelParams {
  readonly network: NetworkConditions;
  readonly recording: RecordingConditions;
}

export const DEFAULT_DELAY_PARAMS: DelayModelParams = {
  network: {
    rttMs: { kind: 'lognormal', medianMs: 60, sigma: 0.5 },
    lossRate: 0.01,
    cloudDetourOneWayMs: 20,
    audioLossPacketMs: 0,
    ice: {
      taMs: 50,
      retransmission: RFC5389_RETRANSMISSION,
      candidates: { host: 1, srflx: true, relay: true },
      path: 'srflx',
      trickle: false,
      nomination: 'regular',
      mediaOnValidPair: false,
      completion: 'on-success',
      controlledCompletion: 'on-nomination',
    },
  },
  recording: {
    announcement: false,
    announcementMs: 3000,
    recorderRttMs: 40,
    recorderAnswerMs: { kind: 'lognormal', medianMs: 150, sigma: 0.5 },
    recorderWaitMs: 5000,
    recorderAvailability: 0.999,
    failureBehaviour: 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT',
    failureAnnouncementMs: 3000,
    recordedLegIce: 'peer',
  },
};

/** Partial inputs, merged over the defaults field by field. */
export interface DelayParamsInput {
  readonly network?: Partial<Omit<NetworkConditions, 'ice'>> & {
    readonly ice?: Partial<Omit<IceConditions, 'candidates' | 'retransmission'>> & {
      readonly candidates?: Partial<CandidateSet>;
      readonly retransmission?: Partial<StunRetransmission>;
    };
  };
  readonly recording?: Partial<RecordingConditions>;
}

/** Defaults overlaid with `input`, validated as a whole (throws SIM_ERR_INVALID_ARGUMENT). */
export function createDelayParams(
  input: DelayParamsInput = {},
  base = DEFAULT_DELAY_PARAMS,
): DelayModelParams {
  const n = input.network ?? {};
  const ice = n.ice ?? {};
  const params: DelayModelParams = {
    network: {
      ...base.network,
      ...stripUndefined(n),
      ice: {
        ...base.network.ice,
        ...stripUndefined(ice),
        candidates: { ...base.network.ice.candidates, ...stripUndefined(ice.candidates ?? {}) },
        retransmission: { ...base.network.ice.retransmission, ...stripUndefined(ice.retransmission ?? {}) },
      },
    },
    recording: { ...base.recording, ...stripUndefined(input.recording ?? {}) },
  };
  validateDelayParams(params);
  return params;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function fail(field: string, value: unknown, allowed: string): never {
  throw new SimError(
    'SIM_ERR_INVALID_ARGUMENT',
    `Invalid delay-model input ${field} = ${JSON.stringify(value)}; allowed: ${allowed}.`,
    { details: { field, value, allowed } },
  );
}

const finiteAtLeast = (v: number, min: number): boolean => Number.isFinite(v) && v >= min;

export function validateDelayParams(p: DelayModelParams): void {
  const { network: net, recording: rec } = p;
  const { ice } = net;
  validateDistribution(net.rttMs, 'network.rttMs');
  if (!(net.lossRate >= 0 && net.lossRate < 1))
    fail('network.lossRate', net.lossRate, 'a probability in [0, 1)');
  if (!finiteAtLeast(net.cloudDetourOneWayMs, 0))
    fail('network.cloudDetourOneWayMs', net.cloudDetourOneWayMs, 'a finite delay ≥ 0 ms');
  if (!(finiteAtLeast(net.audioLossPacketMs, 0) && net.audioLossPacketMs <= 1000))
    fail(
      'network.audioLossPacketMs',
      net.audioLossPacketMs,
      'an audio packet interval from 0 (off) to 1,000 ms',
    );
  if (!finiteAtLeast(ice.taMs, 5)) fail('network.ice.taMs', ice.taMs, 'at least 5 ms (RFC 8445 §14.2)');
  const r = ice.retransmission;
  if (!finiteAtLeast(r.rtoMs, 1)) fail('network.ice.retransmission.rtoMs', r.rtoMs, 'a finite RTO ≥ 1 ms');
  if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1 || r.maxAttempts > 20)
    fail('network.ice.retransmission.maxAttempts', r.maxAttempts, 'a whole number of sends from 1 to 20');
  if (!finiteAtLeast(r.finalWaitFactor, 1))
    fail('network.ice.retransmission.finalWaitFactor', r.finalWaitFactor, 'a finite factor ≥ 1');
  const c = ice.candidates;
  if (!Number.isInteger(c.host) || c.host < 1 || c.host > 16)
    fail('network.ice.candidates.host', c.host, 'a whole number of host candidates from 1 to 16');
  if (ice.path === 'srflx' && !c.srflx && !c.relay)
    fail('network.ice.path', ice.path, 'a path the candidates can cross: enable srflx or relay candidates');
  if (ice.path === 'relay' && !c.relay)
    fail('network.ice.path', ice.path, 'a path the candidates can cross: enable relay candidates');
  if (!['host', 'srflx', 'relay'].includes(ice.path))
    fail('network.ice.path', ice.path, 'host, srflx or relay');
  if (!['regular', 'aggressive'].includes(ice.nomination))
    fail('network.ice.nomination', ice.nomination, 'regular or aggressive');
  if (!['on-success', 'next-pacing-tick'].includes(ice.completion))
    fail('network.ice.completion', ice.completion, 'on-success or next-pacing-tick');
  if (!['on-nomination', 'own-check'].includes(ice.controlledCompletion))
    fail('network.ice.controlledCompletion', ice.controlledCompletion, 'on-nomination or own-check');
  if (!finiteAtLeast(rec.announcementMs, 0))
    fail('recording.announcementMs', rec.announcementMs, 'a finite duration ≥ 0 ms');
  if (!finiteAtLeast(rec.failureAnnouncementMs, 0))
    fail('recording.failureAnnouncementMs', rec.failureAnnouncementMs, 'a finite duration ≥ 0 ms');
  if (!finiteAtLeast(rec.recorderRttMs, 0))
    fail('recording.recorderRttMs', rec.recorderRttMs, 'a finite delay ≥ 0 ms');
  validateDistribution(rec.recorderAnswerMs, 'recording.recorderAnswerMs');
  if (!(rec.recorderWaitMs >= RECORDER_WAIT_MS.min && rec.recorderWaitMs <= RECORDER_WAIT_MS.max))
    fail(
      'recording.recorderWaitMs',
      rec.recorderWaitMs,
      `${RECORDER_WAIT_MS.min}–${RECORDER_WAIT_MS.max} ms (BroadWorks)`,
    );
  if (!(rec.recorderAvailability >= 0 && rec.recorderAvailability <= 1))
    fail('recording.recorderAvailability', rec.recorderAvailability, 'a probability in [0, 1]');
  if (!(FAILURE_BEHAVIOURS as readonly string[]).includes(rec.failureBehaviour))
    fail('recording.failureBehaviour', rec.failureBehaviour, FAILURE_BEHAVIOURS.join(', '));
  if (!(RECORDED_LEG_ICE as readonly string[]).includes(rec.recordedLegIce))
    fail('recording.recordedLegIce', rec.recordedLegIce, RECORDED_LEG_ICE.join(', '));
}
