/**
 * The answers the SIPREC listener gives beyond the pure SRS decision's `SIPREC_ERR_*` (srs-session.ts):
 * its own refusals, and the ingest core's refusals of an `open` mapped to SIP statuses. Each goes out with
 * `Warning: 399 callrec-srs "<code>: <what is wrong>"` and `Reason: SIP;cause=<status>;text="…"`.
 */

export const SRS_REFUSAL_STATUS = {
  /** No Dubber user has the metadata's BroadWorks userID (the dub.point's externalIdentifier). */
  SIPREC_ERR_UNKNOWN_USER: 404,
  /** maxSessions or maxPendingInvitesPerSource reached: 503 with Retry-After. */
  SIPREC_ERR_BUSY: 503,
  /** No RTP receive port could be opened. */
  SIPREC_ERR_NO_PORT: 503,
  /** A re-INVITE for a session this recorder does not hold (or one that is ending). */
  SIPREC_ERR_NO_SESSION: 481,
  /** Something unforeseen failed while answering; the recorder keeps serving. */
  SIPREC_ERR_INTERNAL: 500,
} as const;

export type SrsRefusalCode = keyof typeof SRS_REFUSAL_STATUS;

/** The ingest core's refusals of an `open` (docs/sink-protocol.md), as the SIP status the SRC sees. */
export const CORE_REFUSAL_STATUS: Readonly<Record<string, number>> = {
  SINK_ERR_UNKNOWN_USER: 404,
  SINK_ERR_USER_DISABLED: 403,
  SINK_ERR_DUBPOINT_MISMATCH: 403,
  SINK_ERR_FORBIDDEN_ORG: 403,
  SINK_ERR_RECORDING_CONFLICT: 403,
  SINK_ERR_UNSUPPORTED_MEDIA: 488,
};

/** Any other core refusal (storage, shutdown) is 500. */
export const CORE_REFUSAL_DEFAULT_STATUS = 500;
