/**
 * ICE candidates and check lists (RFC 8445 §5.1.2, §6.1.2): which pairs exist, in which order they are
 * checked, and which of them the network lets through. No randomness: one plan per configuration.
 */

export type CandidateType = 'host' | 'srflx' | 'relay';

/**
 * The best kind of path the network between the two endpoints allows:
 * `host` — same network, every address reachable; `srflx` — NATs that keep one public mapping per socket
 * (private host addresses unreachable); `relay` — symmetric NAT or firewalls, only TURN relays get through.
 */
export type NetworkPath = 'host' | 'srflx' | 'relay';

/** What one agent gathers: `host` interfaces, plus one server-reflexive and one relayed candidate. */
export interface CandidateSet {
  readonly host: number;
  readonly srflx: boolean;
  readonly relay: boolean;
}

/** RFC 8445 §5.1.2.2 recommended type preferences. */
export const TYPE_PREFERENCE: Readonly<Record<CandidateType, number>> = { host: 126, srflx: 100, relay: 0 };

export interface Candidate {
  readonly type: CandidateType;
  /** Which interface (host) of the agent; 0 is the most preferred. */
  readonly index: number;
  readonly priority: number;
}

/** RFC 8445 §5.1.2.1: 2^24·type preference + 2^8·local preference + (256 − component). */
export function candidatePriority(type: CandidateType, localPreference: number, component = 1): number {
  return 2 ** 24 * TYPE_PREFERENCE[type] + 2 ** 8 * localPreference + (256 - component);
}

/** RFC 8445 §6.1.2.3: 2^32·min(G, D) + 2·max(G, D) + (G > D ? 1 : 0), G the controlling agent's. */
export function pairPriority(controllingPriority: number, controlledPriority: number): number {
  const g = controllingPriority;
  const d = controlledPriority;
  return 2 ** 32 * Math.min(g, d) + 2 * Math.max(g, d) + (g > d ? 1 : 0);
}

/** The candidates an agent advertises, most preferred interface first. */
export function advertisedCandidates(set: CandidateSet): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < set.host; i++)
    out.push({ type: 'host', index: i, priority: candidatePriority('host', 65535 - i) });
  if (set.srflx) out.push({ type: 'srflx', index: 0, priority: candidatePriority('srflx', 65535) });
  if (set.relay) out.push({ type: 'relay', index: 0, priority: candidatePriority('relay', 65535) });
  return out;
}

/**
 * The candidates an agent pairs from: a server-reflexive candidate is sent from its host base, so RFC 8445
 * §6.1.2.4 prunes it as redundant; what remains is host and relayed candidates.
 */
export function pairingBases(set: CandidateSet): Candidate[] {
  return advertisedCandidates(set).filter((c) => c.type !== 'srflx');
}

/** A check to a candidate of this type gets through on this path (the target decides reachability). */
export function isTargetReachable(target: CandidateType, path: NetworkPath): boolean {
  switch (path) {
    case 'host':
      return true;
    case 'srflx':
      return target !== 'host';
    case 'relay':
      return target === 'relay';
  }
}

export interface PlannedPair {
  readonly priority: number;
  readonly local: Candidate;
  readonly remote: Candidate;
  /** Whose candidate gates when the pair can be checked: the answering device's (it gathers at answer). */
  readonly answererCandidate: Candidate;
  readonly reachable: boolean;
}

/**
 * The check list of the agent that checks from `local` towards `remote`, in the order the checks go out
 * (highest pair priority first; RFC 8445 §6.1.4.2 picks the highest-priority waiting pair per tick —
 * frozen/unfrozen foundations only reorder pairs of equal kind, which we ignore).
 */
export function buildCheckList(options: {
  readonly local: CandidateSet;
  readonly remote: CandidateSet;
  readonly localIsControlling: boolean;
  readonly localIsAnswerer: boolean;
  readonly path: NetworkPath;
}): PlannedPair[] {
  const pairs: PlannedPair[] = [];
  for (const local of pairingBases(options.local)) {
    for (const remote of advertisedCandidates(options.remote)) {
      const priority = options.localIsControlling
        ? pairPriority(local.priority, remote.priority)
        : pairPriority(remote.priority, local.priority);
      pairs.push({
        priority,
        local,
        remote,
        answererCandidate: options.localIsAnswerer ? local : remote,
        reachable: isTargetReachable(remote.type, options.path),
      });
    }
  }
  return pairs.sort((a, b) => b.priority - a.priority);
}

/**
 * With recording on, media is anchored in the cloud: the answering device runs ICE against the cloud media
 * node, an ICE-lite agent with one public host candidate (RFC 8445 §2.5) that answers but never checks.
 * A public address is reachable from every local candidate, whatever the NATs.
 */
export function buildAnchorCheckList(answerer: CandidateSet): PlannedPair[] {
  const anchor: CandidateSet = { host: 1, srflx: false, relay: false };
  return buildCheckList({
    local: answerer,
    remote: anchor,
    localIsControlling: true,
    localIsAnswerer: true,
    path: 'host',
  });
}
