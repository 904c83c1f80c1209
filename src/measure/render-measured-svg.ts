/**
 * The measured grid as an SVG chart: one panel per loss rate, delay against the one-way delay; the model's
 * p50 (solid) and p95 (dashed) curves per configuration, and the measured p50 (filled) and p95 (hollow)
 * points with their 95 % bootstrap whiskers.
 */
import { DELAY_CONFIGS } from '../delay/index.ts';
import { niceStep } from '../delay/render-svg.ts';
import { escapeAttribute as escapeXml } from '../text/markup-escape.ts';
import type { Comparison, ModelCurvePoint } from './compare.ts';

const COLOURS = ['#4d4d4d', '#1f77b4', '#d95f02', '#7b3294'] as const;
const PANEL_W = 300;
const PANEL_H = 330;
const MARGIN = { left: 64, top: 70, gap: 28, bottom: 150 } as const;
const n2 = (v: number): string => (Math.round(v * 100) / 100).toString();

export function renderComparisonSvg(
  cmp: Comparison,
  curves: ReadonlyMap<number, readonly ModelCurvePoint[]>,
): string {
  const s = cmp.measurement.settings;
  const losses = [...curves.keys()];
  const width = MARGIN.left + losses.length * (PANEL_W + MARGIN.gap) + 20;
  const height = MARGIN.top + PANEL_H + MARGIN.bottom;
  const maxX = Math.max(...s.cells.map((c) => c.oneWayMs)) * 1.05;
  let maxY = 0;
  for (const c of cmp.cells)
    for (const k of c.configs)
      maxY = Math.max(maxY, Number.isFinite(k.measured.p95.highMs) ? k.measured.p95.highMs : 0);
  for (const curve of curves.values())
    for (const p of curve)
      for (const v of Object.values(p.p95Ms)) if (Number.isFinite(v)) maxY = Math.max(maxY, v);
  const yStep = niceStep(maxY, 6);
  maxY = Math.ceil((maxY * 1.05) / yStep) * yStep;
  const xStep = niceStep(maxX, 5);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>Measured vs model start-of-call delay (${escapeXml(s.stack)})</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="15" font-weight="bold">Start-of-call delay: measured (${escapeXml(s.stack)}, emulated WAN) vs model</text>`,
    `<text x="${MARGIN.left}" y="35" font-size="11" fill="#555555">${escapeXml(`${s.callsPerCell} calls per point; cloud detour +${s.cloudDetourOneWayMs} ms, recorder ${s.recorderOneWayMs} ms one-way; points: measured p50 (filled) / p95 (hollow) with 95 % bootstrap whiskers;`)}</text>`,
    `<text x="${MARGIN.left}" y="48" font-size="11" fill="#555555">${escapeXml('+: the model for that cell (delays as delivered); lines: the model at the mean emulator cost, p50 (solid) / p95 (dashed)')}</text>`,
  ];
  losses.forEach((loss, li) => {
    const x0 = MARGIN.left + li * (PANEL_W + MARGIN.gap);
    const y0 = MARGIN.top + PANEL_H;
    const px = (v: number) => x0 + (v / maxX) * PANEL_W;
    const py = (v: number) => y0 - (v / maxY) * PANEL_H;
    out.push(`<g stroke="#dddddd">`);
    for (let v = 0; v <= maxY + 1e-9; v += yStep)
      out.push(`<line x1="${x0}" y1="${n2(py(v))}" x2="${x0 + PANEL_W}" y2="${n2(py(v))}"/>`);
    for (let v = 0; v <= maxX + 1e-9; v += xStep)
      out.push(`<line x1="${n2(px(v))}" y1="${MARGIN.top}" x2="${n2(px(v))}" y2="${y0}"/>`);
    out.push('</g>');
    out.push(
      `<rect x="${x0}" y="${MARGIN.top}" width="${PANEL_W}" height="${PANEL_H}" fill="none" stroke="#333333"/>`,
      `<text x="${x0 + PANEL_W / 2}" y="${MARGIN.top - 8}" text-anchor="middle" font-weight="bold">loss ${+(loss * 100).toFixed(2)} %</text>`,
      `<text x="${x0 + PANEL_W / 2}" y="${y0 + 34}" text-anchor="middle">one-way delay, ms</text>`,
    );
    for (let v = 0; v <= maxX + 1e-9; v += xStep)
      out.push(`<text x="${n2(px(v))}" y="${y0 + 16}" text-anchor="middle">${v}</text>`);
    if (li === 0) {
      for (let v = 0; v <= maxY + 1e-9; v += yStep)
        out.push(`<text x="${x0 - 6}" y="${n2(py(v) + 4)}" text-anchor="end">${v}</text>`);
      out.push(
        `<text transform="translate(16 ${MARGIN.top + PANEL_H / 2}) rotate(-90)" text-anchor="middle">answer → both hear each other, ms</text>`,
      );
    }
    const curve = curves.get(loss) ?? [];
    DELAY_CONFIGS.forEach((config, ci) => {
      const colour = COLOURS[ci] as string;
      for (const [key, dash] of [
        ['p50Ms', undefined],
        ['p95Ms', '6 4'],
      ] as const) {
        const pts = curve
          .filter((p) => Number.isFinite(p[key][config.id]))
          .map((p) => `${n2(px(p.oneWayMs))},${n2(py(p[key][config.id]))}`);
        out.push(
          `<polyline fill="none" stroke="${colour}" stroke-width="1.6"${dash === undefined ? '' : ` stroke-dasharray="${dash}"`} points="${pts.join(' ')}"><title>${escapeXml(`model ${config.label} ${key === 'p50Ms' ? 'p50' : 'p95'}`)}</title></polyline>`,
        );
      }
      const offset = (ci - 1.5) * 3;
      for (const c of cmp.cells.filter((c) => c.cell.lossRate === loss)) {
        const k = c.configs.find((x) => x.config === config.id);
        if (k === undefined) continue;
        for (const [which, filled] of [
          ['p50', true],
          ['p95', false],
        ] as const) {
          const v = k.measured[which];
          if (!Number.isFinite(v.estimateMs)) continue;
          const x = px(c.cell.oneWayMs) + offset;
          const mv = k.model[which].estimateMs;
          if (Number.isFinite(mv))
            out.push(
              `<path d="M${n2(x + 4)},${n2(py(mv))} h6 M${n2(x + 7)},${n2(py(mv) - 3)} v6" stroke="${colour}" stroke-width="1.4"><title>${escapeXml(`model ${config.label} ${which} for this cell (delays as delivered): ${mv.toFixed(1)} ms`)}</title></path>`,
            );
          out.push(
            `<line x1="${n2(x)}" y1="${n2(py(v.lowMs))}" x2="${n2(x)}" y2="${n2(py(v.highMs))}" stroke="${colour}" stroke-width="1.2"/>`,
            `<circle cx="${n2(x)}" cy="${n2(py(v.estimateMs))}" r="3.2" fill="${filled ? colour : '#ffffff'}" stroke="${colour}" stroke-width="1.4"><title>${escapeXml(`measured ${config.label} ${which} ${v.estimateMs.toFixed(1)} ms [${v.lowMs.toFixed(1)}–${v.highMs.toFixed(1)}], model ${k.model[which].estimateMs.toFixed(1)} ms (ratio ${k.ratio[which].toFixed(2)}) at ${c.cell.oneWayMs} ms`)}</title></circle>`,
          );
        }
      }
    });
  });
  const ly = MARGIN.top + PANEL_H + 56;
  DELAY_CONFIGS.forEach((config, ci) => {
    const x = MARGIN.left + ci * 230;
    const colour = COLOURS[ci] as string;
    out.push(
      `<line x1="${x}" y1="${ly}" x2="${x + 22}" y2="${ly}" stroke="${colour}" stroke-width="2.5"/>`,
      `<circle cx="${x + 11}" cy="${ly}" r="3.2" fill="${colour}"/>`,
      `<text x="${x + 28}" y="${ly + 4}">${escapeXml(config.label)}</text>`,
    );
  });
  const goal = `Goals (model p50 within ±15 %, p95 within ±25 % of measured) met in ${cmp.goalsMet} of ${cmp.goalsTotal} cells × configurations.`;
  out.push(`<text x="${MARGIN.left}" y="${ly + 30}" font-size="11" fill="#555555">${escapeXml(goal)}</text>`);
  out.push(
    `<text x="${MARGIN.left}" y="${ly + 46}" font-size="11" fill="#555555">${escapeXml(`Emulator: +${cmp.measurement.overhead.addedOneWayMs.toFixed(3)} ms per relay hop, mean lateness ${Math.min(...cmp.cells.map((c) => c.relayLateMs)).toFixed(1)}–${Math.max(...cmp.cells.map((c) => c.relayLateMs)).toFixed(1)} ms per hop (included in the model's delays).`)}</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
