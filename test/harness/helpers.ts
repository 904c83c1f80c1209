/** Shared fixtures for the sink tests: keys, a provisioned world (two orgs), RTP packet streams. */
import type { DubPoint } from '../../src/domain/platform-info.ts';
import type { Provisioning } from '../../src/dubber/provisioning.ts';
import { createSinkClient, type SinkClient } from '../../src/platform/client.ts';
import type { SinkKey } from '../../src/protocol/auth-signature.ts';
import { buildRtpPacket } from '../../src/protocol/rtp-header.ts';

export const PLATFORM_KEY: SinkKey = {
  keyId: 'webex-platform',
  secret: 'platform-secret-0123456789',
  orgId: '*',
};
export const ACME_KEY: SinkKey = { keyId: 'acme-key', secret: 'acme-secret-0123456789', orgId: 'acme' };
export const GLOBEX_KEY: SinkKey = {
  keyId: 'globex-key',
  secret: 'globex-secret-0123456789',
  orgId: 'globex',
};
export const ALL_KEYS = [PLATFORM_KEY, ACME_KEY, GLOBEX_KEY] as const;

export function dubPointOf(userId: string, orgId = userId === 'carol' ? 'globex' : 'acme'): DubPoint {
  return {
    product: 'Dubber Go',
    externalType: 'BroadWorks',
    serviceProvider: 'sp-eu-1',
    externalGroup: orgId,
    externalIdentifier: userId,
  };
}

/** acme (alice, bob; admin it@acme) and globex (carol; admin it@globex), all on Go from t = 0. */
export function provisionWorld(p: Provisioning): void {
  p.upsertOrg({ orgId: 'acme', customerName: 'Acme s.r.o.' });
  p.upsertOrg({ orgId: 'globex', customerName: 'Globex a.s.' });
  p.upsertAccount({ orgId: 'acme', termsAcceptedBy: 'it@acme.example', adminEmails: ['it@acme.example'] });
  p.upsertAccount({
    orgId: 'globex',
    termsAcceptedBy: 'it@globex.example',
    adminEmails: ['it@globex.example'],
  });
  for (const [userId, orgId] of [
    ['alice', 'acme'],
    ['bob', 'acme'],
    ['carol', 'globex'],
  ] as const) {
    p.upsertUser({
      orgId,
      userId,
      profile: {
        timeZone: 'Europe/Prague',
        firstName: userId,
        lastName: 'Test',
        email: `${userId}@${orgId}.example`,
      },
      dubPoint: dubPointOf(userId, orgId),
      tier: 'Go',
    });
  }
}

export const USER_SSRC = 0x1111_0001;
export const REMOTE_SSRC = 0x2222_0002;

/** `count` 20 ms PCMU packets of one stream; payload byte = (seq & 0x7f) | 0x80 so content is checkable. */
export function rtpStream(
  ssrc: number,
  count: number,
  startSeq = 100,
  startTs = 16_000,
  payloadType = 0,
): Uint8Array[] {
  const packets: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const seq = (startSeq + i) & 0xffff;
    packets.push(
      buildRtpPacket({
        payloadType,
        sequenceNumber: seq,
        timestamp: (startTs + i * 160) >>> 0,
        ssrc,
        payload: new Uint8Array(160).fill((seq & 0x7f) | 0x80),
      }),
    );
  }
  return packets;
}

/** Interleaves the two streams packet by packet, as a media pipeline would emit them. */
export function interleave(a: readonly Uint8Array[], b: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]) out.push(a[i] as Uint8Array);
    if (b[i]) out.push(b[i] as Uint8Array);
  }
  return out;
}

/** What a client asks to open for alice's outbound PSTN call in PCMU, with the usual two SSRCs. */
export function aliceRecordingRequest(recordingId: string) {
  return {
    recordingId,
    orgId: 'acme',
    userId: 'alice',
    dubPoint: dubPointOf('alice'),
    direction: 'outbound',
    remote: { type: 'pstn' },
    format: 'PCMU',
    ssrcs: { user: USER_SSRC, remote: REMOTE_SSRC },
  } as const;
}

/** A sink client signing with the platform key (the Webex side), as most sink tests and benches use it. */
export function platformClient(
  url: string,
  clock: Parameters<typeof createSinkClient>[0]['clock'],
  maxBatchPackets?: number,
): SinkClient {
  return createSinkClient({
    url,
    keyId: PLATFORM_KEY.keyId,
    secret: PLATFORM_KEY.secret,
    clock,
    ...(maxBatchPackets === undefined ? {} : { maxBatchPackets }),
  });
}
