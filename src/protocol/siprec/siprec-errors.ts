/**
 * Why a recording session (RFC 7866) is refused, as `SIPREC_ERR_*` codes, each with the SIP status the SRS
 * answers with. The message names what is wrong and goes into the answer's `Warning` and `Reason` headers.
 */

export const SIPREC_ERROR_STATUS = {
  /** Content-Type is not multipart/mixed with an SDP and a metadata part. */
  SIPREC_ERR_CONTENT_TYPE: 415,
  /** The multipart body is malformed: no boundary, no delimiter, no closing delimiter, bad part headers. */
  SIPREC_ERR_MULTIPART: 400,
  /** The SDP or the metadata part is missing. */
  SIPREC_ERR_MISSING_PART: 400,
  /** The SDP cannot be read or is not a recording offer (m-lines, labels, directions). */
  SIPREC_ERR_SDP: 400,
  /** No offered codec is one the SRS records (PCMU, PCMA). */
  SIPREC_ERR_NO_CODEC: 488,
  /** The metadata is not well-formed XML, has no known root/namespace, or misses a required element. */
  SIPREC_ERR_METADATA: 400,
  /** Labels in the SDP and streams in the metadata do not match. */
  SIPREC_ERR_LABELS: 400,
  /** The INVITE does not identify a recording session (no +sip.src / src on Contact). */
  SIPREC_ERR_NOT_RECORDING: 400,
  /** The BroadWorks identifiers (service provider, group, user) are missing. */
  SIPREC_ERR_NO_IDENTIFIERS: 403,
  /** The identifiers do not match the user's dub.point (S33). */
  SIPREC_ERR_DUBPOINT_MISMATCH: 403,
} as const;

export type SiprecErrorCode = keyof typeof SIPREC_ERROR_STATUS;
export const SIPREC_ERROR_CODES = Object.keys(SIPREC_ERROR_STATUS) as SiprecErrorCode[];

export interface SiprecFault {
  readonly code: SiprecErrorCode;
  readonly message: string;
  readonly status: number;
}

export function siprecFault(code: SiprecErrorCode, message: string): SiprecFault {
  return { code, message: message.replace(/["\\\r\n]/g, "'"), status: SIPREC_ERROR_STATUS[code] };
}

export type SiprecResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly fault: SiprecFault };

export const okResult = <T>(value: T): SiprecResult<T> => ({ ok: true, value });
export const faultResult = <T>(code: SiprecErrorCode, message: string): SiprecResult<T> => ({
  ok: false,
  fault: siprecFault(code, message),
});
