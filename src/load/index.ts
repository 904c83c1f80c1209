/** The live load generator: real-time calls over multiplexed WebSockets to the sink, measured. */
export {
  type BottleneckVerdict,
  DEFAULT_MAX_SEND_LAG_MS,
  formatGenerators,
  type GeneratorReport,
  judgeGenerators,
} from './bottleneck.ts';
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
export {
  checkPartition,
  connectionsByWorker,
  MAX_LOAD_SHARDS,
  MAX_LOAD_WORKERS,
  parseShard,
  type ShardSpec,
} from './load-partition.ts';
export {
  type LoadPart,
  type LoadRunKey,
  type MergedLoad,
  mergeParts,
  parsePart,
  partOf,
  shardedRunId,
} from './load-parts.ts';
export { formatLoadTable, formatProgress, loadResultJson } from './load-report.ts';
export type { LoadLink, LoadTarget, ReceiverStats } from './load-target.ts';
export { formatMerged, mergedJson, mergedPass } from './merge-report.ts';
export { type ReceiverChild, spawnReceiver } from './receiver-child.ts';
export { type ReceiverHandlers, serveReceiver } from './receiver-ipc.ts';
export { createReceiverMeter, type ReceiverMeter } from './receiver-meter.ts';
export { type ResourceSample, startResourceMeter } from './resources.ts';
export { createEndpointSinkTarget, type EndpointTarget, type LoadEndpoint } from './sink-endpoint.ts';
export {
  createSinkTarget,
  DEFAULT_MEDIA_COMMIT_FRAMES,
  SINK_PROCESS_NODE_ARGS,
  type SinkTargetOptions,
} from './sink-load-target.ts';
export { runThreadedLoad, type ThreadedLoadOptions } from './threaded-load.ts';
export { slowHostHook } from './tick-loop.ts';
export { startTicker, type Ticker, type TickerClock, type TickerOptions } from './ticker.ts';
