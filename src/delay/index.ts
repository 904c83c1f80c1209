/** The start-of-call delay model: inputs, one call, Monte Carlo, sweeps, S12, and renderers. */
export {
  BREAKDOWN_KEYS,
  type CallDelay,
  type CallOutcome,
  createDelayModel,
  DELAY_CONFIGS,
  type DelayBreakdown,
  type DelayConfig,
  type DelayConfigId,
  type DelayModel,
  delayConfig,
  legsOf,
  simulateCall,
} from './call-delay.ts';
export { type CallWorld, drawCallWorld } from './call-world.ts';
export {
  buildAnchorCheckList,
  buildCheckList,
  type CandidateSet,
  type CandidateType,
  candidatePriority,
  type NetworkPath,
  type PlannedPair,
  pairPriority,
} from './candidates.ts';
export {
  bootstrapPercentile,
  type Interval,
  orderStatisticInterval,
  percentileOfSorted,
  Z_95,
} from './confidence.ts';
export { describeNetwork, describeRecording } from './describe-params.ts';
export {
  createSampler,
  type Distribution,
  describeDistribution,
  distributionFromSamples,
} from './distribution.ts';
export { createIcePlan, type IceLegInput, type IcePlan, type IceTiming, iceTiming } from './ice-delay.ts';
export {
  type ControlledCompletion,
  createDelayParams,
  DEFAULT_DELAY_PARAMS,
  type DelayModelParams,
  type DelayParamsInput,
  FAILURE_BEHAVIOURS,
  type FailureBehaviour,
  type IceCompletion,
  type IceConditions,
  type NetworkConditions,
  type Nomination,
  RECORDED_LEG_ICE,
  RECORDER_WAIT_MS,
  type RecordedLegIce,
  type RecordingConditions,
} from './model-params.ts';
export {
  type ConfigSummary,
  configSummary,
  createMonteCarlo,
  MAX_CALLS,
  type MonteCarloOptions,
  type MonteCarloResult,
  type MonteCarloRun,
  type PairedComparison,
  type PercentileInterval,
  runMonteCarlo,
} from './monte-carlo.ts';
export { type RecorderOutcome, type RecorderTiming, recorderTiming } from './recorder-delay.ts';
export { sweepToCsv, toCsv } from './render-csv.ts';
export { sweepToJson, toJson } from './render-json.ts';
export { renderCdfSvg, renderSweepSvg } from './render-svg.ts';
export { formatMs, formatSummaryTable, formatSweepTable } from './render-table.ts';
export { assessS12, type S12Assessment } from './s12.ts';
export {
  type AddedDelay,
  assessSmall,
  DEFAULT_SMALL_THRESHOLD_MS,
  SMALL_THRESHOLD_SOURCE,
  type SmallAssessment,
  type SmallVerdict,
} from './small-verdict.ts';
export {
  applySweepValue,
  collectSweep,
  isSweepKind,
  planSweep,
  runSweep,
  SWEEP_KINDS,
  SWEEPS,
  type SweepKind,
  type SweepOptions,
  type SweepResult,
} from './sweep.ts';
