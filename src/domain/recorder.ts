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

/** How the platform reaches the recorder: over UDP it retransmits its request (RFC 3261 Timer A), over TCP it sends one. */
export const RECORDER_TRANSPORTS = ['udp', 'tcp'] as const;
export type RecorderTransport = (typeof RECORDER_TRANSPORTS)[number];
/** RFC 3261 T1: the first retransmission interval over UDP; each later one doubles. */
export const SIP_T1_MS = 500;

export interface RecorderSettings {
  readonly failureBehaviour: FailureBehaviour;
  readonly waitMs: number;
  /** Default `udp`. */
  readonly transport?: RecorderTransport;
}

/**
 * When a recorder that came back at `nowMs` answers the platform's request first sent at `sentAtMs`:
 * at the first UDP retransmission after `nowMs` (sent + T1·(2^k − 1)), plus its answer time; `null` over
 * TCP (one request, already lost) or when that answer would come at or after the end of the wait.
 */
export function retransmissionAnswerAtMs(
  settings: RecorderSettings,
  sentAtMs: number,
  nowMs: number,
  answerMs: number,
): number | null {
  if ((settings.transport ?? 'udp') !== 'udp') return null;
  let retransmitAtMs = sentAtMs + SIP_T1_MS;
  for (let intervalMs = 2 * SIP_T1_MS; retransmitAtMs <= nowMs; intervalMs *= 2) retransmitAtMs += intervalMs;
  const answerAtMs = retransmitAtMs + answerMs;
  return answerAtMs < sentAtMs + settings.waitMs ? answerAtMs : null;
}
