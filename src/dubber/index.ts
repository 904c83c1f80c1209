/** The fake Dubber: the server shell, the ingest core, provisioning, the portal, retention and its storage. */

export { inProcessSinkAdmin } from './in-process-admin.ts';
export { createSinkSession, type SessionTransport, type SinkSession } from './ingest/session.ts';
export { createSessionHub, type SessionHub } from './ingest/session-hub.ts';
export { DEFAULT_SINK_LIMITS, type SinkLimits } from './limits.ts';
export type { Portal } from './portal.ts';
export { PRODUCT_OF_TIER, type Provisioning } from './provisioning.ts';
export type { SweepResult } from './retention-sweep.ts';
export {
  createSinkServer,
  type SinkServer,
  type SinkServerEvent,
  type SinkServerOptions,
  type SinkServerStats,
} from './server.ts';
export { type MediaWriter, startMediaWriter } from './store/sqlite/media-writer.ts';
export { createSqliteStore } from './store/sqlite/sqlite-store.ts';
export type { PacketBatch, SinkStore } from './store/store.ts';
export { buildStereoWav, readStereoWav } from './wav-export.ts';
