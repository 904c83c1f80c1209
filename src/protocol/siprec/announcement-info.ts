/**
 * How the platform tells the recorder that an announcement was played on start, stop, pause or resume:
 * an in-dialog INFO whose body is a partial recording-metadata document (`application/rs-metadata+xml`,
 * `Content-Disposition: recording-session`, `dataMode partial`) naming the session and carrying one
 * `announcement` element in the project's own extension namespace inside `extensiondata`. A recorder
 * that knows nothing of the extension still reads a well-formed metadata snapshot and ignores the
 * element (RFC 7865 extension data); one that does not take INFO answers 405/415/469 and the recording
 * goes on. `parseAnnouncementInfo` is the recorder's reading of it.
 */
import { type MetadataNamespace, RECORDING_NS, SIPREC_NS } from './recording-metadata.ts';
import { faultResult, okResult, type SiprecResult } from './siprec-errors.ts';
import { childrenNamed, descendants, parseXml } from './xml-tree.ts';

export const ANNOUNCEMENT_NS = 'urn:x-callrec:params:xml:ns:announcement:1';
export const RECORDING_ANNOUNCEMENT_KINDS = ['start', 'stop', 'pause', 'resume'] as const;
export type RecordingAnnouncementKind = (typeof RECORDING_ANNOUNCEMENT_KINDS)[number];
export type AnnouncementSound = 'announcement' | 'beep';

export interface AnnouncementReport {
  readonly kind: RecordingAnnouncementKind;
  readonly sound: AnnouncementSound;
  /** Where in the recording it was played, ms from the recording's start. */
  readonly positionMs: number;
  /** The metadata `session` id of the recording session. */
  readonly sessionId: string;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The INFO body: a partial metadata document with one announcement in `extensiondata`. */
export function buildAnnouncementInfoBody(
  report: AnnouncementReport,
  namespace: MetadataNamespace = 'siprec',
): string {
  const [root, ns] = namespace === 'siprec' ? ['recording_metadata', SIPREC_NS] : ['recording', RECORDING_NS];
  const position = Math.max(0, Math.round(report.positionMs));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${root} xmlns="${ns}">`,
    '  <dataMode>partial</dataMode>',
    `  <session id="${escapeXml(report.sessionId)}">`,
    `    <extensiondata xmlns:callrec="${ANNOUNCEMENT_NS}">`,
    `      <callrec:announcement kind="${report.kind}" sound="${report.sound}" position-ms="${position}"/>`,
    '    </extensiondata>',
    '  </session>',
    `</${root}>`,
    '',
  ].join('\n');
}

const isKind = (v: string | undefined): v is RecordingAnnouncementKind =>
  (RECORDING_ANNOUNCEMENT_KINDS as readonly string[]).includes(v ?? '');

/** Reads an announcement INFO body (either metadata namespace); a fault says what is wrong. */
export function parseAnnouncementInfo(text: string): SiprecResult<AnnouncementReport> {
  const parsed = parseXml(text);
  if (!parsed.ok) return faultResult('SIPREC_ERR_METADATA', `The INFO body is not XML: ${parsed.reason}`);
  const { root } = parsed;
  const ns = root.ns === SIPREC_NS || root.ns === RECORDING_NS ? root.ns : undefined;
  if (ns === undefined) {
    return faultResult('SIPREC_ERR_METADATA', `The INFO body's root is not recording metadata (${root.ns})`);
  }
  const session = childrenNamed(root, ns, 'session')[0];
  const sessionId = session?.attrs.id ?? session?.attrs.session_id;
  const found = descendants(root).find((e) => e.ns === ANNOUNCEMENT_NS && e.local === 'announcement');
  if (session === undefined || sessionId === undefined || found === undefined) {
    return faultResult('SIPREC_ERR_METADATA', 'The INFO body names no session or carries no announcement');
  }
  const { kind, sound } = found.attrs;
  const positionMs = Number(found.attrs['position-ms']);
  if (!isKind(kind) || (sound !== 'beep' && sound !== 'announcement') || !Number.isSafeInteger(positionMs)) {
    return faultResult(
      'SIPREC_ERR_METADATA',
      'An announcement needs kind (start, stop, pause, resume), sound (announcement, beep) and position-ms',
    );
  }
  return okResult({ kind, sound, positionMs, sessionId });
}
