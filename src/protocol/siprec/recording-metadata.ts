/**
 * Recording metadata (RFC 7865 model, RFC 7866 §9) as XML, built and read with fast-xml-parser, in the two
 * namespaces in use: BroadWorks' pre-RFC `urn:ietf:params:xml:ns:siprec` (root `recording_metadata`, `id`
 * attributes, `send`/`recv` inside `participant`) — the default — and RFC 7865's
 * `urn:ietf:params:xml:ns:recording:1` (root `recording`, `*_id` attributes, `participantstreamassoc`).
 * The reader accepts either spelling of ids and associations in both, tolerates unknown elements (named in
 * `unknownElements`) and reads the BroadWorks extension `broadWorksRecordingMetadata` (version 3.0),
 * whose service provider, group and user identifiers are the user's dub.point (S19, S33).
 */
import { XMLBuilder } from 'fast-xml-parser';
import { faultResult, okResult, type SiprecResult } from './siprec-errors.ts';
import { childrenNamed, childText, descendants, parseXml, type XmlElement } from './xml-tree.ts';

export const SIPREC_NS = 'urn:ietf:params:xml:ns:siprec';
export const RECORDING_NS = 'urn:ietf:params:xml:ns:recording:1';
export const BROADWORKS_NS = 'http://schema.broadsoft.com/broadworksCallRecording';
export const BROADWORKS_METADATA_VERSION = '3.0';

export type MetadataNamespace = 'siprec' | 'rfc7865';

export interface MetadataParticipant {
  readonly id: string;
  /** Address of record, e.g. `sip:+15551230001@example.com`. */
  readonly aor: string;
  readonly name?: string;
  /** Ids of the streams this participant sends. */
  readonly sends: readonly string[];
  readonly receives: readonly string[];
}

export interface MetadataStream {
  readonly id: string;
  /** Matches the SDP's `a=label`. */
  readonly label: string;
}

export type BroadWorksCallType = 'origCall' | 'termCall';

/** BroadWorks' extension: who is recorded, on which call. */
export interface BroadWorksMetadata {
  readonly version: string;
  /** Same UUID as the INVITE's X-BroadWorks-Correlation-Info. */
  readonly extTrackingId: string;
  /** = dub.point service provider (Control Hub `serviceProvider`). */
  readonly serviceProviderId: string;
  /** = dub.point external group (`externalGroup`). */
  readonly groupId: string;
  /** = dub.point external identifier (`externalIdentifier`), the recorded user. */
  readonly userId: string;
  readonly callId: string;
  /** origCall: the user called out; termCall: the user was called. */
  readonly callType: BroadWorksCallType;
  readonly callingPartyNumber?: string;
  readonly calledPartyNumber?: string;
  readonly recordingType?: string;
}

export interface RecordingMetadata {
  readonly namespace: MetadataNamespace;
  readonly dataMode: string;
  readonly sessionId: string;
  readonly groupId?: string;
  /** ISO 8601. */
  readonly startTime?: string;
  readonly participants: readonly MetadataParticipant[];
  readonly streams: readonly MetadataStream[];
  readonly broadWorks?: BroadWorksMetadata;
  /** Top-level elements this reader does not know, tolerated (vendor extensions), as `{ns}local`. */
  readonly unknownElements: readonly string[];
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

function broadWorksXml(bw: BroadWorksMetadata): Record<string, unknown> {
  const party = {
    ...(bw.callingPartyNumber === undefined ? {} : { 'bwrec:callingPartyNumber': bw.callingPartyNumber }),
    ...(bw.calledPartyNumber === undefined ? {} : { 'bwrec:calledPartyNumber': bw.calledPartyNumber }),
  };
  return {
    '@_xmlns:bwrec': BROADWORKS_NS,
    'bwrec:broadWorksRecordingMetadata': {
      '@_version': bw.version,
      'bwrec:extTrackingID': bw.extTrackingId,
      'bwrec:serviceProviderID': bw.serviceProviderId,
      'bwrec:groupID': bw.groupId,
      'bwrec:userID': bw.userId,
      'bwrec:callID': bw.callId,
      'bwrec:callType': { [`bwrec:${bw.callType}`]: party },
      ...(bw.recordingType === undefined ? {} : { 'bwrec:recordingType': bw.recordingType }),
    },
  };
}

function nameId(p: MetadataParticipant): Record<string, unknown> {
  return { '@_aor': p.aor, ...(p.name === undefined ? {} : { name: p.name }) };
}

/** Writes the metadata document in its namespace's shape. */
export function buildRecordingMetadata(m: Omit<RecordingMetadata, 'unknownElements'>): string {
  const declaration = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' } };
  const extension = m.broadWorks === undefined ? {} : { extensiondata: broadWorksXml(m.broadWorks) };
  if (m.namespace === 'siprec') {
    return builder.build({
      ...declaration,
      recording_metadata: {
        '@_xmlns': SIPREC_NS,
        dataMode: m.dataMode,
        ...(m.groupId === undefined ? {} : { group: { '@_id': m.groupId, ...extension } }),
        session: {
          '@_id': m.sessionId,
          ...(m.groupId === undefined ? {} : { 'group-ref': m.groupId }),
          ...(m.startTime === undefined ? {} : { 'start-time': m.startTime }),
          ...(m.groupId === undefined ? extension : {}),
        },
        participant: m.participants.map((p) => ({
          '@_id': p.id,
          '@_session': m.sessionId,
          nameID: nameId(p),
          ...(p.sends.length === 0 ? {} : { send: [...p.sends] }),
          ...(p.receives.length === 0 ? {} : { recv: [...p.receives] }),
        })),
        stream: m.streams.map((s) => ({
          '@_id': s.id,
          '@_session': m.sessionId,
          label: s.label,
          mode: 'separate',
        })),
      },
    });
  }
  return builder.build({
    ...declaration,
    recording: {
      '@_xmlns': RECORDING_NS,
      datamode: m.dataMode,
      ...(m.groupId === undefined ? {} : { group: { '@_group_id': m.groupId } }),
      session: {
        '@_session_id': m.sessionId,
        ...(m.groupId === undefined ? {} : { 'group-ref': m.groupId }),
        ...(m.startTime === undefined ? {} : { 'start-time': m.startTime }),
        ...extension,
      },
      participant: m.participants.map((p) => ({ '@_participant_id': p.id, nameID: nameId(p) })),
      stream: m.streams.map((s) => ({ '@_stream_id': s.id, '@_session_id': m.sessionId, label: s.label })),
      participantsessionassoc: m.participants.map((p) => ({
        '@_participant_id': p.id,
        '@_session_id': m.sessionId,
      })),
      participantstreamassoc: m.participants.map((p) => ({
        '@_participant_id': p.id,
        ...(p.sends.length === 0 ? {} : { send: [...p.sends] }),
        ...(p.receives.length === 0 ? {} : { recv: [...p.receives] }),
      })),
    },
  });
}

const KNOWN_TOP = new Set([
  'dataMode',
  'datamode',
  'group',
  'session',
  'participant',
  'stream',
  'participantstreamassoc',
  'participantsessionassoc',
  'sessionrecordingassoc',
  'extensiondata',
]);

function idOf(element: XmlElement, kind: 'session' | 'participant' | 'stream' | 'group'): string | undefined {
  const id = element.attrs[`${kind}_id`] ?? element.attrs.id;
  return id === undefined || id.trim().length === 0 ? undefined : id.trim();
}

function readBroadWorks(root: XmlElement): SiprecResult<BroadWorksMetadata | undefined> {
  const block = descendants(root).find(
    (e) => e.ns === BROADWORKS_NS && e.local === 'broadWorksRecordingMetadata',
  );
  if (block === undefined) return okResult(undefined);
  const text = (local: string) => childText(block, BROADWORKS_NS, local);
  const required = ['extTrackingID', 'serviceProviderID', 'groupID', 'userID', 'callID'] as const;
  const missing = required.filter((name) => (text(name) ?? '').length === 0);
  if (missing.length > 0) {
    return faultResult('SIPREC_ERR_METADATA', `broadWorksRecordingMetadata has no ${missing.join(', ')}`);
  }
  const callTypeElement = childrenNamed(block, BROADWORKS_NS, 'callType')[0];
  const kind = callTypeElement?.children.find(
    (c) => c.ns === BROADWORKS_NS && (c.local === 'origCall' || c.local === 'termCall'),
  );
  if (kind === undefined) {
    return faultResult(
      'SIPREC_ERR_METADATA',
      'broadWorksRecordingMetadata callType must hold origCall or termCall',
    );
  }
  const calling = childText(kind, BROADWORKS_NS, 'callingPartyNumber');
  const called = childText(kind, BROADWORKS_NS, 'calledPartyNumber');
  const recordingType = text('recordingType');
  return okResult({
    version: block.attrs.version ?? '',
    extTrackingId: text('extTrackingID') as string,
    serviceProviderId: text('serviceProviderID') as string,
    groupId: text('groupID') as string,
    userId: text('userID') as string,
    callId: text('callID') as string,
    callType: kind.local as BroadWorksCallType,
    ...(calling === undefined ? {} : { callingPartyNumber: calling }),
    ...(called === undefined ? {} : { calledPartyNumber: called }),
    ...(recordingType === undefined ? {} : { recordingType }),
  });
}

/** Reads a metadata document; a fault names the element or reference that is wrong. */
export function parseRecordingMetadata(text: string): SiprecResult<RecordingMetadata> {
  const xml = parseXml(text);
  if (!xml.ok) return faultResult('SIPREC_ERR_METADATA', `Metadata is not well-formed XML: ${xml.reason}`);
  const root = xml.root;
  let namespace: MetadataNamespace;
  if (root.ns === SIPREC_NS && root.local === 'recording_metadata') namespace = 'siprec';
  else if (root.ns === RECORDING_NS && root.local === 'recording') namespace = 'rfc7865';
  else {
    return faultResult(
      'SIPREC_ERR_METADATA',
      `Root element {${root.ns}}${root.local} is neither ${SIPREC_NS} recording_metadata nor ${RECORDING_NS} recording`,
    );
  }
  const ns = root.ns;
  const sessions = childrenNamed(root, ns, 'session');
  const session = sessions[0];
  if (session === undefined) return faultResult('SIPREC_ERR_METADATA', 'Metadata has no session element');
  const sessionId = idOf(session, 'session');
  if (sessionId === undefined) return faultResult('SIPREC_ERR_METADATA', 'The session element has no id');
  const group = childrenNamed(root, ns, 'group')[0];
  const groupId = group === undefined ? undefined : idOf(group, 'group');

  const streams: MetadataStream[] = [];
  for (const element of childrenNamed(root, ns, 'stream')) {
    const id = idOf(element, 'stream');
    const label = childText(element, ns, 'label');
    if (id === undefined) return faultResult('SIPREC_ERR_METADATA', 'A stream element has no id');
    if (label === undefined || label.length === 0) {
      return faultResult('SIPREC_ERR_METADATA', `Stream ${id} has no label`);
    }
    if (streams.some((s) => s.id === id))
      return faultResult('SIPREC_ERR_METADATA', `Stream id ${id} is used twice`);
    streams.push({ id, label });
  }
  if (streams.length === 0) return faultResult('SIPREC_ERR_METADATA', 'Metadata has no stream element');

  const assocs = childrenNamed(root, ns, 'participantstreamassoc');
  const participants: MetadataParticipant[] = [];
  for (const element of childrenNamed(root, ns, 'participant')) {
    const id = idOf(element, 'participant');
    if (id === undefined) return faultResult('SIPREC_ERR_METADATA', 'A participant element has no id');
    const nameIdElement = childrenNamed(element, ns, 'nameID')[0];
    const aor = nameIdElement?.attrs.aor?.trim() ?? element.attrs.aor?.trim();
    if (aor === undefined || aor.length === 0) {
      return faultResult('SIPREC_ERR_METADATA', `Participant ${id} has no nameID aor (address of record)`);
    }
    const name = nameIdElement === undefined ? undefined : childText(nameIdElement, ns, 'name');
    const own = assocs.filter((a) => idOf(a, 'participant') === id);
    const sends = [element, ...own].flatMap((e) => childrenNamed(e, ns, 'send').map((s) => s.text));
    const receives = [element, ...own].flatMap((e) => childrenNamed(e, ns, 'recv').map((s) => s.text));
    for (const streamId of [...sends, ...receives]) {
      if (!streams.some((s) => s.id === streamId)) {
        return faultResult(
          'SIPREC_ERR_METADATA',
          `Participant ${id} refers to stream ${streamId}, which is not declared`,
        );
      }
    }
    participants.push({
      id,
      aor,
      ...(name === undefined || name.length === 0 ? {} : { name }),
      sends: [...new Set(sends)],
      receives: [...new Set(receives)],
    });
  }
  if (participants.length === 0)
    return faultResult('SIPREC_ERR_METADATA', 'Metadata has no participant element');
  for (const assoc of assocs) {
    const pid = idOf(assoc, 'participant');
    if (pid === undefined || !participants.some((p) => p.id === pid)) {
      return faultResult(
        'SIPREC_ERR_METADATA',
        `participantstreamassoc refers to participant ${pid ?? '(none)'}, which is not declared`,
      );
    }
  }
  const broadWorks = readBroadWorks(root);
  if (!broadWorks.ok) return broadWorks;
  const startTime = childText(session, ns, 'start-time');
  const unknownElements = root.children
    .filter((c) => c.ns !== ns || !KNOWN_TOP.has(c.local))
    .map((c) => `{${c.ns}}${c.local}`);
  return okResult({
    namespace,
    dataMode: childText(root, ns, 'dataMode', 'datamode') ?? 'complete',
    sessionId,
    ...(groupId === undefined ? {} : { groupId }),
    ...(startTime === undefined ? {} : { startTime }),
    participants,
    streams,
    ...(broadWorks.value === undefined ? {} : { broadWorks: broadWorks.value }),
    unknownElements,
  });
}
