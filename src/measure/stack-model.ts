/**
 * The delay model set up as a measured run was: one loopback host candidate per agent (no gathering, host
 * path), each stack's ICE timing behaviour, the emulated paths' delays and loss as the emulator delivered
 * them (requested + its measured per-hop cost), and the recorder's answer times measured in the same run.
 */

import {
  createDelayParams,
  type DelayModelParams,
  type Distribution,
  distributionFromSamples,
  type IceConditions,
} from '../delay/index.ts';
import type { Rng } from '../time/index.ts';
import type { IceStackName } from './ice-stack.ts';

type IceProfile = Pick<
  IceConditions,
  'taMs' | 'retransmission' | 'nomination' | 'completion' | 'controlledCompletion' | 'mediaOnValidPair'
>;

/**
 * werift-ice 0.2.3 (read from its ice.js / transaction.js): `connect()` starts one check per 20 ms tick and
 * returns at a tick while still pacing; STUN RTO 50 ms doubling, 5 sends, the last waiting 16 × 50 ms;
 * the controlling agent sets USE-CANDIDATE on every check (aggressive); the controlled agent completes on
 * its own check of the nominated pair.
 */
export const WERIFT_PROFILE: IceProfile = {
  taMs: 20,
  retransmission: { rtoMs: 50, maxAttempts: 5, finalWaitFactor: 16 },
  nomination: 'aggressive',
  completion: 'next-pacing-tick',
  controlledCompletion: 'own-check',
  mediaOnValidPair: false,
};

/**
 * libdatachannel (libjuice): RFC 8445 pacing (Ta 50 ms), STUN RTO 500 ms doubling (RFC 5389), regular
 * nomination, media (ICE "connected") on the first valid pair — its state machine reports connected
 * before nomination completes.
 */
export const LIBDATACHANNEL_PROFILE: IceProfile = {
  taMs: 50,
  retransmission: { rtoMs: 500, maxAttempts: 7, finalWaitFactor: 16 },
  nomination: 'regular',
  completion: 'on-success',
  controlledCompletion: 'on-nomination',
  mediaOnValidPair: true,
};

export const ICE_PROFILES: Readonly<Record<IceStackName, IceProfile>> = {
  werift: WERIFT_PROFILE,
  libdatachannel: LIBDATACHANNEL_PROFILE,
};

export interface CellModelInput {
  readonly stack: IceStackName;
  /** One-way delay of the direct path as requested plus the emulator's fixed per-hop cost. */
  readonly directOneWayMs: number;
  /**
   * How late the emulator delivered each packet in this cell (timers, event-loop lag under load): each
   * modelled call draws one lateness per direction of its round trip from these, so the model meets the
   * delays as delivered, spread included. Empty: none.
   */
  readonly lateSamplesMs: readonly number[];
  readonly rng: Rng;
  readonly lossRate: number;
  readonly cloudDetourOneWayMs: number;
  /** Platform ↔ recorder round trip as delivered. */
  readonly recorderRttMs: number;
  readonly recorderAnswerMs: readonly number[];
  readonly announcementMs: number;
}

/** Round trips as delivered: 2 × one-way plus two lateness draws (one per direction), 2,000 of them. */
function deliveredRtt(input: CellModelInput): Distribution {
  const base = 2 * input.directOneWayMs;
  const late = input.lateSamplesMs;
  if (late.length === 0) return { kind: 'fixed', valueMs: base };
  const pick = () => late[Math.floor(input.rng.nextFloat() * late.length)] as number;
  return distributionFromSamples(Array.from({ length: 2000 }, () => base + pick() + pick()));
}

export function cellModelParams(input: CellModelInput): DelayModelParams {
  return createDelayParams({
    network: {
      rttMs: deliveredRtt(input),
      lossRate: input.lossRate,
      cloudDetourOneWayMs: input.cloudDetourOneWayMs,
      // The measured parties send a packet every 20 ms, each subject to the emulated loss.
      audioLossPacketMs: 20,
      ice: {
        ...ICE_PROFILES[input.stack],
        candidates: { host: 1, srflx: false, relay: false },
        path: 'host',
        trickle: false,
      },
    },
    recording: {
      announcement: input.announcementMs > 0,
      announcementMs: input.announcementMs,
      recorderRttMs: input.recorderRttMs,
      recorderAnswerMs: distributionFromSamples(input.recorderAnswerMs),
      recorderAvailability: 1,
      recordedLegIce: 'peer',
    },
  });
}
