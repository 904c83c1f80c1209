/**
 * The `multipart/mixed` body of a recording INVITE (RFC 2046 §5.1, RFC 7866 §8): one part
 * `application/sdp`, one `application/rs-metadata+xml` with `Content-Disposition: recording-session`.
 * BroadWorks' boundary is literally `UniqueBroadWorksBoundary`. Parsing accepts the parts in either order,
 * a quoted or bare boundary, a preamble and an epilogue, and bare LF line ends from sloppy senders.
 */
import { faultResult, okResult, type SiprecResult } from './siprec-errors.ts';

export const BROADWORKS_BOUNDARY = 'UniqueBroadWorksBoundary';
export const SDP_CONTENT_TYPE = 'application/sdp';
export const METADATA_CONTENT_TYPE = 'application/rs-metadata+xml';
export const METADATA_DISPOSITION = 'recording-session';

export interface MimePart {
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ContentType {
  /** Lower-cased `type/subtype`. */
  readonly mediaType: string;
  /** Parameter names lower-cased, values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

/** `type/subtype *(; name=value)`, values optionally quoted (RFC 2045 §5.1). */
export function parseContentType(value: string): ContentType | undefined {
  const [head, ...rest] = splitParams(value);
  const mediaType = (head ?? '').trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mediaType)) return undefined;
  const params: Record<string, string> = {};
  for (const item of rest) {
    const eq = item.indexOf('=');
    if (eq <= 0) return undefined;
    let v = item.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    params[item.slice(0, eq).trim().toLowerCase()] = v;
  }
  return { mediaType, params };
}

function splitParams(value: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\\' && quoted) i++;
    else if (ch === ';' && !quoted) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.filter((s, i) => i === 0 || s.trim().length > 0);
}

export function multipartContentType(boundary: string): string {
  return `multipart/mixed;boundary=${boundary}`;
}

/** Writes the parts with CRLF line ends; each part's headers in the order given. */
export function buildMultipart(parts: readonly MimePart[], boundary: string): string {
  let out = '';
  for (const part of parts) {
    out += `--${boundary}\r\n`;
    for (const [name, value] of Object.entries(part.headers)) out += `${displayName(name)}: ${value}\r\n`;
    out += `\r\n${part.body}\r\n`;
  }
  return `${out}--${boundary}--\r\n`;
}

function displayName(lower: string): string {
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** Splits a multipart body at its boundary (RFC 2046: delimiter = CRLF "--" boundary). */
export function parseMultipart(body: string, boundary: string): SiprecResult<MimePart[]> {
  if (boundary.length === 0 || boundary.length > 70) {
    return faultResult('SIPREC_ERR_MULTIPART', 'The multipart boundary must be 1 to 70 characters');
  }
  const text = body.replace(/\r?\n/g, '\r\n');
  const delimiter = `--${boundary}`;
  const first = text.startsWith(delimiter) ? 0 : text.indexOf(`\r\n${delimiter}`);
  if (first < 0) {
    return faultResult('SIPREC_ERR_MULTIPART', `The body has no "--${boundary.slice(0, 70)}" delimiter`);
  }
  let cursor = first === 0 ? delimiter.length : first + 2 + delimiter.length;
  const parts: MimePart[] = [];
  for (;;) {
    if (text.startsWith('--', cursor)) break;
    const lineEnd = text.indexOf('\r\n', cursor);
    if (lineEnd < 0 || text.slice(cursor, lineEnd).trim().length > 0) {
      return faultResult('SIPREC_ERR_MULTIPART', 'A delimiter line has text after the boundary');
    }
    const next = text.indexOf(`\r\n${delimiter}`, lineEnd);
    if (next < 0) {
      return faultResult('SIPREC_ERR_MULTIPART', `The body has no closing "--${boundary.slice(0, 70)}--"`);
    }
    const part = parsePart(text.slice(lineEnd + 2, next));
    if (!part.ok) return part;
    parts.push(part.value);
    cursor = next + 2 + delimiter.length;
  }
  if (parts.length === 0) return faultResult('SIPREC_ERR_MULTIPART', 'The multipart body has no parts');
  return okResult(parts);
}

function parsePart(text: string): SiprecResult<MimePart> {
  const split = text.startsWith('\r\n') ? 0 : text.indexOf('\r\n\r\n');
  if (split < 0)
    return faultResult('SIPREC_ERR_MULTIPART', 'A part has no blank line between headers and body');
  const headers: Record<string, string> = {};
  const headText = text.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  for (const line of headText.split('\r\n')) {
    if (line.length === 0) continue;
    const colon = line.indexOf(':');
    if (colon <= 0)
      return faultResult('SIPREC_ERR_MULTIPART', `Part header "${line.slice(0, 40)}" has no colon`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return okResult({ headers, body: text.slice(split === 0 ? 2 : split + 4) });
}

export interface RecordingBodyParts {
  readonly sdp: string;
  readonly metadata: string;
  /** Which came first, for reports. */
  readonly order: 'sdp-first' | 'metadata-first';
}

/** Finds the SDP and the metadata among the parts of a recording INVITE, in whichever order. */
export function recordingParts(
  contentTypeValue: string | undefined,
  body: string,
): SiprecResult<RecordingBodyParts> {
  const contentType = contentTypeValue === undefined ? undefined : parseContentType(contentTypeValue);
  if (contentType === undefined || contentType.mediaType !== 'multipart/mixed') {
    return faultResult(
      'SIPREC_ERR_CONTENT_TYPE',
      `Content-Type ${contentType?.mediaType ?? contentTypeValue ?? '(none)'} is not multipart/mixed with SDP and recording metadata`,
    );
  }
  const boundary = contentType.params.boundary;
  if (boundary === undefined)
    return faultResult('SIPREC_ERR_MULTIPART', 'Content-Type multipart/mixed has no boundary');
  const parts = parseMultipart(body, boundary);
  if (!parts.ok) return parts;
  const typeOf = (p: MimePart) => parseContentType(p.headers['content-type'] ?? 'text/plain')?.mediaType;
  const sdpIndex = parts.value.findIndex((p) => typeOf(p) === SDP_CONTENT_TYPE);
  const metaIndex = parts.value.findIndex((p) => typeOf(p) === METADATA_CONTENT_TYPE);
  if (sdpIndex < 0) return faultResult('SIPREC_ERR_MISSING_PART', 'The body has no application/sdp part');
  if (metaIndex < 0) {
    return faultResult('SIPREC_ERR_MISSING_PART', 'The body has no application/rs-metadata+xml part');
  }
  return okResult({
    sdp: (parts.value[sdpIndex] as MimePart).body,
    metadata: (parts.value[metaIndex] as MimePart).body,
    order: sdpIndex < metaIndex ? 'sdp-first' : 'metadata-first',
  });
}
