/**
 * Writes a SIP message as bytes: start line, one `Name: value` line per header in order, a blank line and
 * the body. Content-Length is always written and always equals the body's byte length (the header's first
 * occurrence is updated in place, or one is appended), so the receiver's framing cannot disagree.
 */
import { SIP_VERSION, type SipMessage, withHeader } from './sip-message.ts';

const encoder = new TextEncoder();

export function serialiseSip(message: SipMessage): Uint8Array {
  const framed = withHeader(message, 'Content-Length', String(message.body.length));
  const startLine =
    framed.kind === 'request'
      ? `${framed.method} ${framed.uri} ${SIP_VERSION}`
      : `${SIP_VERSION} ${framed.status} ${framed.reason}`;
  let head = `${startLine}\r\n`;
  for (const h of framed.headers) head += `${h.name}: ${h.value}\r\n`;
  head += '\r\n';
  const headBytes = encoder.encode(head);
  const out = new Uint8Array(headBytes.length + framed.body.length);
  out.set(headBytes, 0);
  out.set(framed.body, headBytes.length);
  return out;
}

/** The same as text (bodies of this project are UTF-8 text), for logs, docs and tests. */
export function serialiseSipText(message: SipMessage): string {
  return new TextDecoder().decode(serialiseSip(message));
}
