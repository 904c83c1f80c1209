/** SIPREC (RFC 7866) bodies and sessions: multipart, recording SDP, metadata, SRC builders, SRS answers. */
export * from './multipart.ts';
export * from './recording-metadata.ts';
export * from './recording-offer.ts';
export * from './recording-sdp.ts';
export * from './siprec-errors.ts';
export * from './src-session.ts';
export * from './srs-requests.ts';
export * from './srs-session.ts';
export type { XmlElement } from './xml-tree.ts';
