export type { SimClock, TimerClock } from './clock.ts';
export { createEpochClock, createRealClock, wallClockEpochMs } from './real-clock.ts';
export { createRng, type Rng } from './rng.ts';
export { createVirtualClock, type VirtualClock } from './virtual-clock.ts';
