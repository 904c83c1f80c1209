/**
 * The gating rules for the two recorded streams, as a pure reducer over the machine's `media` events.
 * The live streams and the expected-intervals helper both use it, so they cannot disagree on a rule.
 *
 *   idle|closed|discarded --open--> flowing (provisional when `open.provisional`); after a close this is
 *     a new recording (On Demand: start after stop begins a new recording)
 *   flowing --pause--> paused --resume--> flowing
 *   flowing|paused --keep--> same phase, no longer provisional (the capture so far is kept)
 *   flowing|paused --close--> closed, or discarded when still provisional (never confirmed by `keep`)
 *   flowing|paused --discard--> discarded (only while provisional)
 * Anything else (open while open, pause while paused, close with nothing open) changes nothing and is
 * reported as `ignored`, so a caller can count and assert on it.
 */
import type { MediaAction } from '../../machines/call-events.ts';

export type GatePhase = 'idle' | 'flowing' | 'paused' | 'closed' | 'discarded';

export interface GateState {
  readonly phase: GatePhase;
  /** On Demand capture not yet confirmed: packets are held back until `keep`. */
  readonly provisional: boolean;
}

export type GateEffect = 'opened' | 'kept' | 'paused' | 'resumed' | 'closed' | 'discarded' | 'ignored';

export const INITIAL_GATE: GateState = { phase: 'idle', provisional: false };

/** A recording is open (flowing or paused). */
export function isGateLive(state: GateState): boolean {
  return state.phase === 'flowing' || state.phase === 'paused';
}

export interface GateStep {
  readonly state: GateState;
  readonly effect: GateEffect;
}

export function applyMediaAction(state: GateState, action: MediaAction, provisional = false): GateStep {
  const live = isGateLive(state);
  switch (action) {
    case 'open':
      if (!live) return { state: { phase: 'flowing', provisional }, effect: 'opened' };
      break;
    case 'keep':
      if (live && state.provisional) return { state: { ...state, provisional: false }, effect: 'kept' };
      break;
    case 'pause':
      if (state.phase === 'flowing') return { state: { ...state, phase: 'paused' }, effect: 'paused' };
      break;
    case 'resume':
      if (state.phase === 'paused') return { state: { ...state, phase: 'flowing' }, effect: 'resumed' };
      break;
    case 'close':
      if (live) {
        return state.provisional
          ? { state: { ...state, phase: 'discarded' }, effect: 'discarded' }
          : { state: { ...state, phase: 'closed' }, effect: 'closed' };
      }
      break;
    case 'discard':
      if (live && state.provisional) return { state: { ...state, phase: 'discarded' }, effect: 'discarded' };
      break;
  }
  return { state, effect: 'ignored' };
}

/** What the end of the call means for a recording still open: kept capture closes, provisional is dropped. */
export function endOfEvents(state: GateState): GateStep {
  return applyMediaAction(state, 'close');
}
