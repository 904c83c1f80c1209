/** One call a scenario placed: its spec, the machine run driving it, when it started and in which mode. */
import type { CallRun } from '../call/call-run.ts';
import type { ScenarioCall } from './schema.ts';

export interface ExecutedCall {
  readonly spec: ScenarioCall;
  readonly run: CallRun;
  readonly startedAtMs: number;
  readonly mode: string;
}
