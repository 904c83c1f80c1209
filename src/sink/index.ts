/** The fake Dubber sink: server, client, protocol and storage. The only module family that imports ws and SQLite. */

export { httpSinkAdmin, inProcessSinkAdmin, type SinkAdmin } from './admin-client.ts';
export {
  createNonceCache,
  keyActsFor,
  PLATFORM_ORG,
  type SignRequestInput,
  type SinkKey,
  signRequest,
  verifyRequest,
} from './auth-signature.ts';
export {
  type CheckpointInfo,
  createSinkClient,
  type OpenedInfo,
  type OpenRecordingRequest,
  type SinkClient,
  type SinkClientOptions,
  type SinkRecording,
  type SinkWarning,
} from './client.ts';
export { PORTAL_PATH, PROVISION_PATH, STREAM_PATH } from './http-api.ts';
export { DEFAULT_SINK_LIMITS, type SinkLimits } from './limits.ts';
export { decodeMediaFrame, encodeMediaFrame } from './media-frame.ts';
export { checkMediaOffer, PAYLOAD_TYPE_OF } from './media-offer.ts';
export { type MediaWriter, startMediaWriter } from './media-writer.ts';
export * from './messages.ts';
export {
  connectMux,
  type MuxConnection,
  type MuxConnectionOptions,
  type MuxOpenRequest,
  type MuxReconnectOptions,
} from './mux-client.ts';
export {
  checkSeq,
  clientMessage,
  encodeMessage,
  parseClientText,
  parseServerText,
  serverMessage,
} from './parse-message.ts';
export type { Portal, RecordingMetadata, RecordingSummary, StreamSummary } from './portal.ts';
export { formatPosition, parsePositionMs } from './position.ts';
export { PRODUCT_OF_TIER, type Provisioning } from './provisioning.ts';
export type { SweepResult } from './retention-sweep.ts';
export { buildRtpPacket, parseRtpHeader, type RtpHeaderView } from './rtp-header.ts';
export { extendSequence } from './rtp-sequence.ts';
export {
  createSinkServer,
  type SinkServer,
  type SinkServerEvent,
  type SinkServerOptions,
  type SinkServerStats,
} from './server.ts';
export { createSinkSession, type SessionTransport, type SinkSession } from './session.ts';
export { createSessionHub, type SessionHub } from './session-hub.ts';
export { SINK_ERROR_CODES, SINK_ERROR_POLICIES, type SinkErrorCode, type SinkFault } from './sink-errors.ts';
export { createSqliteStore } from './sqlite-store.ts';
export type { PacketBatch, SinkStore } from './store.ts';
export { buildStereoWav, readStereoWav } from './wav-export.ts';
