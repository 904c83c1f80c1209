/**
 * Builds the responses and the non-2xx ACK of RFC 3261 from the request they answer: §8.2.6 (a response
 * copies Via, From, To, Call-ID and CSeq, and the UAS adds its To tag) and §17.1.1.3 (the ACK a client
 * transaction sends for a final response above 299). Also the answer to a message the parser refused: a
 * 400 (or 505, 513) with a `Warning: 399` that names the defect, when enough of the request was readable.
 */
import type { SipParseResult, SipPartial } from './parse-sip.ts';
import type { SipFault } from './sip-errors.ts';
import { paramOf, parseNameAddr, quoteString } from './sip-grammar.ts';
import {
  headerValue,
  REASON_PHRASES,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  sipRequest,
  sipResponse,
} from './sip-message.ts';

export interface ResponseOptions {
  readonly reason?: string;
  /** Added to To when the request's To has no tag yet (a UAS's dialog tag). */
  readonly toTag?: string;
  readonly headers?: readonly SipHeader[];
  readonly body?: Uint8Array | string;
}

const COPIED = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];

function withTag(to: string, tag: string | undefined): string {
  if (tag === undefined) return to;
  const parsed = parseNameAddr(to, 'To');
  if (parsed.ok && paramOf(parsed.value.params, 'tag') !== undefined) return to;
  return `${to};tag=${tag}`;
}

function copyHeaders(headers: readonly SipHeader[], toTag: string | undefined): SipHeader[] {
  return headers
    .filter((h) => COPIED.includes(h.name))
    .map((h) => (h.name === 'To' ? { name: 'To', value: withTag(h.value, toTag) } : h));
}

export function buildResponse(
  request: SipRequest,
  status: number,
  options: ResponseOptions = {},
): SipResponse {
  return sipResponse({
    status,
    reason: options.reason ?? REASON_PHRASES[status] ?? 'Unknown',
    headers: [...copyHeaders(request.headers, options.toTag), ...(options.headers ?? [])],
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

/** RFC 3261 §17.1.1.3: the ACK for a final response above 299, part of the INVITE client transaction. */
export function buildAckForFailure(invite: SipRequest, response: SipResponse): SipRequest {
  const via = invite.headers.find((h) => h.name === 'Via');
  const cseq = headerValue(invite, 'CSeq') ?? '';
  const headers: SipHeader[] = [
    ...(via === undefined ? [] : [via]),
    ...invite.headers.filter((h) => h.name === 'Route'),
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: headerValue(invite, 'From') ?? '' },
    { name: 'To', value: headerValue(response, 'To') ?? headerValue(invite, 'To') ?? '' },
    { name: 'Call-ID', value: headerValue(invite, 'Call-ID') ?? '' },
    { name: 'CSeq', value: `${cseq.split(/\s+/)[0] ?? '1'} ACK` },
  ];
  return sipRequest({ method: 'ACK', uri: invite.uri, headers });
}

/** `Warning: 399 <agent> "<text>"` (RFC 3261 §20.43; 399 is "miscellaneous warning"). */
export function warningHeader(agent: string, text: string): SipHeader {
  return { name: 'Warning', value: `399 ${agent} ${quoteString(text.slice(0, 200))}` };
}

/** `Reason: SIP ;cause=<status> ;text="<text>"` (RFC 3326). */
export function reasonHeader(status: number, text: string): SipHeader {
  return { name: 'Reason', value: `SIP;cause=${status};text=${quoteString(text.slice(0, 200))}` };
}

/**
 * The answer to a request the parser refused, or undefined when it cannot be answered: a response, an ACK
 * (never answered), or a request missing what a response must copy — such a message is dropped.
 */
export function faultResponse(
  partial: SipPartial,
  fault: SipFault,
  agent: string,
  toTag?: string,
): SipResponse | undefined {
  if (partial.kind !== 'request' || partial.method === 'ACK' || partial.headers === undefined)
    return undefined;
  const headers = partial.headers;
  if (!COPIED.every((name) => headers.some((h) => h.name === name))) return undefined;
  return sipResponse({
    status: fault.status,
    reason: REASON_PHRASES[fault.status] ?? 'Bad Request',
    headers: [
      ...copyHeaders(headers, toTag),
      warningHeader(agent, fault.message),
      reasonHeader(fault.status, fault.message),
    ],
  });
}

/** `faultResponse` for a failed parse result; undefined for a parsed one. */
export function answerToUnparsable(
  result: SipParseResult,
  agent: string,
  toTag?: string,
): SipResponse | undefined {
  return result.ok ? undefined : faultResponse(result.partial, result.fault, agent, toTag);
}
