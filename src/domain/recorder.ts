/**
 * The org's recorder (vendor) settings: how long the platform waits for Dubber's recorder to answer and
 * what it does when it does not (Webex vendor failure behaviour; BroadWorks waits 1,000–10,000 ms).
 */
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
