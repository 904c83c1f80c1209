/**
 * Hand-written SVG charts (no dependency): the CDF of the start-of-call delay, one curve per
 * configuration, and for sweeps the p50 (solid) and p95 (dashed) of each configuration against the value.
 */
import { escapeAttribute as escapeXml } from '../text/markup-escape.ts';
import { describeNetwork, describeRecording } from './describe-params.ts';
import type { MonteCarloResult } from './monte-carlo.ts';
import type { SweepResult } from './sweep.ts';

const WIDTH = 820;
/** Height of the plot area's frame without the caption, which grows with its wrapped lines. */
const CHART_HEIGHT = 470;
const PLOT = { left: 70, right: 250, top: 56, bottom: 62 } as const;
const CAPTION_LINE_PX = 13;
/** About what fits on one caption line at 10 px across the chart's width. */
const CAPTION_CHARS = 138;
/** One colour per configuration, in DELAY_CONFIGS order; distinguishable in greyscale and for most CVD. */
const COLOURS = ['#4d4d4d', '#1f77b4', '#d95f02', '#7b3294'] as const;

/** A round axis step (1, 2 or 5 × 10^k) giving about `targetTicks` ticks over `range`. */
export function niceStep(range: number, targetTicks = 6): number {
  if (!(range > 0)) return 1;
  const raw = range / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const r = raw / magnitude;
  return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
}

const n2 = (v: number): string => (Math.round(v * 100) / 100).toString();
const colour = (i: number): string => COLOURS[i % COLOURS.length] as string;

/** Greedy word wrap at spaces (a word longer than a line stays whole). */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function frame(title: string, caption: readonly string[]): string[] {
  const lines = caption.flatMap((c) => wrapText(c, CAPTION_CHARS));
  const height = CHART_HEIGHT + 12 + lines.length * CAPTION_LINE_PX;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...lines.map(
      (s, i) =>
        `<text x="${PLOT.left - 50}" y="${CHART_HEIGHT + 12 + i * CAPTION_LINE_PX}" font-size="10" fill="#555555">${escapeXml(s)}</text>`,
    ),
  ];
}

interface Axis {
  readonly min: number;
  readonly max: number;
  readonly px: (v: number) => number;
}

function axes(
  x: Axis,
  y: Axis,
  xTicks: readonly { v: number; label: string }[],
  yTicks: readonly { v: number; label: string }[],
  xTitle: string,
  yTitle: string,
): string[] {
  const x0 = PLOT.left;
  const x1 = WIDTH - PLOT.right;
  const y0 = CHART_HEIGHT - PLOT.bottom;
  const y1 = PLOT.top;
  const out: string[] = ['<g stroke="#dddddd" stroke-width="1">'];
  for (const t of yTicks)
    out.push(`<line x1="${x0}" y1="${n2(y.px(t.v))}" x2="${x1}" y2="${n2(y.px(t.v))}"/>`);
  for (const t of xTicks)
    out.push(`<line x1="${n2(x.px(t.v))}" y1="${y1}" x2="${n2(x.px(t.v))}" y2="${y0}"/>`);
  out.push(
    '</g>',
    `<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#333333"/>`,
  );
  for (const t of yTicks)
    out.push(`<text x="${x0 - 6}" y="${n2(y.px(t.v) + 4)}" text-anchor="end">${escapeXml(t.label)}</text>`);
  for (const t of xTicks)
    out.push(`<text x="${n2(x.px(t.v))}" y="${y0 + 16}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  out.push(
    `<text x="${(x0 + x1) / 2}" y="${y0 + 34}" text-anchor="middle">${escapeXml(xTitle)}</text>`,
    `<text transform="translate(18 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yTitle)}</text>`,
  );
  return out;
}

function legend(
  entries: readonly { label: string; detail: string; colour: string; dash?: string }[],
): string[] {
  const x = WIDTH - PLOT.right + 16;
  const out: string[] = [];
  entries.forEach((e, i) => {
    const y = PLOT.top + 10 + i * 38;
    out.push(
      `<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="${e.colour}" stroke-width="2.5"${e.dash === undefined ? '' : ` stroke-dasharray="${e.dash}"`}/>`,
      `<text x="${x + 30}" y="${y + 4}">${escapeXml(e.label)}</text>`,
      `<text x="${x + 30}" y="${y + 18}" font-size="10" fill="#555555">${escapeXml(e.detail)}</text>`,
    );
  });
  return out;
}

/** CDF of the delay per configuration; the x axis ends near the largest p99 (tails beyond are noted). */
export function renderCdfSvg(
  result: MonteCarloResult,
  title = 'Start-of-call delay: answer → both parties hear each other',
): string {
  const p99 = Math.max(0, ...result.configs.map((c) => (Number.isFinite(c.p99Ms) ? c.p99Ms : 0)));
  const step = niceStep(p99 * 1.05 || 100);
  const xMax = Math.ceil((p99 * 1.05 || 100) / step) * step;
  const x: Axis = {
    min: 0,
    max: xMax,
    px: (v) => PLOT.left + (Math.min(v, xMax) / xMax) * (WIDTH - PLOT.right - PLOT.left),
  };
  const y: Axis = {
    min: 0,
    max: 1,
    px: (v) => CHART_HEIGHT - PLOT.bottom - v * (CHART_HEIGHT - PLOT.bottom - PLOT.top),
  };
  const xTicks = [];
  for (let v = 0; v <= xMax + 1e-9; v += step) xTicks.push({ v, label: String(+v.toFixed(3)) });
  const yTicks = [0, 0.25, 0.5, 0.75, 0.9, 1].map((v) => ({ v, label: `${Math.round(v * 100)} %` }));
  const out = frame(title, [
    `${result.calls.toLocaleString('en-GB')} simulated calls per configuration, seed ${result.seed}. Curves end at the x-axis limit (≈ p99); the longest delays are listed in the legend.`,
    `Network: ${describeNetwork(result.params)}`,
    `Recording: ${describeRecording(result.params)}`,
  ]);
  out.push(...axes(x, y, xTicks, yTicks, 'delay from answer (ms)', 'calls with delay ≤ x'));
  result.configs.forEach((c, i) => {
    // A step curve: the fraction of connected calls at or below each delay.
    const pts: string[] = [];
    let prevY = 0;
    for (const p of c.cdf) {
      if (p.ms > xMax) break;
      pts.push(`${n2(x.px(p.ms))},${n2(y.px(prevY))}`, `${n2(x.px(p.ms))},${n2(y.px(p.fraction))}`);
      prevY = p.fraction;
    }
    out.push(
      `<polyline fill="none" stroke="${colour(i)}" stroke-width="2" stroke-linejoin="round" points="${pts.join(' ')}"><title>${escapeXml(c.label)}</title></polyline>`,
    );
  });
  out.push(
    ...legend(
      result.configs.map((c, i) => ({
        label: c.label,
        detail: `p50 ${fmt(c.p50Ms)} · p95 ${fmt(c.p95Ms)} · max ${fmt(c.maxMs)} ms`,
        colour: colour(i),
      })),
    ),
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}

const fmt = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '–');

/** p50 (solid) and p95 (dashed) per configuration against the swept value (points equally spaced). */
export function renderSweepSvg(sweep: SweepResult): string {
  const points = sweep.points;
  const configs = points[0]?.result.configs ?? [];
  let yMaxRaw = 0;
  for (const p of points)
    for (const c of p.result.configs) if (Number.isFinite(c.p95Ms)) yMaxRaw = Math.max(yMaxRaw, c.p95Ms);
  const step = niceStep(yMaxRaw * 1.05 || 100);
  const yMax = Math.ceil((yMaxRaw * 1.05 || 100) / step) * step;
  const span = WIDTH - PLOT.right - PLOT.left;
  const x: Axis = {
    min: 0,
    max: Math.max(1, points.length - 1),
    px: (i) =>
      PLOT.left + (points.length <= 1 ? span / 2 : (i / (points.length - 1)) * span * 0.92 + span * 0.04),
  };
  const y: Axis = {
    min: 0,
    max: yMax,
    px: (v) => CHART_HEIGHT - PLOT.bottom - (v / yMax) * (CHART_HEIGHT - PLOT.bottom - PLOT.top),
  };
  const yTicks = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) yTicks.push({ v, label: String(+v.toFixed(3)) });
  const xTicks = points.map((p, i) => ({ v: i, label: p.label }));
  const out = frame(`Start-of-call delay vs ${sweep.label}`, [
    `${sweep.callsPerPoint.toLocaleString('en-GB')} calls per configuration and point, seed ${sweep.seed}; solid p50, dashed p95. Varied: ${sweep.label}; everything else as below.`,
    `Network: ${describeNetwork(sweep.baseParams)}`,
    `Recording: ${describeRecording(sweep.baseParams)}`,
  ]);
  out.push(...axes(x, y, xTicks, yTicks, sweep.label, 'delay from answer (ms)'));
  configs.forEach((c, ci) => {
    for (const [key, dash] of [
      ['p50Ms', undefined],
      ['p95Ms', '6 4'],
    ] as const) {
      const pts = points
        .map((p, i) => {
          const v = p.result.configs[ci]?.[key] ?? Number.NaN;
          return Number.isFinite(v) ? `${n2(x.px(i))},${n2(y.px(v))}` : undefined;
        })
        .filter((s): s is string => s !== undefined);
      out.push(
        `<polyline fill="none" stroke="${colour(ci)}" stroke-width="2"${dash === undefined ? '' : ` stroke-dasharray="${dash}"`} points="${pts.join(' ')}"><title>${escapeXml(`${c.label} ${key === 'p50Ms' ? 'p50' : 'p95'}`)}</title></polyline>`,
      );
      for (const pt of pts) {
        const [px, py] = pt.split(',');
        out.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${colour(ci)}"/>`);
      }
    }
  });
  out.push(
    ...legend(
      configs.map((c, i) => ({ label: c.label, detail: 'solid p50, dashed p95', colour: colour(i) })),
    ),
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}
