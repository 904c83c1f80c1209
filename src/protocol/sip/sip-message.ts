/**
 * The SIP message model (RFC 3261 §7): a start line, an ordered list of header fields and a body of bytes.
 * Header names are stored in their canonical long form (compact forms such as `v` and `i` are expanded on
 * parse, known names get their usual spelling), values are unfolded and trimmed, and each header line is
 * one entry, so a message round-trips through serialise and parse unchanged.
 */

export interface SipHeader {
  readonly name: string;
  readonly value: string;
}

interface SipMessageBase {
  readonly headers: readonly SipHeader[];
  /** Exactly Content-Length bytes. */
  readonly body: Uint8Array;
}

export interface SipRequest extends SipMessageBase {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: string;
}

export interface SipResponse extends SipMessageBase {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
}

export type SipMessage = SipRequest | SipResponse;

export const SIP_VERSION = 'SIP/2.0';

/** RFC 3261 §7.3.3 and the registry's later compact forms. */
export const COMPACT_HEADER_FORMS: Readonly<Record<string, string>> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
};

const CANONICAL_NAMES = [
  'Accept',
  'Accept-Contact',
  'Accept-Encoding',
  'Accept-Language',
  'Alert-Info',
  'Allow',
  'Allow-Events',
  'Authentication-Info',
  'Authorization',
  'Call-ID',
  'Call-Info',
  'Contact',
  'Content-Disposition',
  'Content-Encoding',
  'Content-Language',
  'Content-Length',
  'Content-Type',
  'CSeq',
  'Date',
  'Error-Info',
  'Event',
  'Expires',
  'From',
  'In-Reply-To',
  'Max-Forwards',
  'Min-Expires',
  'MIME-Version',
  'Organization',
  'Priority',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Require',
  'Reason',
  'Record-Route',
  'Refer-To',
  'Referred-By',
  'Reject-Contact',
  'Reply-To',
  'Request-Disposition',
  'Require',
  'Retry-After',
  'Route',
  'Server',
  'Session-Expires',
  'Session-ID',
  'Subject',
  'Supported',
  'Timestamp',
  'To',
  'Unsupported',
  'User-Agent',
  'Via',
  'Warning',
  'WWW-Authenticate',
];
const CANONICAL_BY_LOWER: ReadonlyMap<string, string> = new Map(
  CANONICAL_NAMES.map((name) => [name.toLowerCase(), name]),
);

/** The name a header is stored under: compact forms expanded, known names spelled as in RFC 3261. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) {
    const long = COMPACT_HEADER_FORMS[lower];
    if (long !== undefined) return long;
  }
  return CANONICAL_BY_LOWER.get(lower) ?? name;
}

/** Headers whose values are comma-separated lists (RFC 3261 §7.3.1), so one line may hold several. */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'Accept',
  'Accept-Encoding',
  'Accept-Language',
  'Alert-Info',
  'Allow',
  'Allow-Events',
  'Call-Info',
  'Contact',
  'Content-Encoding',
  'Content-Language',
  'Error-Info',
  'In-Reply-To',
  'Proxy-Require',
  'Reason',
  'Record-Route',
  'Require',
  'Route',
  'Supported',
  'Unsupported',
  'Via',
  'Warning',
]);

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(canonicalHeaderName(name));
}

/** Splits a list value at commas outside quoted strings and angle brackets. */
export function splitHeaderList(value: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      items.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(value.slice(start).trim());
  return items;
}

/** The value of the first header of that name (any spelling, compact or long), or undefined. */
export function headerValue(message: Pick<SipMessage, 'headers'>, name: string): string | undefined {
  const wanted = canonicalHeaderName(name);
  return message.headers.find((h) => h.name === wanted)?.value;
}

/** Every value of that header, list headers split at their commas, in order. */
export function headerValues(message: Pick<SipMessage, 'headers'>, name: string): string[] {
  const wanted = canonicalHeaderName(name);
  const lines = message.headers.filter((h) => h.name === wanted).map((h) => h.value);
  return isListHeader(wanted) ? lines.flatMap(splitHeaderList) : lines;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function textBody(text: string): Uint8Array {
  return encoder.encode(text);
}

export function bodyText(message: Pick<SipMessage, 'body'>): string {
  return decoder.decode(message.body);
}

/** Replaces (first occurrence, in place) or appends a header; removes later duplicates of it. */
export function withHeader<M extends SipMessage>(message: M, name: string, value: string): M {
  const wanted = canonicalHeaderName(name);
  const headers: SipHeader[] = [];
  let done = false;
  for (const h of message.headers) {
    if (h.name !== wanted) headers.push(h);
    else if (!done) {
      headers.push({ name: wanted, value });
      done = true;
    }
  }
  if (!done) headers.push({ name: wanted, value });
  return { ...message, headers };
}

/** A request whose Content-Length matches its body (the form serialise and parse agree on). */
export function sipRequest(fields: {
  method: string;
  uri: string;
  headers: readonly SipHeader[];
  body?: Uint8Array | string;
}): SipRequest {
  const body = toBytes(fields.body);
  return withHeader(
    { kind: 'request', method: fields.method, uri: fields.uri, headers: fields.headers, body },
    'Content-Length',
    String(body.length),
  );
}

export function sipResponse(fields: {
  status: number;
  reason: string;
  headers: readonly SipHeader[];
  body?: Uint8Array | string;
}): SipResponse {
  const body = toBytes(fields.body);
  return withHeader(
    { kind: 'response', status: fields.status, reason: fields.reason, headers: fields.headers, body },
    'Content-Length',
    String(body.length),
  );
}

function toBytes(body: Uint8Array | string | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === 'string' ? encoder.encode(body) : body;
}

/** The usual reason phrases of the statuses this project sends. */
export const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  200: 'OK',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  420: 'Bad Extension',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'Version Not Supported',
  513: 'Message Too Large',
};
