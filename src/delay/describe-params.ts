/** Human-readable one-liners of the model inputs, shared by the table, CSV/JSON headers and SVG captions. */
import { describeDistribution } from './distribution.ts';
import type { DelayModelParams } from './model-params.ts';

export function describeNetwork(p: DelayModelParams): string {
  const n = p.network;
  const ice = n.ice;
  const c = ice.candidates;
  const types = [`${c.host} host`, ...(c.srflx ? ['srflx'] : []), ...(c.relay ? ['relay'] : [])].join(' + ');
  return [
    `RTT ${describeDistribution(n.rttMs)}`,
    `loss ${+(n.lossRate * 100).toFixed(3)} %`,
    `cloud detour +${n.cloudDetourOneWayMs} ms one-way`,
    `Ta ${ice.taMs} ms`,
    `candidates ${types}`,
    `path ${ice.path}`,
    ice.trickle ? 'trickle' : 'no trickle',
    `${ice.nomination} nomination`,
    ...(ice.mediaOnValidPair ? ['media on first valid pair'] : []),
    ...(ice.completion === 'next-pacing-tick' ? ['media at next pacing tick'] : []),
  ].join(', ');
}

export function describeRecording(p: DelayModelParams): string {
  const r = p.recording;
  return [
    r.announcement ? `announcement ${r.announcementMs} ms` : 'announcement off',
    `recorder RTT ${r.recorderRttMs} ms + answer ${describeDistribution(r.recorderAnswerMs)}`,
    `wait ${r.recorderWaitMs} ms`,
    `availability ${+(r.recorderAvailability * 100).toFixed(3)} %`,
    `on failure ${r.failureBehaviour}`,
    `ICE on recorded calls: ${r.recordedLegIce}`,
  ].join(', ');
}
