import { describe, expect, it } from 'vitest';
import { CHECK_KIND, checkSlot } from '../../src/delay/call-world.ts';
import { gatheringTiming } from '../../src/delay/gathering.ts';
import { createIcePlan, type IceLegInput, iceTiming } from '../../src/delay/ice-delay.ts';
import type { DelayParamsInput } from '../../src/delay/model-params.ts';
import { exactParams, fixedWorld } from './helpers.ts';

// Fixed RTT 60 ms, cloud detour 20 ms: signalling (cloud one-way) = 30 + 20 = 50 ms, and a device's round
// trip to a cloud server (STUN/TURN, anchor) = 50 ms as well.
const RTT = 60;
const SIG = 50;
const SERVER_RTT = 50;
const peerInput = (lossRate = 0): IceLegInput => ({
  checkRttMs: RTT,
  serverRttMs: SERVER_RTT,
  signallingMs: SIG,
  lossRate,
});

function ice(input: DelayParamsInput['network'] = {}) {
  return exactParams({ network: input }).network.ice;
}

const oneHostPair = {
  candidates: { host: 1, srflx: false, relay: false },
  path: 'host',
  nomination: 'aggressive',
} as const;

describe('ICE leg: components against their formulas', () => {
  it('one host pair, no loss: gathering (none) + signalling + one check RTT', () => {
    const conditions = ice({ ice: oneHostPair });
    const t = iceTiming(createIcePlan(conditions, 'peer'), conditions, peerInput(), fixedWorld());
    expect(t.readyMs).toBe(SIG + RTT);
    expect(t).toMatchObject({
      gatheringMs: 0,
      signallingMs: SIG,
      checksMs: RTT,
      nominationMs: 0,
      winner: 'ordinary',
    });
  });

  it('a server-reflexive candidate costs one STUN round trip, a relayed one two (TURN 401 + Allocate)', () => {
    const g = gatheringTiming(
      { host: 1, srflx: true, relay: true },
      SERVER_RTT,
      0,
      ice().retransmission,
      fixedWorld(),
    );
    expect(g.readyMs).toEqual({ host: 0, srflx: SERVER_RTT, relay: 2 * SERVER_RTT });
    expect(g.endMs).toBe(2 * SERVER_RTT);
    // Without trickle the answer waits for the slowest candidate, so all of it is on the critical path.
    const conditions = ice({ ice: { ...oneHostPair, candidates: { host: 1, srflx: true, relay: true } } });
    const t = iceTiming(createIcePlan(conditions, 'peer'), conditions, peerInput(), fixedWorld());
    expect(t.gatheringMs).toBe(2 * SERVER_RTT);
    expect(t.readyMs).toBe(2 * SERVER_RTT + SIG + RTT);
  });

  it('trickle overlaps gathering with checking: the host pair no longer waits for the relay', () => {
    const full = { ...oneHostPair, candidates: { host: 1, srflx: true, relay: true } };
    const plain = ice({ ice: full });
    const trickled = ice({ ice: { ...full, trickle: true } });
    const tPlain = iceTiming(createIcePlan(plain, 'peer'), plain, peerInput(), fixedWorld());
    const tTrickle = iceTiming(createIcePlan(trickled, 'peer'), trickled, peerInput(), fixedWorld());
    expect(tPlain.readyMs - tTrickle.readyMs).toBe(2 * SERVER_RTT);
    expect(tTrickle.gatheringMs).toBe(0);
  });

  it('regular nomination adds one more check on the chosen pair', () => {
    const aggressive = ice({ ice: oneHostPair });
    const regular = ice({ ice: { ...oneHostPair, nomination: 'regular' } });
    const a = iceTiming(createIcePlan(aggressive, 'peer'), aggressive, peerInput(), fixedWorld());
    const r = iceTiming(createIcePlan(regular, 'peer'), regular, peerInput(), fixedWorld());
    expect(r.readyMs - a.readyMs).toBe(RTT);
    expect(r.nominationMs).toBe(RTT);
    // RFC 8445 §12.1: media on the first valid pair skips the wait.
    const early = ice({ ice: { ...oneHostPair, nomination: 'regular', mediaOnValidPair: true } });
    expect(iceTiming(createIcePlan(early, 'peer'), early, peerInput(), fixedWorld()).readyMs).toBe(a.readyMs);
  });

  it('a lost check adds one RTO (500 ms) when nothing else rescues it', () => {
    const conditions = ice({ ice: oneHostPair });
    const plan = createIcePlan(conditions, 'anchor'); // ICE-lite anchor: no triggered checks
    const input = { ...peerInput(0.1), checkRttMs: SERVER_RTT };
    const clean = iceTiming(plan, conditions, input, fixedWorld());
    // u = 0.15 with a per-attempt loss of 1 − 0.9² = 0.19: exactly one send is lost.
    const lost = fixedWorld({ lossU: (slot) => (slot === checkSlot(0, CHECK_KIND.own) ? 0.15 : 1) });
    const t = iceTiming(plan, conditions, input, lost);
    expect(t.readyMs - clean.readyMs).toBe(500);
    expect(t.retransmissions).toBe(1);
  });

  it('between two full agents the peer’s own check triggers one back and hides the lost one (RFC 8445 §7.3.1.4)', () => {
    const conditions = ice({ ice: oneHostPair });
    const lost = fixedWorld({ lossU: (slot) => (slot === checkSlot(0, CHECK_KIND.own) ? 0.15 : 1) });
    const t = iceTiming(createIcePlan(conditions, 'peer'), conditions, peerInput(0.1), lost);
    expect(t.winner).toBe('triggered');
    expect(t.readyMs).toBe(SIG + RTT);
  });

  it('paces checks by Ta: each extra unreachable host pair ahead of the NAT pair costs one Ta', () => {
    const at = (host: number) => {
      const c = ice({
        ice: { candidates: { host, srflx: true, relay: true }, path: 'srflx', nomination: 'aggressive' },
      });
      return iceTiming(createIcePlan(c, 'peer'), c, peerInput(), fixedWorld()).readyMs;
    };
    // 1 → 4 host–host pairs precede the first host–srflx pair: three more Ta of 50 ms.
    expect(at(2) - at(1)).toBe(3 * 50);
    expect(at(3) - at(2)).toBe(5 * 50);
  });

  it('an agent that reports completion on its check loop’s tick (werift-ice) rounds up to Ta while it still paces', () => {
    const conditions = ice({
      ice: {
        ...oneHostPair,
        candidates: { host: 4, srflx: false, relay: false },
        taMs: 20,
        completion: 'next-pacing-tick',
      },
    });
    const t = iceTiming(
      createIcePlan(conditions, 'peer'),
      conditions,
      { ...peerInput(), checkRttMs: 50, signallingMs: 45 },
      fixedWorld(),
    );
    // 16 pairs: checks start at 45, 65, 85, 105…; the first is valid at 95 ms, returned at the 105 ms tick.
    expect(t.validPairMs).toBe(95);
    expect(t.readyMs).toBe(105);
    expect(t.gatheringMs + t.signallingMs + t.checksMs + t.nominationMs).toBe(t.readyMs);
  });

  it('a check loop that has started every pair stops ticking and returns on success (werift-ice)', () => {
    const conditions = ice({ ice: { ...oneHostPair, taMs: 20, completion: 'next-pacing-tick' } });
    const t = iceTiming(
      createIcePlan(conditions, 'peer'),
      conditions,
      { ...peerInput(), checkRttMs: 50, signallingMs: 45 },
      fixedWorld(),
    );
    // The only check starts at 45 ms; the 65 ms tick finds nothing to start and ends the loop: ready at 95.
    expect(t.readyMs).toBe(95);
  });

  describe('controlled agent completing on its own check (werift-ice)', () => {
    const werift = ice({
      ice: {
        ...oneHostPair,
        taMs: 20,
        retransmission: { rtoMs: 50, maxAttempts: 5, finalWaitFactor: 16 },
        completion: 'next-pacing-tick',
        controlledCompletion: 'own-check',
      },
    });
    const plan = createIcePlan(werift, 'peer');
    const input = { ...peerInput(0.01), checkRttMs: 20, signallingMs: 10 };

    it('without loss: the controlled agent is ready when the nomination reaches it, before the controlling one', () => {
      const t = iceTiming(plan, werift, input, fixedWorld());
      // Controlling: check at 10, valid at 30. Controlled: own check 0 → 20, nomination arrives at 20.
      expect(t.readyMs).toBe(30);
    });

    it('a lost first send of its own check costs one 50 ms retransmission, and no triggered check rescues it', () => {
      const ownLost = fixedWorld({
        lossU: (slot) => (slot === checkSlot(0, CHECK_KIND.peerRequest) ? 0.005 : 1),
      });
      const t = iceTiming(plan, werift, input, ownLost);
      // Its resend at 50 ms succeeds at 70 ms; the controlling agent was done at 30 ms (triggered by nothing:
      // its own ordinary check), so the call waits for the controlled agent.
      expect(t.readyMs).toBe(70);
      const rfc = ice({ ice: { ...werift, controlledCompletion: 'on-nomination' } });
      expect(iceTiming(createIcePlan(rfc, 'peer'), rfc, input, ownLost).readyMs).toBe(30);
    });

    it('a lost answer to its own check costs the same', () => {
      const answerLost = fixedWorld({ controlledU: (slot) => (slot === 0 ? 0.005 : 1) });
      expect(iceTiming(plan, werift, input, answerLost).readyMs).toBe(70);
    });
  });

  it('fails when every send of every working pair is lost', () => {
    const conditions = ice({ ice: oneHostPair });
    const t = iceTiming(
      createIcePlan(conditions, 'peer'),
      conditions,
      peerInput(0.5),
      fixedWorld({ lossU: () => 1e-12 }),
    );
    expect(t.ok).toBe(false);
    expect(t.readyMs).toBe(Number.POSITIVE_INFINITY);
  });
});
