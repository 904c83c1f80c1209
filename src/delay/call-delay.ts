/**
 * One simulated call in one of the four configurations (ICE off/on × recording off/on): the time from
 * answer until both parties first hear each other, and its critical-path breakdown.
 */
import type { CallWorld } from './call-world.ts';
import { createWorldSamplers, type WorldSamplers } from './call-world.ts';
import { createIcePlan, type IcePlan, iceTiming } from './ice-delay.ts';
import type { DelayModelParams } from './model-params.ts';
import { type RecorderOutcome, recorderTiming } from './recorder-delay.ts';
import { failedAttempts } from './stun-transaction.ts';

export type DelayConfigId = 'baseline' | 'ice' | 'recording' | 'combined';

export interface DelayConfig {
  readonly id: DelayConfigId;
  readonly ice: boolean;
  readonly recording: boolean;
  readonly label: string;
}

export const DELAY_CONFIGS: readonly DelayConfig[] = [
  { id: 'baseline', ice: false, recording: false, label: 'ICE off, recording off' },
  { id: 'ice', ice: true, recording: false, label: 'ICE on, recording off' },
  { id: 'recording', ice: false, recording: true, label: 'ICE off, recording on' },
  { id: 'combined', ice: true, recording: true, label: 'ICE on, recording on' },
];

export const BREAKDOWN_KEYS = [
  'signallingMs',
  'gatheringMs',
  'checksMs',
  'nominationMs',
  'recorderMs',
  'announcementMs',
  'transitMs',
] as const;
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number];

/** The critical path of one call; the parts add up to `totalMs` for a connected call. */
export type DelayBreakdown = Readonly<Record<BreakdownKey, number>>;

export type CallOutcome = 'connected' | 'ended-by-failure-behaviour' | 'ice-failed';

export interface CallDelay {
  readonly config: DelayConfigId;
  readonly outcome: CallOutcome;
  /** Answer → both parties hear each other; Infinity when they never do. */
  readonly totalMs: number;
  readonly breakdown: DelayBreakdown;
  readonly mediaPath: 'direct' | 'cloud';
  readonly iceLeg: 'none' | 'peer' | 'anchor';
  /** When the media path is ready (signalling, or ICE); recording may hold the parties longer. */
  readonly mediaReadyMs: number;
  /** When the recorder gate opened (NaN without recording). */
  readonly recorderGateMs: number;
  /** How long the media set-up and the recorder set-up ran side by side (0 without recording). */
  readonly overlapMs: number;
  readonly recorder: RecorderOutcome | 'off';
  readonly retransmissions: number;
}

/** The parts of the model that do not change from call to call. */
export interface DelayModel {
  readonly params: DelayModelParams;
  readonly plans: Readonly<Record<'peer' | 'anchor', IcePlan>>;
  readonly samplers: WorldSamplers;
}

export function createDelayModel(params: DelayModelParams): DelayModel {
  const ice = params.network.ice;
  return {
    params,
    plans: { peer: createIcePlan(ice, 'peer'), anchor: createIcePlan(ice, 'anchor') },
    samplers: createWorldSamplers(params),
  };
}

/** Which ICE leg runs, and which path media takes, in a configuration. */
export function legsOf(
  config: Pick<DelayConfig, 'ice' | 'recording'>,
  params: DelayModelParams,
): { iceLeg: CallDelay['iceLeg']; mediaPath: CallDelay['mediaPath'] } {
  if (!config.ice) return { iceLeg: 'none', mediaPath: 'cloud' };
  if (!config.recording) return { iceLeg: 'peer', mediaPath: 'direct' };
  // Recorded media is forked in the cloud, so the direct path found by ICE cannot carry it.
  const mode = params.recording.recordedLegIce;
  return { iceLeg: mode === 'off' ? 'none' : mode, mediaPath: 'cloud' };
}

export function simulateCall(model: DelayModel, config: DelayConfig, world: CallWorld): CallDelay {
  const { network: net, recording: rec } = model.params;
  const rttMs = world.rttMs;
  const directOneWayMs = rttMs / 2;
  // The cloud path hairpins through a media node; with the node midway, a device's round trip to it equals
  // the cloud one-way end to end. Signalling and the STUN/TURN servers live there too.
  const cloudOneWayMs = directOneWayMs + net.cloudDetourOneWayMs;
  const signallingMs = cloudOneWayMs;
  const { iceLeg, mediaPath } = legsOf(config, model.params);
  const transitMs = (mediaPath === 'direct' ? directOneWayMs : cloudOneWayMs) + audioLossMs(net, world);

  const parts: Record<BreakdownKey, number> = {
    signallingMs: 0,
    gatheringMs: 0,
    checksMs: 0,
    nominationMs: 0,
    recorderMs: 0,
    announcementMs: 0,
    transitMs,
  };
  let mediaReadyMs: number;
  let retransmissions = 0;
  if (iceLeg === 'none') {
    // The cloud media path is set up with the call; the caller starts once the answer reaches it.
    mediaReadyMs = signallingMs;
    parts.signallingMs = signallingMs;
  } else {
    const t = iceTiming(
      model.plans[iceLeg],
      net.ice,
      {
        checkRttMs: iceLeg === 'peer' ? rttMs : cloudOneWayMs,
        serverRttMs: cloudOneWayMs,
        signallingMs,
        lossRate: net.lossRate,
      },
      world,
    );
    retransmissions = t.retransmissions;
    mediaReadyMs = t.readyMs;
    parts.signallingMs = t.signallingMs;
    parts.gatheringMs = t.gatheringMs;
    parts.checksMs = t.checksMs;
    parts.nominationMs = t.nominationMs;
    if (!t.ok) return notConnected(config, 'ice-failed', parts, iceLeg, mediaPath, retransmissions);
  }

  let talkFromMs = mediaReadyMs;
  let recorderGateMs = Number.NaN;
  let overlapMs = 0;
  let recorder: CallDelay['recorder'] = 'off';
  if (config.recording) {
    const r = recorderTiming(rec, world);
    recorder = r.outcome;
    recorderGateMs = r.gateMs;
    // Both start at answer and run side by side; the announcement needs both the recorder's answer (or
    // the end of the wait) and a media path to be heard on.
    const gateOpenMs = Math.max(mediaReadyMs, r.gateMs);
    overlapMs = Math.min(mediaReadyMs, r.gateMs);
    parts.recorderMs = gateOpenMs - mediaReadyMs;
    parts.announcementMs = r.announcementMs;
    talkFromMs = gateOpenMs + r.announcementMs;
    if (r.callEnds) {
      return {
        ...notConnected(config, 'ended-by-failure-behaviour', parts, iceLeg, mediaPath, retransmissions),
        mediaReadyMs,
        recorderGateMs,
        overlapMs,
        recorder,
      };
    }
  }
  return {
    config: config.id,
    outcome: 'connected',
    totalMs: talkFromMs + transitMs,
    breakdown: parts,
    mediaPath,
    iceLeg,
    mediaReadyMs,
    recorderGateMs,
    overlapMs,
    recorder,
    retransmissions,
  };
}

/** Waiting for the first audio packet that gets through, each way; both parties wait for the later one. */
function audioLossMs(net: DelayModelParams['network'], world: CallWorld): number {
  if (net.audioLossPacketMs === 0 || net.lossRate === 0) return 0;
  const lost = Math.max(
    failedAttempts(world.audioU(0), net.lossRate, 1000),
    failedAttempts(world.audioU(1), net.lossRate, 1000),
  );
  return lost * net.audioLossPacketMs;
}

function notConnected(
  config: DelayConfig,
  outcome: CallOutcome,
  parts: DelayBreakdown,
  iceLeg: CallDelay['iceLeg'],
  mediaPath: CallDelay['mediaPath'],
  retransmissions: number,
): CallDelay {
  return {
    config: config.id,
    outcome,
    totalMs: Number.POSITIVE_INFINITY,
    breakdown: parts,
    mediaPath,
    iceLeg,
    mediaReadyMs: Number.POSITIVE_INFINITY,
    recorderGateMs: Number.NaN,
    overlapMs: 0,
    recorder: 'off',
    retransmissions,
  };
}

/** The configuration with this id (throws on an unknown id: a programming error). */
export function delayConfig(id: DelayConfigId): DelayConfig {
  const c = DELAY_CONFIGS.find((x) => x.id === id);
  if (c === undefined) throw new RangeError(`unknown delay configuration ${id}`);
  return c;
}
