/** One recorded call's SRC spec and SRS options, shared by the SIPREC tests and the docs example. */
import type { SrcRecordingSpec } from '../../src/protocol/siprec/src-session.ts';
import type { SrsAnswerOptions } from '../../src/protocol/siprec/srs-session.ts';

export const DUB_POINT = {
  serviceProvider: 'sp-acme-eu',
  externalGroup: 'grp-acme-prague',
  externalIdentifier: 'alice.novak@acme.example',
} as const;

export function srcSpec(overrides: Partial<SrcRecordingSpec> = {}): SrcRecordingSpec {
  return {
    srsUri: 'sip:srs@127.0.0.1:5060',
    local: { host: '127.0.0.1', port: 5070, transport: 'UDP', user: 'webex-src' },
    callId: 'rec-7f3a9c01@127.0.0.1',
    localTag: 'src-4b1d',
    codecs: ['PCMU', 'PCMA'],
    media: { address: '127.0.0.1', userPort: 40_000, remotePort: 40_002 },
    user: { aor: 'sip:+420221000001@acme.example', name: 'Alice Novák' },
    remote: { aor: 'tel:+420602000002', name: 'Bob Remote' },
    dubPoint: DUB_POINT,
    broadWorks: {
      extTrackingId: '5d8e1c2a-9f0b-4c3d-8e7f-1a2b3c4d5e6f',
      callId: 'callhalf-1234:0',
      callType: 'termCall',
      callingPartyNumber: '+420602000002',
      calledPartyNumber: '+420221000001',
    },
    sessionIdHeader: 'ab30317f1a784dc48ff824d0d3715d86',
    startTimeIso: '2026-03-02T09:15:00Z',
    ids: {
      session: 'urn:uuid:0b8b2a7e-0000-4000-8000-000000000001',
      group: 'urn:uuid:0b8b2a7e-0000-4000-8000-000000000002',
      userParticipant: 'urn:uuid:0b8b2a7e-0000-4000-8000-000000000003',
      remoteParticipant: 'urn:uuid:0b8b2a7e-0000-4000-8000-000000000004',
      userStream: 'urn:uuid:0b8b2a7e-0000-4000-8000-000000000005',
      remoteStream: 'urn:uuid:0b8b2a7e-0000-4000-8000-000000000006',
    },
    sdpSessionId: '1772442900',
    ...overrides,
  };
}

export function srsOptions(overrides: Partial<SrsAnswerOptions> = {}): SrsAnswerOptions {
  return {
    agent: 'callrec-srs',
    localTag: 'srs-9e2f',
    contact: '<sip:srs@127.0.0.1:5060>',
    mediaAddress: '127.0.0.1',
    allocatePorts: (labels) => Object.fromEntries(labels.map((l, i) => [l, 50_000 + 2 * i])),
    sdpSessionId: '4000',
    sdpVersion: 1,
    ...overrides,
  };
}
