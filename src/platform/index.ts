/**
 * What the platform (Webex's side) uses to deliver recordings to a sink: the recording client (a connection
 * carrying one or many recordings, and its one-recording facade) and the admin client.
 */

export { type HttpSinkAdminOptions, httpSinkAdmin } from './admin-client.ts';
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
export {
  connectMux,
  type MuxConnection,
  type MuxConnectionOptions,
  type MuxOpenRequest,
  type MuxReconnectOptions,
} from './connection.ts';
export {
  connectExternalSink,
  type InProcessSink,
  inProcessSinkTarget,
  type PlatformKey,
  remoteSinkTarget,
  type SinkTarget,
} from './sink-target.ts';
