/** The sink's wire formats, pure and shared by both sides: messages, frames, positions, errors, signatures, RTP. */

export type { SinkAdmin } from './admin-api.ts';
export {
  createNonceCache,
  keyActsFor,
  PLATFORM_ORG,
  type SignRequestInput,
  type SinkKey,
  signRequest,
  verifyRequest,
} from './auth-signature.ts';
export { PORTAL_PATH, PROVISION_PATH, STREAM_PATH } from './http-paths.ts';
export { decodeMediaFrame, encodeMediaFrame } from './media-frame.ts';
export { checkMediaOffer, PAYLOAD_TYPE_OF } from './media-offer.ts';
export * from './messages.ts';
export {
  checkSeq,
  clientMessage,
  encodeMessage,
  parseClientText,
  parseServerText,
  serverMessage,
} from './parse-message.ts';
export type { RecordingMetadata, RecordingSummary, StreamSummary } from './portal-api.ts';
export { formatPosition, parsePositionMs } from './position.ts';
export type {
  IssueTokenRequest,
  ProvisionAccount,
  ProvisionOrg,
  ProvisionUser,
  SwitchTierRequest,
} from './provision-requests.ts';
export { buildRtpPacket, parseRtpHeader, type RtpHeaderView } from './rtp-header.ts';
export { extendSequence } from './rtp-sequence.ts';
export { SINK_ERROR_CODES, SINK_ERROR_POLICIES, type SinkErrorCode, type SinkFault } from './sink-errors.ts';
