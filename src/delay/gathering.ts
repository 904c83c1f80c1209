/**
 * Candidate gathering by the answering device (RFC 8445 §5.1.1): host candidates are immediate, a
 * server-reflexive one costs one STUN Binding transaction, a relayed one a TURN Allocate that is first
 * challenged (401) and then repeated with credentials — two transactions, ≈ 2 RTT (RFC 8656 §7).
 */

import { type CallWorld, LOSS_SLOT } from './call-world.ts';
import type { CandidateSet, CandidateType } from './candidates.ts';
import {
  attemptLossProbability,
  failedAttempts,
  type StunRetransmission,
  transactionTiming,
} from './stun-transaction.ts';

export interface GatheringTiming {
  /** When each candidate type is known locally; Infinity when its gathering failed or is disabled. */
  readonly readyMs: Readonly<Record<CandidateType, number>>;
  /** When gathering is over (success or give-up of every transaction): what a non-trickle agent waits for. */
  readonly endMs: number;
  readonly retransmissions: number;
}

export function gatheringTiming(
  candidates: CandidateSet,
  serverRttMs: number,
  lossRate: number,
  retransmission: StunRetransmission,
  world: CallWorld,
): GatheringTiming {
  const attemptLoss = attemptLossProbability(lossRate);
  const tx = (slot: number) =>
    transactionTiming(
      serverRttMs,
      failedAttempts(world.lossU(slot), attemptLoss, retransmission.maxAttempts),
      retransmission,
    );
  let endMs = 0;
  let retransmissions = 0;
  let srflxMs = Number.POSITIVE_INFINITY;
  let relayMs = Number.POSITIVE_INFINITY;
  if (candidates.srflx) {
    const binding = tx(LOSS_SLOT.srflxGather);
    endMs = Math.max(endMs, binding.ms);
    retransmissions += binding.retransmissions;
    if (binding.ok) srflxMs = binding.ms;
  }
  if (candidates.relay) {
    const challenge = tx(LOSS_SLOT.relayAllocate);
    retransmissions += challenge.retransmissions;
    if (!challenge.ok) {
      endMs = Math.max(endMs, challenge.ms);
    } else {
      const allocate = tx(LOSS_SLOT.relayAllocateAuth);
      retransmissions += allocate.retransmissions;
      endMs = Math.max(endMs, challenge.ms + allocate.ms);
      if (allocate.ok) relayMs = challenge.ms + allocate.ms;
    }
  }
  return { readyMs: { host: 0, srflx: srflxMs, relay: relayMs }, endMs, retransmissions };
}
