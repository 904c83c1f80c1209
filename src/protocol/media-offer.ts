/** Checks the media offer of `open`: G.711 at 8 kHz, exactly two streams labelled 1 (user) and 2 (remote). */
import {
  MEDIA_FORMATS,
  MEDIA_RATE_HZ,
  type MediaFormat,
  type MediaOffer,
  STREAM_LABELS,
} from './messages.ts';
import { type SinkFault, sinkFault } from './sink-errors.ts';

/** RTP static payload types (RFC 3551) of the two formats. */
export const PAYLOAD_TYPE_OF: Readonly<Record<MediaFormat, number>> = { PCMU: 0, PCMA: 8 };

export function checkMediaOffer(media: MediaOffer): SinkFault | undefined {
  if (!(MEDIA_FORMATS as readonly string[]).includes(media.format)) {
    return sinkFault(
      'SINK_ERR_UNSUPPORTED_MEDIA',
      `Format "${media.format}" is not supported; offer PCMU or PCMA.`,
      {
        format: media.format,
      },
    );
  }
  if (media.rate !== MEDIA_RATE_HZ) {
    return sinkFault(
      'SINK_ERR_UNSUPPORTED_MEDIA',
      `Rate ${media.rate} Hz is not supported; G.711 runs at 8000 Hz.`,
      {
        rate: media.rate,
      },
    );
  }
  const labels = media.streams.map((s) => s.label).sort();
  const ssrcs = new Set(media.streams.map((s) => s.ssrc));
  if (
    media.streams.length !== 2 ||
    labels[0] !== STREAM_LABELS.user ||
    labels[1] !== STREAM_LABELS.remote ||
    ssrcs.size !== 2
  ) {
    return sinkFault(
      'SINK_ERR_UNSUPPORTED_MEDIA',
      'Declare exactly two streams with distinct SSRCs: label 1 (recorded user) and label 2 (remote party) (S32).',
      { streams: media.streams },
    );
  }
  return undefined;
}
