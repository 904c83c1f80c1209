/**
 * Measured start-of-call delay: real ICE stacks and the real recorder through the emulated WAN (src/wan),
 * beside the delay model (src/delay) for the same conditions.
 */
export {
  type ComparedCell,
  type ComparedConfig,
  type Comparison,
  compareWithModel,
  GOALS,
  type ModelCurvePoint,
  modelCurves,
} from './compare.ts';
export { type EmulatorOverhead, measureEmulatorOverhead } from './emulator-overhead.ts';
export {
  type CellMeasurement,
  type ConfigMeasurement,
  DEFAULT_MEASURE_SETTINGS,
  FULL_GRID,
  type GridCell,
  type GridMeasurement,
  type MeasureSettings,
  measureGrid,
  validateMeasureSettings,
} from './grid.ts';
export { ICE_STACK_NAMES, type IceStack, type IceStackName } from './ice-stack.ts';
export { comparisonToJson, formatComparisonTable } from './render-measured.ts';
export { renderComparisonSvg } from './render-measured-svg.ts';
export { cellModelParams, ICE_PROFILES } from './stack-model.ts';
export { createIceStack } from './stacks.ts';
