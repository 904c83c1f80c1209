/**
 * The SRC side of a recording session (the platform, RFC 7866), as pure functions over a dialog value:
 * the INVITE shaped like BroadWorks' (multipart SDP + metadata, Contact with `+sip.src` or the older bare
 * `;src`, X-BroadWorks-Correlation-Info = extTrackingID, Session-ID), the ACK for its 200, pause and resume
 * re-INVITEs (the same streams `a=inactive` / `a=sendonly` with a higher `o=` version; SDP only, since the
 * metadata does not change), and BYE. Branches and ids come from the caller, so a replay is deterministic.
 */

import { paramOf, parseNameAddr } from '../sip/sip-grammar.ts';
import {
  headerValue,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  sipRequest,
} from '../sip/sip-message.ts';
import {
  BROADWORKS_BOUNDARY,
  buildMultipart,
  METADATA_CONTENT_TYPE,
  METADATA_DISPOSITION,
  multipartContentType,
  SDP_CONTENT_TYPE,
} from './multipart.ts';
import {
  BROADWORKS_METADATA_VERSION,
  type BroadWorksCallType,
  buildRecordingMetadata,
  type MetadataNamespace,
} from './recording-metadata.ts';
import type { DubPointIdentifiers } from './recording-offer.ts';
import {
  buildRecordingOffer,
  parseRecordingSdp,
  type RecordingCodec,
  type RecordingSdp,
} from './recording-sdp.ts';
import { faultResult, okResult, type SiprecResult } from './siprec-errors.ts';

export interface RecordedParty {
  /** Address of record, e.g. `sip:+15551230001@example.com` or `tel:+15551230001`. */
  readonly aor: string;
  readonly name?: string;
}

export interface MetadataIds {
  readonly session: string;
  readonly group: string;
  readonly userParticipant: string;
  readonly remoteParticipant: string;
  readonly userStream: string;
  readonly remoteStream: string;
}

export interface SrcRecordingSpec {
  /** Where the recorder listens, e.g. `sip:srs@127.0.0.1:5060`. */
  readonly srsUri: string;
  readonly local: {
    readonly host: string;
    readonly port: number;
    readonly transport: 'UDP' | 'TCP';
    readonly user?: string;
  };
  readonly callId: string;
  readonly localTag: string;
  /** The user's configured codec order. */
  readonly codecs: readonly RecordingCodec[];
  /** Where our RTP comes from: label 1 (user) and label 2 (remote) ports. */
  readonly media: { readonly address: string; readonly userPort: number; readonly remotePort: number };
  readonly user: RecordedParty;
  readonly remote: RecordedParty;
  readonly dubPoint: DubPointIdentifiers;
  readonly broadWorks: {
    /** UUID; also sent as X-BroadWorks-Correlation-Info. */
    readonly extTrackingId: string;
    /** The recorded call's id on the platform. */
    readonly callId: string;
    readonly callType: BroadWorksCallType;
    readonly callingPartyNumber?: string;
    readonly calledPartyNumber?: string;
  };
  /** RFC 7989 Session-ID (32 hex digits). */
  readonly sessionIdHeader: string;
  readonly startTimeIso: string;
  readonly ids: MetadataIds;
  /** SDP o= session id (digits). */
  readonly sdpSessionId: string;
  /** `feature-tag` (RFC 7866 `+sip.src`, default) or `src-param` (bare `;src`, as BroadWorks captures show). */
  readonly contactForm?: 'feature-tag' | 'src-param';
  readonly metadataNamespace?: MetadataNamespace;
  readonly partOrder?: 'sdp-first' | 'metadata-first';
  readonly boundary?: string;
}

export interface SrcDialog {
  readonly spec: SrcRecordingSpec;
  /** CSeq of the last request sent. */
  readonly cseq: number;
  /** CSeq of the INVITE (or re-INVITE) an ACK answers. */
  readonly inviteCseq: number;
  readonly sdpVersion: number;
  readonly paused: boolean;
  readonly remoteTag?: string;
  /** The SRS's Contact from its 200: where in-dialog requests go. */
  readonly remoteTarget?: string;
}

const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO';

function contactOf(spec: SrcRecordingSpec): string {
  const { host, port, transport, user } = spec.local;
  const marker = spec.contactForm === 'src-param' ? ';src' : ';+sip.src';
  return `<sip:${user ?? 'src'}@${host}:${port};transport=${transport.toLowerCase()}>${marker}`;
}

function baseHeaders(dialog: SrcDialog, method: string, cseq: number, branch: string): SipHeader[] {
  const { spec } = dialog;
  const { host, port, transport, user } = spec.local;
  return [
    { name: 'Via', value: `SIP/2.0/${transport} ${host}:${port};branch=${branch};rport` },
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: `<sip:${user ?? 'src'}@${host}>;tag=${spec.localTag}` },
    {
      name: 'To',
      value: `<${spec.srsUri}>${dialog.remoteTag === undefined ? '' : `;tag=${dialog.remoteTag}`}`,
    },
    { name: 'Call-ID', value: spec.callId },
    { name: 'CSeq', value: `${cseq} ${method}` },
  ];
}

function offerSdp(dialog: SrcDialog, paused: boolean, version: number): string {
  const { spec } = dialog;
  return buildRecordingOffer({
    origin: { username: 'BroadWorks', sessionId: spec.sdpSessionId, version, address: spec.media.address },
    streams: [
      { label: '1', port: spec.media.userPort },
      { label: '2', port: spec.media.remotePort },
    ],
    codecs: spec.codecs,
    direction: paused ? 'inactive' : 'sendonly',
  });
}

export function recordingMetadataXml(spec: SrcRecordingSpec): string {
  const { ids } = spec;
  return buildRecordingMetadata({
    namespace: spec.metadataNamespace ?? 'siprec',
    dataMode: 'complete',
    sessionId: ids.session,
    groupId: ids.group,
    startTime: spec.startTimeIso,
    participants: [
      { id: ids.userParticipant, ...spec.user, sends: [ids.userStream], receives: [ids.remoteStream] },
      { id: ids.remoteParticipant, ...spec.remote, sends: [ids.remoteStream], receives: [ids.userStream] },
    ],
    streams: [
      { id: ids.userStream, label: '1' },
      { id: ids.remoteStream, label: '2' },
    ],
    broadWorks: {
      version: BROADWORKS_METADATA_VERSION,
      extTrackingId: spec.broadWorks.extTrackingId,
      serviceProviderId: spec.dubPoint.serviceProvider,
      groupId: spec.dubPoint.externalGroup,
      userId: spec.dubPoint.externalIdentifier,
      callId: spec.broadWorks.callId,
      callType: spec.broadWorks.callType,
      ...(spec.broadWorks.callingPartyNumber === undefined
        ? {}
        : { callingPartyNumber: spec.broadWorks.callingPartyNumber }),
      ...(spec.broadWorks.calledPartyNumber === undefined
        ? {}
        : { calledPartyNumber: spec.broadWorks.calledPartyNumber }),
      recordingType: 'on',
    },
  });
}

/** The initial recording INVITE (CSeq 1, o= version 1) and the dialog it starts. */
export function createRecordingInvite(
  spec: SrcRecordingSpec,
  branch: string,
): { request: SipRequest; dialog: SrcDialog } {
  const dialog: SrcDialog = { spec, cseq: 1, inviteCseq: 1, sdpVersion: 1, paused: false };
  const boundary = spec.boundary ?? BROADWORKS_BOUNDARY;
  const sdpPart = { headers: { 'content-type': SDP_CONTENT_TYPE }, body: offerSdp(dialog, false, 1) };
  const metadataPart = {
    headers: { 'content-type': METADATA_CONTENT_TYPE, 'content-disposition': METADATA_DISPOSITION },
    body: recordingMetadataXml(spec),
  };
  const parts = spec.partOrder === 'metadata-first' ? [metadataPart, sdpPart] : [sdpPart, metadataPart];
  const request = sipRequest({
    method: 'INVITE',
    uri: spec.srsUri,
    headers: [
      ...baseHeaders(dialog, 'INVITE', 1, branch),
      { name: 'Contact', value: contactOf(spec) },
      { name: 'Allow', value: ALLOW },
      { name: 'Session-ID', value: spec.sessionIdHeader },
      { name: 'X-BroadWorks-Correlation-Info', value: spec.broadWorks.extTrackingId },
      { name: 'MIME-Version', value: '1.0' },
      { name: 'Content-Type', value: multipartContentType(boundary) },
    ],
    body: buildMultipart(parts, boundary),
  });
  return { request, dialog };
}

/**
 * Reads the SRS's 200 to an INVITE or re-INVITE: its To tag and Contact become the dialog's, and its SDP
 * must answer every label `recvonly` (or `inactive` while paused) with a port.
 */
export function acceptRecordingAnswer(
  dialog: SrcDialog,
  response: SipResponse,
  body: string,
): SiprecResult<{ dialog: SrcDialog; answer: RecordingSdp }> {
  if (response.status < 200 || response.status >= 300) {
    return faultResult('SIPREC_ERR_SDP', `The recorder answered ${response.status} ${response.reason}`);
  }
  const to = parseNameAddr(headerValue(response, 'To') ?? '', 'To');
  const tag = to.ok ? paramOf(to.value.params, 'tag')?.value : undefined;
  const contact = parseNameAddr(headerValue(response, 'Contact') ?? '', 'Contact');
  const answer = parseRecordingSdp(body);
  if (!answer.ok) return answer;
  for (const label of ['1', '2']) {
    const stream = answer.value.streams.find((s) => s.label === label);
    const expected = dialog.paused ? 'inactive' : 'recvonly';
    if (stream === undefined)
      return faultResult('SIPREC_ERR_LABELS', `The answer has no stream with label ${label}`);
    if (stream.direction !== expected) {
      return faultResult(
        'SIPREC_ERR_SDP',
        `The answer's stream ${label} is ${stream.direction}; expected ${expected}`,
      );
    }
  }
  return okResult({
    dialog: {
      ...dialog,
      ...(tag === undefined ? {} : { remoteTag: dialog.remoteTag ?? tag }),
      ...(contact.ok ? { remoteTarget: contact.value.uri } : {}),
    },
    answer: answer.value,
  });
}

function inDialogRequest(
  dialog: SrcDialog,
  method: string,
  cseq: number,
  branch: string,
  extra: SipHeader[],
  body?: string,
): SipRequest {
  return sipRequest({
    method,
    uri: dialog.remoteTarget ?? dialog.spec.srsUri,
    headers: [...baseHeaders(dialog, method, cseq, branch), ...extra],
    ...(body === undefined ? {} : { body }),
  });
}

/** The ACK for a 2xx (a new transaction: its own branch, the INVITE's CSeq number). */
export function buildRecordingAck(dialog: SrcDialog, branch: string): SipRequest {
  return inDialogRequest(dialog, 'ACK', dialog.inviteCseq, branch, []);
}

/** Pause (`a=inactive` on both streams) or resume (`a=sendonly`), as a re-INVITE with SDP only. */
export function buildPauseReInvite(
  dialog: SrcDialog,
  paused: boolean,
  branch: string,
): { request: SipRequest; dialog: SrcDialog } {
  const cseq = dialog.cseq + 1;
  const sdpVersion = dialog.sdpVersion + 1;
  const next: SrcDialog = { ...dialog, cseq, inviteCseq: cseq, sdpVersion, paused };
  const request = inDialogRequest(
    next,
    'INVITE',
    cseq,
    branch,
    [
      { name: 'Contact', value: contactOf(dialog.spec) },
      { name: 'Session-ID', value: dialog.spec.sessionIdHeader },
      { name: 'Content-Type', value: SDP_CONTENT_TYPE },
    ],
    offerSdp(next, paused, sdpVersion),
  );
  return { request, dialog: next };
}

/** Stop or hang-up: BYE ends the recording session. */
export function buildRecordingBye(
  dialog: SrcDialog,
  branch: string,
): { request: SipRequest; dialog: SrcDialog } {
  const cseq = dialog.cseq + 1;
  const next = { ...dialog, cseq };
  return {
    request: inDialogRequest(next, 'BYE', cseq, branch, [
      { name: 'Session-ID', value: dialog.spec.sessionIdHeader },
    ]),
    dialog: next,
  };
}
