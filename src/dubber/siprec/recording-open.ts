/**
 * What a recording INVITE becomes for the ingest core: the recording id (from the recording session's
 * Call-ID), the `open` parameters (the user found by the metadata's BroadWorks identifiers, the call's
 * direction and remote party, the codec, one stream per label) and the SSRC each stream is stored under.
 * Pure.
 */
import type { DubPoint } from '../../domain/platform-info.ts';
import type { ClientMessageOf, MediaFormat } from '../../protocol/messages.ts';
import type { RecordingOffer } from '../../protocol/siprec/recording-offer.ts';
import type { RecordingAnswer } from '../../protocol/siprec/recording-sdp.ts';

/** The Dubber user a recording belongs to, as the SRS's directory finds them. */
export interface RecordedUser {
  readonly orgId: string;
  readonly userId: string;
  /** Their dub.point as Dubber holds it (S33). */
  readonly dubPoint: DubPoint;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** FNV-1a, 32 bits: short stable digests for ids and SSRCs. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * `siprec-<Call-ID>`, with characters a recording id may not hold replaced by `.` (and then a digest of
 * the Call-ID appended, so two Call-IDs never meet); at most 128 characters.
 */
export function recordingIdOf(callId: string): string {
  const plain = `siprec-${callId}`;
  if (ID_RE.test(plain)) return plain;
  const digest = fnv1a32(callId).toString(16).padStart(8, '0');
  const cleaned = `siprec-${callId.replace(/[^A-Za-z0-9._:-]/g, '.')}`.slice(0, 118);
  return `${cleaned}-${digest}`;
}

/**
 * The SSRCs the two streams are stored under, derived from the recording id: the sender's SSRCs are not
 * known when the INVITE is answered (they arrive with the RTP), and a resumed recording must declare the
 * same ones again.
 */
export function storedSsrcsOf(recordingId: string): Readonly<Record<1 | 2, number>> {
  const user = fnv1a32(`${recordingId}#1`);
  const remote = fnv1a32(`${recordingId}#2`);
  return { 1: user, 2: remote === user ? (remote ^ 1) >>> 0 : remote };
}

/** Core label (1 the recorded user, 2 the remote party) of each offered stream, in offer order. */
export function coreLabelsOf(offer: RecordingOffer): (1 | 2)[] {
  return offer.streams.map((s) => (s.role === 'remote' ? 2 : 1));
}

function remoteOf(offer: RecordingOffer): ClientMessageOf<'open'>['parameters']['remote'] {
  const remote = offer.streams.find((s) => s.role === 'remote')?.participant;
  const aor = remote?.aor;
  if (aor === undefined) return { type: 'internal' };
  const pstn = /^tel:/i.test(aor) || /^sips?:\+/i.test(aor);
  return { type: pstn ? 'pstn' : 'internal', address: aor.slice(0, 128) };
}

export function openParameters(
  offer: RecordingOffer,
  answer: RecordingAnswer,
  user: RecordedUser,
  recordingId: string,
): ClientMessageOf<'open'>['parameters'] {
  const codec = answer.streams[0]?.codec ?? 'PCMU';
  const ssrcs = storedSsrcsOf(recordingId);
  const ids = offer.dubPoint;
  return {
    orgId: user.orgId,
    userId: user.userId,
    dubPoint: {
      ...user.dubPoint,
      ...(ids === undefined
        ? {}
        : {
            serviceProvider: ids.serviceProvider,
            externalGroup: ids.externalGroup,
            externalIdentifier: ids.externalIdentifier,
          }),
    },
    direction: offer.metadata.broadWorks?.callType === 'origCall' ? 'outbound' : 'inbound',
    remote: remoteOf(offer),
    media: {
      format: codec as MediaFormat,
      rate: 8000,
      // Both labels always: the one-m-line mixed shape is stored as label 1, label 2 stays silent.
      streams: [
        { ssrc: ssrcs[1], label: 1 },
        { ssrc: ssrcs[2], label: 2 },
      ],
    },
  };
}

/** The streams' codecs differ: the core stores one format per recording. */
export function mixedCodecs(answer: RecordingAnswer): boolean {
  return new Set(answer.streams.map((s) => s.codec)).size > 1;
}
