/**
 * The ICE leg of the start-of-call delay (RFC 8445, RFC 8838): gathering, paced connectivity checks with
 * STUN retransmission under loss, triggered checks, nomination, and when the agent lets media flow.
 */

import { type CallWorld, CHECK_KIND, checkSlot, LOSS_SLOT } from './call-world.ts';
import type { CandidateType, PlannedPair } from './candidates.ts';
import { buildAnchorCheckList, buildCheckList } from './candidates.ts';
import { gatheringTiming } from './gathering.ts';
import type { IceConditions } from './model-params.ts';
import { nextTickMs, pacedStartTimes } from './pacing.ts';
import {
  attemptLossProbability,
  failedAttempts,
  sendOffsetMs,
  transactionTiming,
} from './stun-transaction.ts';

/** `peer`: caller and answerer check each other; `anchor`: the answerer checks the cloud media anchor. */
export type IceLegMode = 'peer' | 'anchor';

export interface IcePlan {
  readonly mode: IceLegMode;
  /** The controlling agent's check list: the caller's (peer) or the answerer's (anchor). */
  readonly checks: readonly PlannedPair[];
  /** The controlled agent's check list; each of its checks that arrives triggers one back (RFC 8445 §7.3.1.4). */
  readonly peerChecks: readonly PlannedPair[];
}

export function createIcePlan(ice: IceConditions, mode: IceLegMode): IcePlan {
  if (mode === 'anchor') {
    // The anchor is ICE-lite: it answers checks but sends none, so nothing is triggered.
    return { mode, checks: buildAnchorCheckList(ice.candidates), peerChecks: [] };
  }
  const c = ice.candidates;
  return {
    mode,
    checks: buildCheckList({
      local: c,
      remote: c,
      localIsControlling: true,
      localIsAnswerer: false,
      path: ice.path,
    }),
    peerChecks: buildCheckList({
      local: c,
      remote: c,
      localIsControlling: false,
      localIsAnswerer: true,
      path: ice.path,
    }),
  };
}

export interface IceLegInput {
  /** Round trip of the path being checked (peer to peer, or device to anchor). */
  readonly checkRttMs: number;
  /** Round trip to the STUN/TURN servers used for gathering. */
  readonly serverRttMs: number;
  /** One-way time of the answer and of each trickled candidate through the signalling path. */
  readonly signallingMs: number;
  readonly lossRate: number;
}

export interface IceTiming {
  readonly ok: boolean;
  /** From answer until the agent lets media flow (Infinity when ICE failed). */
  readonly readyMs: number;
  /** The critical-path split of `readyMs`: the four parts add up to it. */
  readonly gatheringMs: number;
  readonly signallingMs: number;
  /** Pacing waits, check round trips, retransmissions, and the wait for the loop's next tick. */
  readonly checksMs: number;
  readonly nominationMs: number;
  readonly gatheringEndMs: number;
  /** First valid pair at the controlling agent. */
  readonly validPairMs: number;
  readonly winner: 'ordinary' | 'triggered' | 'none';
  readonly winningPairIndex: number;
  readonly retransmissions: number;
}

export function iceTiming(
  plan: IcePlan,
  ice: IceConditions,
  input: IceLegInput,
  world: CallWorld,
): IceTiming {
  const { taMs, retransmission: retx } = ice;
  const sig = input.signallingMs;
  const g = gatheringTiming(ice.candidates, input.serverRttMs, input.lossRate, retx, world);
  const knownAt = (type: CandidateType): number => {
    const ready = g.readyMs[type];
    if (ice.trickle) return ready;
    return ready < Number.POSITIVE_INFINITY ? g.endMs : ready;
  };
  // Without trickle the answer (with credentials and every candidate) leaves only when gathering is over.
  const answerSentMs = ice.trickle ? 0 : g.endMs;
  const credentialsMs = answerSentMs + sig;
  const attemptLoss = attemptLossProbability(input.lossRate);
  const maxAttempts = retx.maxAttempts;
  // RFC 8445 §14.3: RTO = max(500 ms, Ta × (waiting + in-progress pairs)); we count the whole list.
  const rtoMs = Math.max(retx.rtoMs, taMs * plan.checks.length);

  const avail = plan.checks.map((p) =>
    plan.mode === 'peer'
      ? knownAt(p.answererCandidate.type) + sig
      : Math.max(knownAt(p.answererCandidate.type), credentialsMs),
  );
  const starts = pacedStartTimes(avail, taMs);
  let bestMs = Number.POSITIVE_INFINITY;
  let winner: IceTiming['winner'] = 'none';
  let winningPairIndex = -1;
  let winningType: CandidateType = 'host';
  let retransmissions = g.retransmissions;
  let winRetransmissions = 0;
  for (let i = 0; i < plan.checks.length; i++) {
    const pair = plan.checks[i] as PlannedPair;
    const start = starts[i] as number;
    if (!pair.reachable || !(start < bestMs)) continue;
    const failed = failedAttempts(world.lossU(checkSlot(i, CHECK_KIND.own)), attemptLoss, maxAttempts);
    const tx = transactionTiming(input.checkRttMs, failed, retx, rtoMs);
    if (tx.ok && start + tx.ms < bestMs) {
      bestMs = start + tx.ms;
      winner = 'ordinary';
      winningPairIndex = i;
      winningType = pair.answererCandidate.type;
      winRetransmissions = tx.retransmissions;
    }
  }

  // The answerer checks too, from when its own candidates are ready (after sending its answer).
  const peerAvail = plan.peerChecks.map((p) => Math.max(knownAt(p.answererCandidate.type), answerSentMs));
  const peerStarts = pacedStartTimes(peerAvail, taMs);
  const peerRtoMs = Math.max(retx.rtoMs, taMs * plan.peerChecks.length);
  const oneWayMs = input.checkRttMs / 2;
  if (plan.peerChecks.length > 0) {
    for (let j = 0; j < plan.peerChecks.length; j++) {
      const pair = plan.peerChecks[j] as PlannedPair;
      const start = peerStarts[j] as number;
      if (!pair.reachable || !(start < bestMs)) continue;
      // Only the request has to arrive to trigger a check, so one-way loss decides its sends.
      const lostRequests = failedAttempts(
        world.lossU(checkSlot(j, CHECK_KIND.peerRequest)),
        input.lossRate,
        maxAttempts,
      );
      if (lostRequests >= maxAttempts) continue;
      const arrivalMs = start + sendOffsetMs(lostRequests, peerRtoMs) + oneWayMs;
      // The caller needs the answerer's credentials to send its own check back; RFC 8445 queues triggered
      // checks for the next tick, we send them at once as werift-ice does.
      const triggerMs = Math.max(arrivalMs, credentialsMs);
      if (!(triggerMs < bestMs)) continue;
      const failed = failedAttempts(
        world.lossU(checkSlot(j, CHECK_KIND.triggered)),
        attemptLoss,
        maxAttempts,
      );
      const tx = transactionTiming(input.checkRttMs, failed, retx, rtoMs);
      if (tx.ok && triggerMs + tx.ms < bestMs) {
        bestMs = triggerMs + tx.ms;
        winner = 'triggered';
        winningPairIndex = j;
        winningType = pair.answererCandidate.type;
        winRetransmissions = lostRequests + tx.retransmissions;
      }
    }
  }

  if (winner === 'none') return failedIce(g.endMs, retransmissions);
  retransmissions += winRetransmissions;
  const validPairMs = bestMs;
  let mediaFromMs = validPairMs;
  if (ice.nomination === 'regular' && !ice.mediaOnValidPair) {
    // One more check on the chosen pair, now carrying USE-CANDIDATE (RFC 8445 §8.1.1).
    const failed = failedAttempts(world.lossU(LOSS_SLOT.nomination), attemptLoss, maxAttempts);
    const tx = transactionTiming(input.checkRttMs, failed, retx, rtoMs);
    retransmissions += tx.retransmissions;
    if (!tx.ok) return failedIce(g.endMs, retransmissions);
    mediaFromMs = validPairMs + tx.ms;
  }
  let readyMs = ice.completion === 'next-pacing-tick' ? loopReturnMs(starts, mediaFromMs, taMs) : mediaFromMs;
  if (ice.controlledCompletion === 'own-check' && plan.mode === 'peer') {
    const j =
      winner === 'triggered'
        ? winningPairIndex
        : mirrorIndex(plan, plan.checks[winningPairIndex] as PlannedPair);
    const controlled = controlledReadyMs({
      // The request that carries USE-CANDIDATE reaches the controlled agent half a round trip before its
      // answer completes the controlling agent (aggressive: the winning check; regular: the nomination).
      nominatedAtMs: mediaFromMs - oneWayMs,
      ownStartMs: j < 0 ? Number.POSITIVE_INFINITY : (peerStarts[j] as number),
      pairIndex: Math.max(0, j),
      checkRttMs: input.checkRttMs,
      lossRate: input.lossRate,
      retx,
      rtoMs: peerRtoMs,
      world,
    });
    retransmissions += controlled.retransmissions;
    if (!controlled.ok) return failedIce(g.endMs, retransmissions);
    const controlledMs =
      ice.completion === 'next-pacing-tick' ? loopReturnMs(peerStarts, controlled.ms, taMs) : controlled.ms;
    readyMs = Math.max(readyMs, controlledMs);
  }

  // Split the critical path: the winning candidate's gathering, then signalling, then checking.
  const winningReadyMs = ice.trickle ? g.readyMs[winningType] : g.endMs;
  const gatheringMs = Math.min(winningReadyMs, validPairMs);
  const signallingMs = Math.min(sig, validPairMs - gatheringMs);
  return {
    ok: true,
    readyMs,
    gatheringMs,
    signallingMs,
    checksMs: validPairMs - gatheringMs - signallingMs + (readyMs - mediaFromMs),
    nominationMs: mediaFromMs - validPairMs,
    gatheringEndMs: g.endMs,
    validPairMs,
    winner,
    winningPairIndex,
    retransmissions,
  };
}

/**
 * When an agent whose check loop paces new checks every Ta (werift-ice's `connect()`) returns, given when
 * its pair was nominated: at the first tick at or after that while it is still pacing, but a loop that has
 * started every pair stops ticking (its next tick finds nothing to start) and then returns at once.
 */
function loopReturnMs(starts: readonly number[], nominatedMs: number, taMs: number): number {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const s of starts) {
    if (!(s < Number.POSITIVE_INFINITY)) continue;
    first = Math.min(first, s);
    last = Math.max(last, s);
  }
  if (!(first < Number.POSITIVE_INFINITY)) return nominatedMs;
  // After starting a check the loop sleeps Ta, so it returns no sooner than its first tick after that.
  const loopEndMs = Math.min(last + taMs, Math.max(first + taMs, nextTickMs(first, nominatedMs, taMs)));
  return Math.max(nominatedMs, loopEndMs);
}

/** The controlled agent's pair that mirrors the controlling agent's pair `pair` (same two candidates). */
function mirrorIndex(plan: IcePlan, pair: PlannedPair): number {
  return plan.peerChecks.findIndex(
    (q) =>
      q.local.type === pair.remote.type &&
      q.local.index === pair.remote.index &&
      q.remote.type === pair.local.type &&
      q.remote.index === pair.local.index,
  );
}

/**
 * `own-check`: the controlled agent completes when it holds the nomination *and* its own check on that
 * pair has succeeded. A check it started before the nomination arrived is In-Progress and runs its own
 * course (no triggered check: werift-ice starts those only for Waiting or Failed pairs); otherwise the
 * nominating request triggers one. Its own check's sends: the first `lostRequests` requests are lost (the
 * same draw that decides when its request first reaches the controlling agent), then that request's
 * answer may be lost too, after which each send succeeds with (1 − loss)².
 */
function controlledReadyMs(a: {
  nominatedAtMs: number;
  ownStartMs: number;
  pairIndex: number;
  checkRttMs: number;
  lossRate: number;
  retx: IceConditions['retransmission'];
  rtoMs: number;
  world: CallWorld;
}): { ok: boolean; ms: number; retransmissions: number } {
  const { retx, world } = a;
  const attemptLoss = attemptLossProbability(a.lossRate);
  if (a.ownStartMs < a.nominatedAtMs) {
    const lostRequests = failedAttempts(
      world.lossU(checkSlot(a.pairIndex, CHECK_KIND.peerRequest)),
      a.lossRate,
      retx.maxAttempts,
    );
    let failed = lostRequests;
    if (failed < retx.maxAttempts && world.controlledU(2 * a.pairIndex) <= a.lossRate)
      failed += 1 + failedAttempts(world.controlledU(2 * a.pairIndex + 1), attemptLoss, retx.maxAttempts);
    const tx = transactionTiming(a.checkRttMs, Math.min(failed, retx.maxAttempts), retx, a.rtoMs);
    if (tx.ok)
      return {
        ok: true,
        ms: Math.max(a.nominatedAtMs, a.ownStartMs + tx.ms),
        retransmissions: tx.retransmissions,
      };
    // Its own check timed out: the pair is Failed, and a later nominating request would trigger a new
    // check — werift's controlling agent has stopped sending by then, so the call fails.
    return { ok: false, ms: Number.POSITIVE_INFINITY, retransmissions: tx.retransmissions };
  }
  // Waiting (or not yet paired): the nominating request triggers the check.
  const failed = failedAttempts(world.controlledU(2 * a.pairIndex + 1), attemptLoss, retx.maxAttempts);
  const tx = transactionTiming(a.checkRttMs, failed, retx, a.rtoMs);
  return { ok: tx.ok, ms: a.nominatedAtMs + tx.ms, retransmissions: tx.retransmissions };
}

function failedIce(gatheringEndMs: number, retransmissions: number): IceTiming {
  return {
    ok: false,
    readyMs: Number.POSITIVE_INFINITY,
    gatheringMs: gatheringEndMs,
    signallingMs: 0,
    checksMs: 0,
    nominationMs: 0,
    gatheringEndMs,
    validPairMs: Number.POSITIVE_INFINITY,
    winner: 'none',
    winningPairIndex: -1,
    retransmissions,
  };
}
