/**
 * The small SIP reading and writing the recorder's adapter needs: the dialog's tags and CSeq of a message,
 * and the refusals it builds itself — each with `Warning: 399 <agent> "<code>: <what is wrong>"` and
 * `Reason` (RFC 3326), the 503 with `Retry-After`, and the 400 to a request missing a mandatory header.
 */
import type { SipPartial } from '../../protocol/sip/parse-sip.ts';
import type { SipFault } from '../../protocol/sip/sip-errors.ts';
import { paramOf, parseNameAddr } from '../../protocol/sip/sip-grammar.ts';
import {
  headerValue,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  sipResponse,
} from '../../protocol/sip/sip-message.ts';
import { buildResponse, reasonHeader, warningHeader } from '../../protocol/sip/sip-responses.ts';

export function fromTagOf(message: SipMessage): string | undefined {
  const from = parseNameAddr(headerValue(message, 'From') ?? '', 'From');
  return from.ok ? paramOf(from.value.params, 'tag')?.value : undefined;
}

export function toTagOf(message: SipMessage): string | undefined {
  const to = parseNameAddr(headerValue(message, 'To') ?? '', 'To');
  return to.ok ? paramOf(to.value.params, 'tag')?.value : undefined;
}

export function cseqNumberOf(message: SipMessage): number {
  return Number((headerValue(message, 'CSeq') ?? '').trim().split(/\s+/)[0] ?? Number.NaN);
}

/** Text safe for a quoted header value. */
const clean = (text: string): string => text.replace(/["\\\r\n]/g, "'");

export function refusalResponse(
  agent: string,
  request: SipRequest,
  refusal: {
    readonly status: number;
    readonly code: string;
    readonly message: string;
    readonly localTag?: string;
  },
): SipResponse {
  return buildResponse(request, refusal.status, {
    ...(refusal.localTag === undefined ? {} : { toTag: refusal.localTag }),
    headers: [
      warningHeader(agent, clean(`${refusal.code}: ${refusal.message}`)),
      reasonHeader(refusal.status, clean(refusal.message)),
    ],
  });
}

/** 503 with Retry-After: a limit was reached; the INVITE leaves no state. */
export function busyResponse(
  agent: string,
  request: SipRequest,
  why: string,
  retryAfterS: number,
  toTag: string,
): SipResponse {
  return buildResponse(request, 503, {
    toTag,
    headers: [
      { name: 'Retry-After', value: String(retryAfterS) },
      warningHeader(agent, clean(`SIPREC_ERR_BUSY: ${why}`)),
      reasonHeader(503, clean(why)),
    ],
  });
}

/**
 * A 400 for a request missing a mandatory header (which the parser's own answer cannot copy), when it has
 * a Via to answer to; undefined otherwise (the message is dropped).
 */
export function missingHeaderResponse(
  agent: string,
  partial: SipPartial,
  fault: SipFault,
): SipResponse | undefined {
  const headers = partial.headers;
  if (partial.kind !== 'request' || partial.method === 'ACK' || headers === undefined) return undefined;
  if (!headers.some((h) => h.name === 'Via')) return undefined;
  const copied = headers.filter((h) => ['Via', 'From', 'To', 'Call-ID', 'CSeq'].includes(h.name));
  return sipResponse({
    status: fault.status,
    reason: 'Bad Request',
    headers: [...copied, warningHeader(agent, fault.message), reasonHeader(fault.status, fault.message)],
  });
}
