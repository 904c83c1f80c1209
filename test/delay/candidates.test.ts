import { describe, expect, it } from 'vitest';
import {
  advertisedCandidates,
  buildAnchorCheckList,
  buildCheckList,
  candidatePriority,
  isTargetReachable,
  pairingBases,
  pairPriority,
} from '../../src/delay/candidates.ts';

describe('candidate and pair priorities (RFC 8445 §5.1.2, §6.1.2.3)', () => {
  it('uses the recommended formula', () => {
    expect(candidatePriority('host', 65535)).toBe(2 ** 24 * 126 + 2 ** 8 * 65535 + 255);
    expect(candidatePriority('relay', 65535)).toBe(2 ** 8 * 65535 + 255);
    expect(pairPriority(10, 20)).toBe(2 ** 32 * 10 + 2 * 20);
    expect(pairPriority(20, 10)).toBe(2 ** 32 * 10 + 2 * 20 + 1);
  });

  it('prunes server-reflexive bases: they are sent from the host socket (§6.1.2.4)', () => {
    const set = { host: 2, srflx: true, relay: true };
    expect(advertisedCandidates(set).map((c) => c.type)).toEqual(['host', 'host', 'srflx', 'relay']);
    expect(pairingBases(set).map((c) => c.type)).toEqual(['host', 'host', 'relay']);
  });

  it('orders host pairs first, then server-reflexive, then relayed', () => {
    const list = buildCheckList({
      local: { host: 2, srflx: true, relay: true },
      remote: { host: 2, srflx: true, relay: true },
      localIsControlling: true,
      localIsAnswerer: false,
      path: 'srflx',
    });
    expect(list).toHaveLength(3 * 4);
    const kinds = list.map((p) => `${p.local.type}-${p.remote.type}`);
    expect(kinds.slice(0, 4)).toEqual(['host-host', 'host-host', 'host-host', 'host-host']);
    expect(kinds.slice(4, 6)).toEqual(['host-srflx', 'host-srflx']);
    expect(list.slice(6).every((p) => p.local.type === 'relay' || p.remote.type === 'relay')).toBe(true);
    expect(list.findIndex((p) => p.reachable)).toBe(4);
  });

  it('lets the path decide which targets answer', () => {
    expect(['host', 'srflx', 'relay'].map((t) => isTargetReachable(t as 'host', 'host'))).toEqual([
      true,
      true,
      true,
    ]);
    expect(['host', 'srflx', 'relay'].map((t) => isTargetReachable(t as 'host', 'srflx'))).toEqual([
      false,
      true,
      true,
    ]);
    expect(['host', 'srflx', 'relay'].map((t) => isTargetReachable(t as 'host', 'relay'))).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('the cloud anchor is one public candidate every local candidate reaches', () => {
    const list = buildAnchorCheckList({ host: 2, srflx: true, relay: true });
    expect(list).toHaveLength(3);
    expect(list.every((p) => p.reachable && p.remote.type === 'host')).toBe(true);
    expect(list.every((p) => p.answererCandidate === p.local)).toBe(true);
  });
});
