/**
 * What is wrong with a SIP message, as a closed union of `SIP_ERR_*` codes. Each code carries the status a
 * server answers with when the message was a request it could still read enough of to reply (RFC 3261
 * §21: 400 Bad Request, 505 Version Not Supported, 513 Message Too Large), and the message names the
 * defect so it can go into a `Warning` header as it is. Parsers return faults; they never throw.
 */

export const SIP_ERROR_STATUS = {
  /** The start line is not `Method SP Request-URI SP SIP/2.0` or `SIP/2.0 SP 3DIGIT SP Reason`. */
  SIP_ERR_START_LINE: 400,
  /** A SIP version other than 2.0. */
  SIP_ERR_VERSION: 505,
  /** A header line without a colon, an invalid name, or a value that breaks its header's grammar. */
  SIP_ERR_HEADER_SYNTAX: 400,
  /** A header every request or response must carry is missing (RFC 3261 §8.1.1). */
  SIP_ERR_MISSING_HEADER: 400,
  /** A header that may appear only once appears more than once. */
  SIP_ERR_DUPLICATE_HEADER: 400,
  /** The method in CSeq is not the request's method. */
  SIP_ERR_CSEQ_MISMATCH: 400,
  /** Content-Length is not a number, negative, or says more than the datagram holds. */
  SIP_ERR_CONTENT_LENGTH: 400,
  /** The message (or its header section) is over the configured limit. */
  SIP_ERR_TOO_LARGE: 513,
  /** No blank line ends the header section. */
  SIP_ERR_INCOMPLETE: 400,
} as const;

export type SipErrorCode = keyof typeof SIP_ERROR_STATUS;
export const SIP_ERROR_CODES = Object.keys(SIP_ERROR_STATUS) as SipErrorCode[];

export interface SipFault {
  readonly code: SipErrorCode;
  /** Says what is wrong, in a form that fits a `Warning` header's text (no double quotes). */
  readonly message: string;
  /** The SIP status a server answers with. */
  readonly status: number;
  /** The header concerned, when there is one (canonical name). */
  readonly header?: string;
}

export function sipFault(code: SipErrorCode, message: string, header?: string): SipFault {
  const text = message.replace(/["\\\r\n]/g, "'");
  return header === undefined
    ? { code, message: text, status: SIP_ERROR_STATUS[code] }
    : { code, message: text, status: SIP_ERROR_STATUS[code], header };
}

export function isSipErrorCode(value: unknown): value is SipErrorCode {
  return typeof value === 'string' && Object.hasOwn(SIP_ERROR_STATUS, value);
}
