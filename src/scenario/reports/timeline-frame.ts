/**
 * The frame every timeline shares: plot geometry, the time scale, the axis and the lane labels. Shapes
 * that sit on the time axis go in a `<g class="plot">`; the report's script zooms by stretching those x
 * coordinates (never the shapes' sizes) and redraws the ticks, so a one-hour call can be read tone by tone.
 */
import { escapeAttribute as attr, escapeText as text } from '../../text/markup-escape.ts';
import { formatClockMs } from './time-format.ts';

export const WIDTH = 960;
export const PLOT_LEFT = 132;
export const PLOT_RIGHT = 930;
export const TOP = 4;
export const LANE_HEIGHT = 22;
const AXIS_HEIGHT = 26;

/** Axis steps a reader can count in: 1-2-5 under a second, then clock-friendly seconds, minutes, hours. */
export const TICK_STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
  600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];
/** At most this many ticks across the visible width, at any zoom. */
export const MAX_TICKS = 10;

export const fixed = (n: number) => Number(n.toFixed(1));

export interface Scale {
  readonly startMs: number;
  readonly spanMs: number;
  readonly x: (atMs: number) => number;
  readonly clock: (atMs: number) => string;
}

export function createScale(startMs: number, endMs: number): Scale {
  // A zero-length timeline still needs a width to divide by.
  const spanMs = Math.max(endMs - startMs, 1);
  return {
    startMs,
    spanMs,
    x: (atMs) => fixed(PLOT_LEFT + ((atMs - startMs) / spanMs) * (PLOT_RIGHT - PLOT_LEFT)),
    clock: (atMs) => formatClockMs(atMs - startMs),
  };
}

export const laneTop = (index: number) => TOP + index * LANE_HEIGHT;
export const laneMiddle = (index: number) => laneTop(index) + LANE_HEIGHT / 2;

export function tickStepMs(visibleSpanMs: number): number {
  return (
    TICK_STEPS_MS.find((s) => visibleSpanMs / s <= MAX_TICKS) ??
    10 ** Math.ceil(Math.log10(visibleSpanMs / MAX_TICKS))
  );
}

function ticks(scale: Scale, axisY: number): string[] {
  const step = tickStepMs(scale.spanMs);
  const parts: string[] = [];
  for (let t = 0; t <= scale.spanMs; t += step) {
    const x = scale.x(scale.startMs + t);
    const label = step % 1000 === 0 ? formatClockMs(t).slice(0, -4) : formatClockMs(t);
    parts.push(
      `<line class="grid" x1="${x}" y1="${TOP}" x2="${x}" y2="${axisY + 4}"/>`,
      `<text class="tick" x="${x}" y="${axisY + 16}">${label}</text>`,
    );
  }
  return parts;
}

export interface FrameOptions {
  readonly className: string;
  readonly dataAttributes: string;
  readonly label: string;
  readonly lanes: readonly string[];
  readonly scale: Scale;
  /** Shapes on the time axis, stretched when zoomed. */
  readonly plot: readonly string[];
}

/**
 * Lane bands span the whole (possibly stretched) width; lane labels are drawn last on an opaque strip,
 * so when the script scrolls a zoomed timeline they stay in view over the shapes passing beneath.
 */
export function renderFrame(options: FrameOptions): string {
  const { scale, lanes } = options;
  const axisY = TOP + lanes.length * LANE_HEIGHT;
  const height = axisY + AXIS_HEIGHT;
  const bands = lanes.map((_, i) =>
    i % 2 === 0
      ? `<rect class="lane-band" x="0" y="${laneTop(i)}" width="100%" height="${LANE_HEIGHT}"/>`
      : '',
  );
  const labels = lanes.map(
    (lane, i) =>
      `<rect class="${i % 2 === 0 ? 'label-band' : 'label-back'}" x="0" y="${laneTop(i)}" width="${PLOT_LEFT - 8}" height="${LANE_HEIGHT}"/>` +
      `<text class="lane-label" x="8" y="${laneMiddle(i) + 4}">${text(lane)}</text>`,
  );
  const body = [
    ...bands,
    `<g class="ticks">${ticks(scale, axisY).join('')}</g>`,
    `<g class="plot"><line class="axis" x1="${PLOT_LEFT}" y1="${axisY}" x2="${PLOT_RIGHT}" y2="${axisY}"/>${options.plot.filter((p) => p !== '').join('')}</g>`,
    // Under the labels, not under the first tick's text (centred on the plot's left edge).
    `<g class="lane-labels"><rect class="label-back" x="0" y="${axisY + 1}" width="${PLOT_LEFT - 22}" height="${AXIS_HEIGHT - 1}"/>${labels.join('')}</g>`,
  ];
  return (
    `<svg class="${options.className}" ${options.dataAttributes} data-start-ms="${scale.startMs}" data-span-ms="${scale.spanMs}" ` +
    `data-plot-left="${PLOT_LEFT}" data-plot-right="${PLOT_RIGHT}" data-axis-y="${axisY}" ` +
    `xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" ` +
    `width="${WIDTH}" height="${height}" role="img" aria-label="${attr(options.label)}">` +
    `${body.filter((part) => part !== '').join('')}</svg>`
  );
}

/**
 * The zoom buttons above a timeline; the script wires them up. Without the script the timeline is still
 * drawn at full width, the buttons just do nothing.
 */
export function zoomControls(what: string): string {
  return (
    `<div class="zoom" role="group" aria-label="${attr(`Zoom the ${what}`)}">` +
    `<button type="button" data-zoom="out" aria-label="${attr(`Zoom out of the ${what}`)}" title="zoom out (−)">−</button>` +
    `<output class="zoom-level" aria-live="polite" aria-label="${attr(`Zoom level of the ${what}`)}">1×</output>` +
    `<button type="button" data-zoom="in" aria-label="${attr(`Zoom in on the ${what}`)}" title="zoom in (+)">+</button>` +
    `<button type="button" data-zoom="fit" aria-label="${attr(`Fit the whole ${what}`)}" title="fit (0)">fit</button>` +
    '<span class="muted zoom-hint">+ / − keys or Ctrl + wheel on the timeline; scroll sideways to pan</span></div>'
  );
}
