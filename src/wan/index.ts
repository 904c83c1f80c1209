/** The emulated WAN: seeded per-direction delay, jitter and loss in user space, on loopback only. */

export { createDelayLine, type DelayLine } from './delay-line.ts';
export { deliverAt, type WanClock } from './deliver-at.ts';
export {
  createImpairment,
  type DatagramFate,
  NO_IMPAIRMENT,
  type PathImpairment,
  validateImpairment,
} from './impairment.ts';
export { createStatsRecorder, type DirectionStats, mergeStats } from './relay-stats.ts';
export { createTcpRelay, type TcpRelay, type TcpRelayOptions } from './tcp-relay.ts';
export {
  createUdpPairRelay,
  LOOPBACK,
  type UdpAddress,
  type UdpPairRelay,
  type UdpPairRelayOptions,
} from './udp-relay.ts';
