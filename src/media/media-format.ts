/**
 * The fixed shape of recorded media (facts.md, Media): G.711 at 8 kHz in 20 ms RTP packets, two SIPREC
 * streams per recorded call. Every other media module takes its numbers from here.
 */

export const SAMPLE_RATE_HZ = 8000;
export const PACKET_INTERVAL_MS = 20;
export const SAMPLES_PER_PACKET = (SAMPLE_RATE_HZ * PACKET_INTERVAL_MS) / 1000; // 160
/** G.711 is one byte per sample. */
export const PAYLOAD_BYTES = SAMPLES_PER_PACKET;
export const PACKETS_PER_SECOND = 1000 / PACKET_INTERVAL_MS; // 50
export const RTP_HEADER_BYTES = 12;
export const PACKET_BYTES = RTP_HEADER_BYTES + PAYLOAD_BYTES; // 172
/** RTP timestamps count samples, so one packet advances the clock by this much. */
export const TIMESTAMP_STEP = SAMPLES_PER_PACKET;

/** SIPREC (RFC 7866) stream labels as BroadWorks uses them: 1 = the recorded user, 2 = the remote party. */
export type StreamLabel = 1 | 2;
export const USER_LABEL: StreamLabel = 1;
export const REMOTE_LABEL: StreamLabel = 2;
export type Party = 'user' | 'remote';
export const LABEL_OF: Readonly<Record<Party, StreamLabel>> = { user: USER_LABEL, remote: REMOTE_LABEL };
