/**
 * Parses SIP messages (RFC 3261 §7) from a UDP datagram or out of a TCP byte stream, without sockets or
 * state outside the stream reader. Checks, in order: size limits, start line and version, header lines
 * (folding undone, compact names expanded), single-instance headers, the grammar of the headers the
 * transaction and dialog layers rely on, the mandatory headers, CSeq against the method, and
 * Content-Length framing. Never throws: every defect is one `SipFault`, returned with whatever of the
 * request was readable so a server can still answer it with 400 and a `Warning`.
 */
import { type SipFault, sipFault } from './sip-errors.ts';
import { parseBoundedInteger, parseCSeq, parseNameAddr, parseVia, TOKEN_RE } from './sip-grammar.ts';
import {
  canonicalHeaderName,
  isListHeader,
  SIP_VERSION,
  type SipHeader,
  type SipMessage,
  splitHeaderList,
} from './sip-message.ts';

export interface SipLimits {
  /** Largest whole message (start line, headers and body). UDP cannot carry more than 65,535 bytes. */
  readonly maxMessageBytes: number;
  /** Largest header section (start line and headers). */
  readonly maxHeaderBytes: number;
  readonly maxHeaderCount: number;
}

export const DEFAULT_SIP_LIMITS: SipLimits = {
  maxMessageBytes: 65_535,
  maxHeaderBytes: 32_768,
  maxHeaderCount: 256,
};

/** What was readable of a message that failed, so a 400 can still copy Via, From, To, Call-ID and CSeq. */
export interface SipPartial {
  readonly kind?: 'request' | 'response';
  readonly method?: string;
  readonly headers?: readonly SipHeader[];
}

export type SipParseResult =
  | { readonly ok: true; readonly message: SipMessage; readonly trailingBytes: number }
  | { readonly ok: false; readonly fault: SipFault; readonly partial: SipPartial };

const SINGLE_HEADERS = [
  'Call-ID',
  'CSeq',
  'From',
  'To',
  'Max-Forwards',
  'Content-Length',
  'Content-Type',
  'Expires',
  'Date',
];
const REQUIRED_IN_REQUEST = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];
const REQUIRED_IN_RESPONSE = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];
const MAX_UINT32 = 2 ** 32 - 1;
const DATE_RE = /^[A-Za-z]{3},[ \t]+\d{1,2}[ \t]+[A-Za-z]{3}[ \t]+\d{4}[ \t]+\d{2}:\d{2}:\d{2}[ \t]+GMT$/;
const WARNING_RE = /^\d{3}[ \t]+\S+[ \t]+"(?:[^"\\]|\\.)*"$/s;

const decoder = new TextDecoder();
const CR = 13;
const LF = 10;

/** Index just after the CRLFCRLF that ends the header section starting at `from`, or -1. */
export function headerSectionEnd(bytes: Uint8Array, from: number, limit: number): number {
  const end = Math.min(bytes.length, limit);
  for (let i = from; i + 3 < end; i++) {
    if (bytes[i] === CR && bytes[i + 1] === LF && bytes[i + 2] === CR && bytes[i + 3] === LF) return i + 4;
  }
  return -1;
}

/** Skips CRLFs sent before a message (keep-alives, RFC 3261 §7.5; RFC 5626 §3.5.1). */
export function skipLeadingCrlf(bytes: Uint8Array, from: number): number {
  let i = from;
  while (i < bytes.length && (bytes[i] === CR || bytes[i] === LF)) i++;
  return i;
}

interface Head {
  readonly kind: 'request' | 'response';
  readonly method?: string;
  readonly uri?: string;
  readonly status?: number;
  readonly reason?: string;
  readonly headers: SipHeader[];
}

type HeadResult = { ok: true; head: Head } | { ok: false; fault: SipFault; partial: SipPartial };

function parseStartLine(
  line: string,
): { ok: true; head: Omit<Head, 'headers'> } | { ok: false; fault: SipFault } {
  if (/^SIP\//i.test(line)) {
    const m = /^(SIP\/\d+\.\d+) (\d{3}) ([^\r\n]*)$/i.exec(line);
    if (m === null) {
      return {
        ok: false,
        fault: sipFault('SIP_ERR_START_LINE', 'Status line must be "SIP/2.0 <3-digit code> <reason>"'),
      };
    }
    if ((m[1] as string).toUpperCase() !== SIP_VERSION) {
      return { ok: false, fault: sipFault('SIP_ERR_VERSION', `${m[1]} is not supported; use SIP/2.0`) };
    }
    const status = Number(m[2]);
    if (status < 100 || status > 699) {
      return { ok: false, fault: sipFault('SIP_ERR_START_LINE', `Status code ${m[2]} is outside 100-699`) };
    }
    return { ok: true, head: { kind: 'response', status, reason: m[3] as string } };
  }
  const parts = line.split(' ');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    return {
      ok: false,
      fault: sipFault(
        'SIP_ERR_START_LINE',
        'Request line must be "<method> <Request-URI> SIP/2.0" separated by single spaces, with nothing after',
      ),
    };
  }
  const [method, uri, version] = parts as [string, string, string];
  if (!TOKEN_RE.test(method)) {
    return { ok: false, fault: sipFault('SIP_ERR_START_LINE', 'Method is not a token') };
  }
  if (!/^SIP\/\d+\.\d+$/i.test(version)) {
    return {
      ok: false,
      fault: sipFault('SIP_ERR_START_LINE', `"${version.slice(0, 20)}" is not a SIP version`),
    };
  }
  if (version.toUpperCase() !== SIP_VERSION) {
    return { ok: false, fault: sipFault('SIP_ERR_VERSION', `${version} is not supported; use SIP/2.0`) };
  }
  if (uri.startsWith('<')) {
    return { ok: false, fault: sipFault('SIP_ERR_START_LINE', 'Request-URI must not be enclosed in <>') };
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"]+$/.test(uri)) {
    return {
      ok: false,
      fault: sipFault('SIP_ERR_START_LINE', `Request-URI "${uri.slice(0, 60)}" is not a URI`),
    };
  }
  if (/^sips?:/i.test(uri) && uri.slice(uri.lastIndexOf('@') + 1).includes('?')) {
    return {
      ok: false,
      fault: sipFault('SIP_ERR_START_LINE', 'A SIP Request-URI must not carry headers (?...)'),
    };
  }
  return { ok: true, head: { kind: 'request', method, uri } };
}

function splitHeaderLines(
  text: string,
  limits: SipLimits,
): { ok: true; headers: SipHeader[] } | { ok: false; fault: SipFault; headers: SipHeader[] } {
  const headers: SipHeader[] = [];
  const lines = text.split('\r\n');
  let current: { name: string; value: string } | undefined;
  const flush = () => {
    if (current !== undefined) headers.push({ name: current.name, value: current.value.trim() });
    current = undefined;
  };
  for (const line of lines) {
    if (line.length === 0) continue;
    if (line.includes('\r') || line.includes('\n')) {
      return {
        ok: false,
        fault: sipFault('SIP_ERR_HEADER_SYNTAX', 'A header line holds a bare CR or LF; lines end with CRLF'),
        headers,
      };
    }
    if (line[0] === ' ' || line[0] === '\t') {
      if (current === undefined) {
        return {
          ok: false,
          fault: sipFault('SIP_ERR_HEADER_SYNTAX', 'A continuation line comes before any header'),
          headers,
        };
      }
      current.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).replace(/[ \t]+$/, '');
    if (colon < 0 || !TOKEN_RE.test(name)) {
      return {
        ok: false,
        fault: sipFault(
          'SIP_ERR_HEADER_SYNTAX',
          `Header line "${line.slice(0, 40)}" is not "<name>: <value>"`,
        ),
        headers,
      };
    }
    if (headers.length >= limits.maxHeaderCount) {
      return {
        ok: false,
        fault: sipFault('SIP_ERR_TOO_LARGE', `More than ${limits.maxHeaderCount} header lines`),
        headers,
      };
    }
    current = { name: canonicalHeaderName(name), value: line.slice(colon + 1) };
  }
  flush();
  return { ok: true, headers };
}

/** The grammar check of one header; undefined when it is fine or not one this parser checks. */
function checkHeader(header: SipHeader): string | undefined {
  const { name, value } = header;
  const items = isListHeader(name) ? splitHeaderList(value) : [value];
  switch (name) {
    case 'Via':
      for (const item of items) {
        if (item.length === 0) return 'Via: empty list element';
        const via = parseVia(item);
        if (!via.ok) return via.reason;
      }
      return undefined;
    case 'From':
    case 'To': {
      const r = parseNameAddr(value, name);
      return r.ok ? undefined : r.reason;
    }
    case 'Contact':
      if (value.trim() === '*') return undefined;
      for (const item of items) {
        if (item.length === 0) return 'Contact: empty list element';
        const r = parseNameAddr(item, name);
        if (!r.ok) return r.reason;
      }
      return undefined;
    case 'Route':
    case 'Record-Route':
      for (const item of items) {
        const r = parseNameAddr(item, name);
        if (!r.ok) return r.reason;
        if (!item.trim().startsWith('<') && !item.includes('<')) return `${name}: each value must be <URI>`;
      }
      return undefined;
    case 'CSeq': {
      const r = parseCSeq(value);
      return r.ok ? undefined : r.reason;
    }
    case 'Call-ID':
      return /^\S+$/.test(value) ? undefined : 'Call-ID: must be one word without whitespace';
    case 'Max-Forwards': {
      const r = parseBoundedInteger(value, name, 255);
      return r.ok ? undefined : r.reason;
    }
    case 'Expires': {
      const r = parseBoundedInteger(value, name, MAX_UINT32);
      return r.ok ? undefined : r.reason;
    }
    case 'Content-Length': {
      const r = parseBoundedInteger(value, name, Number.MAX_SAFE_INTEGER);
      return r.ok ? undefined : r.reason;
    }
    case 'Retry-After': {
      const seconds = /^\d+/.exec(value)?.[0];
      if (seconds === undefined) return 'Retry-After: must start with a number of seconds';
      return Number(seconds) <= MAX_UINT32
        ? undefined
        : `Retry-After: ${seconds.slice(0, 24)} is above 2^32-1`;
    }
    case 'Date':
      return DATE_RE.test(value) ? undefined : 'Date: must be an RFC 1123 date in GMT';
    case 'Warning':
      for (const item of items) {
        if (!WARNING_RE.test(item)) return 'Warning: expected "<3-digit code> <agent> \\"<text>\\""';
      }
      return undefined;
    default:
      return undefined;
  }
}

function parseHead(text: string, limits: SipLimits): HeadResult {
  const firstEnd = text.indexOf('\r\n');
  const startLine = firstEnd < 0 ? text : text.slice(0, firstEnd);
  const start = parseStartLine(startLine);
  const lines = splitHeaderLines(firstEnd < 0 ? '' : text.slice(firstEnd + 2), limits);
  if (!start.ok) {
    // A request line we could not accept still names a method, so the request can be answered (400, 505).
    const method = /^SIP\//i.test(startLine) ? undefined : startLine.split(' ')[0];
    return {
      ok: false,
      fault: start.fault,
      partial:
        method !== undefined && TOKEN_RE.test(method)
          ? { kind: 'request', method, headers: lines.headers }
          : { headers: lines.headers },
    };
  }
  const partial: SipPartial =
    start.head.method === undefined
      ? { kind: start.head.kind, headers: lines.headers }
      : { kind: start.head.kind, method: start.head.method, headers: lines.headers };
  if (!lines.ok) return { ok: false, fault: lines.fault, partial };
  const headers = lines.headers;
  for (const name of SINGLE_HEADERS) {
    if (headers.filter((h) => h.name === name).length > 1) {
      return {
        ok: false,
        fault: sipFault('SIP_ERR_DUPLICATE_HEADER', `${name} appears more than once`, name),
        partial,
      };
    }
  }
  for (const header of headers) {
    const reason = checkHeader(header);
    if (reason !== undefined) {
      return { ok: false, fault: sipFault('SIP_ERR_HEADER_SYNTAX', reason, header.name), partial };
    }
  }
  const required = start.head.kind === 'request' ? REQUIRED_IN_REQUEST : REQUIRED_IN_RESPONSE;
  const missing = required.filter((name) => !headers.some((h) => h.name === name));
  if (missing.length > 0) {
    return {
      ok: false,
      fault: sipFault('SIP_ERR_MISSING_HEADER', `Missing ${missing.join(', ')}`, missing[0]),
      partial,
    };
  }
  if (start.head.kind === 'request') {
    const cseq = parseCSeq(headers.find((h) => h.name === 'CSeq')?.value ?? '');
    if (cseq.ok && cseq.value.method !== start.head.method) {
      return {
        ok: false,
        fault: sipFault(
          'SIP_ERR_CSEQ_MISMATCH',
          `CSeq method ${cseq.value.method} is not the request method ${start.head.method}`,
          'CSeq',
        ),
        partial,
      };
    }
  }
  return { ok: true, head: { ...start.head, headers } };
}

function contentLengthOf(headers: readonly SipHeader[]): number | undefined {
  const value = headers.find((h) => h.name === 'Content-Length')?.value;
  return value === undefined ? undefined : Number(value);
}

function toMessage(head: Head, body: Uint8Array): SipMessage {
  return head.kind === 'request'
    ? { kind: 'request', method: head.method as string, uri: head.uri as string, headers: head.headers, body }
    : {
        kind: 'response',
        status: head.status as number,
        reason: head.reason as string,
        headers: head.headers,
        body,
      };
}

/**
 * One message from one UDP datagram. Without Content-Length the body is the rest of the datagram (RFC 3261
 * §18.3); with it, octets after the body are ignored and counted in `trailingBytes`.
 */
export function parseSipDatagram(
  datagram: Uint8Array,
  limits: SipLimits = DEFAULT_SIP_LIMITS,
): SipParseResult {
  if (datagram.length > limits.maxMessageBytes) {
    return {
      ok: false,
      fault: sipFault(
        'SIP_ERR_TOO_LARGE',
        `Message of ${datagram.length} bytes is over ${limits.maxMessageBytes}`,
      ),
      partial: {},
    };
  }
  const from = skipLeadingCrlf(datagram, 0);
  const end = headerSectionEnd(datagram, from, from + limits.maxHeaderBytes + 4);
  if (end < 0) {
    const tooLong = datagram.length - from > limits.maxHeaderBytes;
    return {
      ok: false,
      fault: tooLong
        ? sipFault('SIP_ERR_TOO_LARGE', `Header section is over ${limits.maxHeaderBytes} bytes`)
        : sipFault('SIP_ERR_INCOMPLETE', 'No blank line (CRLF CRLF) ends the header section'),
      partial: {},
    };
  }
  const parsed = parseHead(decoder.decode(datagram.subarray(from, end - 4)), limits);
  if (!parsed.ok) return parsed;
  const declared = contentLengthOf(parsed.head.headers);
  const available = datagram.length - end;
  if (declared !== undefined && declared > available) {
    return {
      ok: false,
      fault: sipFault(
        'SIP_ERR_CONTENT_LENGTH',
        `Content-Length ${declared} is more than the ${available} body bytes received`,
        'Content-Length',
      ),
      partial: partialOf(parsed.head),
    };
  }
  const length = declared ?? available;
  return {
    ok: true,
    message: toMessage(parsed.head, datagram.slice(end, end + length)),
    trailingBytes: available - length,
  };
}

function partialOf(head: Head): SipPartial {
  return head.method === undefined
    ? { kind: head.kind, headers: head.headers }
    : { kind: head.kind, method: head.method, headers: head.headers };
}

/** A fault on a stream, and whether the framing is lost (the connection must then be closed). */
export type SipStreamItem =
  | { readonly ok: true; readonly message: SipMessage }
  | { readonly ok: false; readonly fault: SipFault; readonly partial: SipPartial; readonly fatal: boolean };

export interface SipStreamReader {
  /** Feeds received bytes; returns every message (or fault) completed by them, in order. */
  push(chunk: Uint8Array): SipStreamItem[];
  /** Bytes held for an incomplete message. */
  bufferedBytes(): number;
  /** True after a fatal fault: nothing more is read. */
  readonly broken: boolean;
}

/**
 * Frames messages on a TCP (or TLS) byte stream by Content-Length, which is then mandatory (RFC 3261
 * §18.3). A message whose headers are wrong but whose length is known is reported and skipped; a missing
 * or unreadable Content-Length or an oversized message loses the framing and ends the stream.
 */
export function createSipStreamReader(limits: SipLimits = DEFAULT_SIP_LIMITS): SipStreamReader {
  let buffer: Uint8Array = new Uint8Array(0);
  let broken = false;
  let scanFrom = 0;

  const append = (chunk: Uint8Array) => {
    if (buffer.length === 0) {
      buffer = chunk.slice();
      return;
    }
    const next = new Uint8Array(buffer.length + chunk.length);
    next.set(buffer, 0);
    next.set(chunk, buffer.length);
    buffer = next;
  };

  const fatal = (fault: SipFault, partial: SipPartial): SipStreamItem => {
    broken = true;
    buffer = new Uint8Array(0);
    return { ok: false, fault, partial, fatal: true };
  };

  const next = (): SipStreamItem | undefined => {
    const from = skipLeadingCrlf(buffer, 0);
    if (from > 0) {
      buffer = buffer.subarray(from);
      scanFrom = 0;
    }
    if (buffer.length === 0) return undefined;
    const end = headerSectionEnd(buffer, Math.max(0, scanFrom - 3), limits.maxHeaderBytes + 4);
    if (end < 0) {
      if (buffer.length > limits.maxHeaderBytes) {
        return fatal(
          sipFault('SIP_ERR_TOO_LARGE', `Header section is over ${limits.maxHeaderBytes} bytes`),
          {},
        );
      }
      scanFrom = buffer.length;
      return undefined;
    }
    scanFrom = 0;
    const text = decoder.decode(buffer.subarray(0, end - 4));
    const parsed = parseHead(text, limits);
    const headers = parsed.ok ? parsed.head.headers : (parsed.partial.headers ?? []);
    const lengthValue = headers.find((h) => h.name === 'Content-Length')?.value;
    const length =
      lengthValue !== undefined && /^\d+$/.test(lengthValue.trim()) ? Number(lengthValue) : undefined;
    const partial = parsed.ok ? partialOf(parsed.head) : parsed.partial;
    if (length === undefined) {
      return fatal(
        lengthValue === undefined
          ? sipFault(
              'SIP_ERR_CONTENT_LENGTH',
              'Content-Length is required on a stream transport',
              'Content-Length',
            )
          : sipFault(
              'SIP_ERR_CONTENT_LENGTH',
              `Content-Length "${lengthValue.slice(0, 24)}" is not a number`,
              'Content-Length',
            ),
        partial,
      );
    }
    if (end + length > limits.maxMessageBytes) {
      return fatal(
        sipFault('SIP_ERR_TOO_LARGE', `Message of ${end + length} bytes is over ${limits.maxMessageBytes}`),
        partial,
      );
    }
    if (buffer.length < end + length) {
      scanFrom = 0;
      return undefined;
    }
    const body = buffer.slice(end, end + length);
    buffer = buffer.subarray(end + length);
    if (!parsed.ok) return { ok: false, fault: parsed.fault, partial, fatal: false };
    return { ok: true, message: toMessage(parsed.head, body) };
  };

  return {
    push(chunk) {
      if (broken) return [];
      append(chunk);
      const items: SipStreamItem[] = [];
      for (;;) {
        const item = next();
        if (item === undefined) break;
        items.push(item);
        if (broken) break;
      }
      if (!broken && buffer.byteOffset > 0 && buffer.length < 4096) buffer = buffer.slice();
      return items;
    },
    bufferedBytes: () => buffer.length,
    get broken() {
      return broken;
    },
  };
}
