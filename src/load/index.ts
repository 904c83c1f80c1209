/** The live load generator: real-time calls over multiplexed WebSockets to the sink, measured. */
export { createLatenessRecorder, type LatenessRecorder, type LatenessSummary } from './lateness.ts';
export {
  DEFAULT_WARMUP_MS,
  type LiveLoadOptions,
  type LiveLoadResult,
  type LoadProgress,
  runLiveLoad,
} from './live-load.ts';
export { type LoadCall, planCalls } from './load-calls.ts';
export {
  checkLoadOptions,
  DEFAULT_LOAD_CONNECTIONS,
  MAX_LOAD_CALLS,
  MAX_LOAD_CONNECTIONS,
  MAX_LOAD_DURATION_MS,
} from './load-options.ts';
export { formatLoadTable, formatProgress, loadResultJson } from './load-report.ts';
export type { LoadLink, LoadTarget, ReceiverStats } from './load-target.ts';
export { type ReceiverChild, spawnReceiver } from './receiver-child.ts';
export { type ReceiverHandlers, serveReceiver } from './receiver-ipc.ts';
export { createReceiverMeter, type ReceiverMeter } from './receiver-meter.ts';
export { type ResourceSample, startResourceMeter } from './resources.ts';
export {
  createSinkTarget,
  DEFAULT_MEDIA_COMMIT_FRAMES,
  SINK_PROCESS_NODE_ARGS,
  type SinkTargetOptions,
} from './sink-load-target.ts';
export { startTicker, type Ticker, type TickerClock, type TickerOptions } from './ticker.ts';
