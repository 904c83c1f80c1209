/**
 * Calibrates the ICE part of the delay model against real werift-ice 0.2.3 connections on loopback: two
 * agents in this process, real timers (bench only), compared with the model's prediction for the set-up.
 */
import { createSocket, type Socket } from 'node:dgram';
import { Candidate, type Connection } from 'werift-ice';
import { createWorldSamplers } from '../src/delay/call-world.ts';
import {
  type CallWorld,
  drawCallWorld,
  type IcePlan,
  iceTiming,
  type PlannedPair,
} from '../src/delay/index.ts';
import { createDelayParams, type IceConditions } from '../src/delay/model-params.ts';
import { loopbackWeriftAgent } from '../src/measure/werift-stack.ts';
import { createRng } from '../src/time/index.ts';
import { type BenchResult, runIfMain } from './bench-result.ts';

/** werift-ice 0.2.3 `Connection.connect()`: `await timers.setTimeout(20)` after each started check. */
const WERIFT_TA_MS = 20;
/** werift-ice's STUN RTO (`RETRY_RTO` = 50 ms, doubling) and 4 retransmissions for UDP checks. */
const WERIFT_RETRANSMISSION = { rtoMs: 50, maxAttempts: 5, finalWaitFactor: 1 } as const;
const RUNS_PER_SETUP = 40;
const BUDGET_PER_SETUP_MS = 15_000;
const CONNECT_TIMEOUT_MS = 5000;
const LOOPBACK = '127.0.0.1';

interface Setup {
  readonly name: string;
  /** Unreachable candidates advertised to the controlling / controlled agent, above the real one. */
  readonly deadForControlling: number;
  readonly deadForControlled: number;
  /** Extra copies of the real candidate (working pairs) advertised to each agent, above the real one. */
  readonly copies: number;
}

const SETUPS: readonly Setup[] = [
  { name: '1 pair', deadForControlling: 0, deadForControlled: 0, copies: 0 },
  { name: '4 pairs, all working', deadForControlling: 0, deadForControlled: 0, copies: 3 },
  {
    name: '4 pairs, working pair last on both sides',
    deadForControlling: 3,
    deadForControlled: 3,
    copies: 0,
  },
  {
    name: '4 pairs, working pair last on the controlling side',
    deadForControlling: 3,
    deadForControlled: 0,
    copies: 0,
  },
];

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Median round trip of a bare UDP echo on loopback: the network part of one check. */
async function loopbackRttMs(samples = 200): Promise<number> {
  const echo = createSocket('udp4');
  const client = createSocket('udp4');
  echo.on('message', (msg, rinfo) => echo.send(msg, rinfo.port, rinfo.address));
  await new Promise<void>((r) => echo.bind(0, LOOPBACK, r));
  await new Promise<void>((r) => client.bind(0, LOOPBACK, r));
  const port = echo.address().port;
  const rtts: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await new Promise<void>((resolve) => {
      client.once('message', () => resolve());
      client.send(Buffer.alloc(100), port, LOOPBACK);
    });
    rtts.push(performance.now() - start);
  }
  echo.close();
  client.close();
  return median(rtts);
}

/** Sockets that swallow everything: candidates whose checks never get an answer. */
async function blackholes(n: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i++) {
    const s = createSocket('udp4');
    s.on('message', () => {});
    await new Promise<void>((r) => s.bind(0, LOOPBACK, r));
    sockets.push(s);
  }
  return sockets;
}

async function advertise(
  to: Connection,
  real: Candidate,
  dead: readonly Socket[],
  copies: number,
): Promise<void> {
  let bump = 1 + dead.length + copies;
  for (const s of dead) {
    await to.addRemoteCandidate(
      new Candidate(`dead${bump}`, 1, 'udp', real.priority + bump--, LOOPBACK, s.address().port, 'host'),
    );
  }
  for (let i = 0; i < copies; i++) {
    await to.addRemoteCandidate(
      new Candidate(`copy${bump}`, 1, 'udp', real.priority + bump--, real.host, real.port, 'host'),
    );
  }
  await to.addRemoteCandidate(real);
  await to.addRemoteCandidate(undefined);
}

interface Measurement {
  readonly connectMs: number;
  readonly pairs: number;
  readonly checkRttMs: number;
}

async function measureOnce(setup: Setup): Promise<Measurement> {
  const a = loopbackWeriftAgent(true);
  const b = loopbackWeriftAgent(false);
  const dead = await blackholes(setup.deadForControlling + setup.deadForControlled);
  try {
    await Promise.all([a.gatherCandidates(), b.gatherCandidates()]);
    a.setRemoteParams({ iceLite: false, usernameFragment: b.localUsername, password: b.localPassword });
    b.setRemoteParams({ iceLite: false, usernameFragment: a.localUsername, password: a.localPassword });
    const [realA] = a.localCandidates;
    const [realB] = b.localCandidates;
    if (realA === undefined || realB === undefined) throw new Error('no loopback host candidate gathered');
    await advertise(a, realB, dead.slice(0, setup.deadForControlling), setup.copies);
    await advertise(b, realA, dead.slice(setup.deadForControlling), setup.copies);
    // Measured: from connect() until both agents report connected (werift lets data flow only then).
    const start = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('ICE did not connect within 5 s')), CONNECT_TIMEOUT_MS);
    });
    await Promise.race([Promise.all([a.connect(), b.connect()]), timeout]);
    clearTimeout(timer);
    const connectMs = performance.now() - start;
    return { connectMs, pairs: a.checkList.length, checkRttMs: (a.nominated?.rtt ?? Number.NaN) * 1000 };
  } finally {
    await Promise.allSettled([a.close(), b.close()]);
    for (const s of dead) s.close();
  }
}

/** The model's prediction for a werift set-up: Ta 20 ms, aggressive nomination, media at the next tick. */
export function predictWeriftMs(setup: Setup, rttMs: number): number {
  const params = createDelayParams({
    network: {
      rttMs: { kind: 'fixed', valueMs: rttMs },
      lossRate: 0,
      ice: {
        taMs: WERIFT_TA_MS,
        retransmission: WERIFT_RETRANSMISSION,
        candidates: { host: 1, srflx: false, relay: false },
        path: 'host',
        trickle: false,
        nomination: 'aggressive',
        completion: 'next-pacing-tick',
      },
    },
  });
  const ice: IceConditions = params.network.ice;
  const pairs = (dead: number, copies: number): PlannedPair[] =>
    Array.from({ length: dead + copies + 1 }, (_, i) => {
      const c = { type: 'host' as const, index: 0, priority: 1000 - i };
      return { priority: 1000 - i, local: c, remote: c, answererCandidate: c, reachable: i >= dead };
    });
  const plan: IcePlan = {
    mode: 'peer',
    checks: pairs(setup.deadForControlling, setup.copies),
    peerChecks: pairs(setup.deadForControlled, setup.copies),
  };
  const world: CallWorld = drawCallWorld(createRng('ice-calibration'), 0, createWorldSamplers(params));
  // Candidates were exchanged before connect(): no gathering and no signalling inside the measured span.
  const t = iceTiming(plan, ice, { checkRttMs: rttMs, serverRttMs: 0, signallingMs: 0, lossRate: 0 }, world);
  return t.readyMs;
}

export default async function iceCalibration(): Promise<BenchResult> {
  const rttMs = await loopbackRttMs();
  const figures: Record<string, number> = { loopbackRttMs: rttMs, weriftTaMs: WERIFT_TA_MS };
  const ratios: Record<string, number> = {};
  const goals: { goal: string; met: boolean }[] = [];
  const notes: string[] = [
    'measured: connect() of both agents until both resolve (werift gates send() until then); model: same set-up',
    `model inputs: Ta ${WERIFT_TA_MS} ms (werift connect loop), aggressive nomination (werift sets USE-CANDIDATE when controlling), media at the next pacing tick, check RTT = bare UDP loopback echo median`,
    `dead candidates are black-hole UDP sockets on ${LOOPBACK}: their checks are never answered`,
  ];
  for (const setup of SETUPS) {
    const key = setup.name.replace(/[^a-z0-9]+/gi, '_').replace(/_+$/, '');
    const samples: Measurement[] = [];
    const began = performance.now();
    // One warm-up run: the first connection pays for module and crypto initialisation.
    await measureOnce(setup);
    while (samples.length < RUNS_PER_SETUP && performance.now() - began < BUDGET_PER_SETUP_MS) {
      samples.push(await measureOnce(setup));
    }
    const measuredMs = median(samples.map((s) => s.connectMs));
    const modelMs = predictWeriftMs(setup, rttMs);
    const ratio = modelMs / measuredMs;
    figures[`${key}_runs`] = samples.length;
    figures[`${key}_pairs`] = median(samples.map((s) => s.pairs));
    figures[`${key}_measuredMedianMs`] = measuredMs;
    figures[`${key}_measuredP90Ms`] =
      [...samples.map((s) => s.connectMs)].sort((x, y) => x - y)[Math.floor(samples.length * 0.9)] ??
      Number.NaN;
    figures[`${key}_weriftCheckRttMedianMs`] = median(
      samples.map((s) => s.checkRttMs).filter(Number.isFinite),
    );
    figures[`${key}_modelMs`] = modelMs;
    ratios[`${key}_modelOverMeasured`] = ratio;
    goals.push({
      goal: `${setup.name}: model/measured median within ±20 % (${ratio.toFixed(3)})`,
      met: Math.abs(ratio - 1) <= 0.2,
    });
  }
  return { name: 'ice-calibration', figures, ratios, goals, notes };
}

await runIfMain(import.meta, iceCalibration);
