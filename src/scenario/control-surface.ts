/**
 * The way a scenario's Control Hub steps and call commands reach the world. The runner acts on the domain
 * directly by default; a control surface (e.g. the served Webex API, `callrec run --via api`) carries them
 * over another transport to a world on its own virtual clock, asynchronously, with the same results.
 */
import type { CallCommand } from '../../machines/call-events.ts';
import type { ControlHubState, DubPoint } from '../domain/index.ts';
import type { VirtualClock } from '../time/index.ts';
import type { ExecutedCall } from './executed-call.ts';
import type { ScenarioCall, ScenarioStep } from './schema.ts';

export interface ControlSurface {
  /** The world's clock; the runner schedules the steps on it and moves it. */
  readonly clock: VirtualClock;
  /** An enable, update, disable or switchTier step; rejects with the domain's SimError. */
  controlHub(step: ScenarioStep): Promise<void>;
  /** What Control Hub shows under "View call recording platform info" (S19, S33). */
  platformInfo(userId: string): Promise<DubPoint>;
  /** Places the scenario's call now; the returned run is the world's call. */
  startCall(spec: ScenarioCall): Promise<ExecutedCall>;
  /** Sends a command to the call; one the call cannot take now is logged by the call, not thrown. */
  command(call: ExecutedCall, command: CallCommand): Promise<void>;
  /** The world's Control Hub state (for the report's account and settings expectations). */
  hub(): ControlHubState;
}
