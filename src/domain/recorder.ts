/**
 * The org's recorder (vendor) settings: how long the platform waits for Dubber's recorder to answer and
 * what it does when it does not (Webex vendor failure behaviour; BroadWorks waits 1,000–10,000 ms).
 */
import { SimError } from '../errors.ts';

export const FAILURE_BEHAVIOURS = [
  'PROCEED_WITH_CALL_NO_ANNOUNCEMENT',
  'PROCEED_CALL_WITH_ANNOUNCEMENT',
  'END_CALL_WITH_ANNOUNCEMENT',
] as const;
export type FailureBehaviour = (typeof FAILURE_BEHAVIOURS)[number];

export const RECORDER_WAIT_MS = { min: 1_000, max: 10_000, default: 5_000 } as const;

export interface RecorderSettings {
  readonly failureBehaviour: FailureBehaviour;
  readonly waitMs: number;
}

export const DEFAULT_RECORDER_SETTINGS: RecorderSettings = {
  failureBehaviour: 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT',
  waitMs: RECORDER_WAIT_MS.default,
};

export function assertRecorderSettings(settings: RecorderSettings): RecorderSettings {
  const { waitMs, failureBehaviour } = settings;
  if (!Number.isInteger(waitMs) || waitMs < RECORDER_WAIT_MS.min || waitMs > RECORDER_WAIT_MS.max) {
    throw new SimError(
      'SIM_ERR_INVALID_SETTINGS',
      `Recorder wait ${JSON.stringify(waitMs)} ms is out of range: use a whole number of milliseconds from ${RECORDER_WAIT_MS.min} to ${RECORDER_WAIT_MS.max}.`,
      { details: { field: 'recorder.waitMs', value: waitMs } },
    );
  }
  if (!(FAILURE_BEHAVIOURS as readonly string[]).includes(failureBehaviour)) {
    throw new SimError(
      'SIM_ERR_INVALID_SETTINGS',
      `Unknown recorder failure behaviour ${JSON.stringify(failureBehaviour)}: use one of ${FAILURE_BEHAVIOURS.join(', ')}.`,
      { details: { field: 'recorder.failureBehaviour', value: failureBehaviour } },
    );
  }
  return settings;
}
