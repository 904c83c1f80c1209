import { describe, expect, it } from 'vitest';
import { createDelayParams } from '../../src/delay/model-params.ts';
import { runMonteCarlo } from '../../src/delay/monte-carlo.ts';
import { csvField, sweepToCsv, toCsv } from '../../src/delay/render-csv.ts';
import { DELAY_JSON_FORMAT, sweepToJson, toJson } from '../../src/delay/render-json.ts';
import { niceStep, renderCdfSvg, renderSweepSvg, wrapText } from '../../src/delay/render-svg.ts';
import { formatSummaryTable, formatSweepTable } from '../../src/delay/render-table.ts';
import { runSweep } from '../../src/delay/sweep.ts';
import { escapeAttribute as escapeXml } from '../../src/text/markup-escape.ts';
import { assertWellFormedXml } from './xml-check.ts';

const params = createDelayParams({ recording: { announcement: true } });
const result = runMonteCarlo({ calls: 600, seed: 'render', params });
const sweep = runSweep({ kind: 'candidates', values: [1, 2], calls: 200, seed: 'render', params });

/** RFC 4180 parsing, enough to check what we write. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(quoted).toBe(false);
  expect(field).toBe('');
  return rows;
}

describe('renderers', () => {
  it('CSV: a header and one row per configuration, every row as wide as the header', () => {
    const rows = parseCsv(toCsv(result));
    expect(rows).toHaveLength(5);
    const header = rows[0] as string[];
    for (const r of rows) expect(r).toHaveLength(header.length);
    const labelCol = header.indexOf('label');
    expect(rows.slice(1).map((r) => r[labelCol])).toEqual(result.configs.map((c) => c.label));
    const p50 = header.indexOf('p50_ms');
    expect(Number(rows[4]?.[p50])).toBeCloseTo(result.configs[3]?.p50Ms as number, 2);
    expect(parseCsv(sweepToCsv(sweep))).toHaveLength(1 + 2 * 4);
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
  });

  it('JSON: parses back, carries its format, no NaN or Infinity', () => {
    const parsed = JSON.parse(toJson(result));
    expect(parsed.format).toBe(DELAY_JSON_FORMAT);
    expect(parsed.configs).toHaveLength(4);
    expect(parsed.configs[0].cdf.length).toBeGreaterThan(100);
    const s = JSON.parse(sweepToJson(sweep));
    expect(s).toMatchObject({ kind: 'sweep', sweepKind: 'candidates' });
    expect(s.points).toHaveLength(2);
  });

  it('SVG: well-formed XML with one curve per configuration', () => {
    const svg = renderCdfSvg(result, 'Delay <A & B> "quoted"');
    const { root } = assertWellFormedXml(svg);
    expect(root).toBe('svg');
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('Delay &lt;A &amp; B&gt; &quot;quoted&quot;');
    const sweepSvg = renderSweepSvg(sweep);
    assertWellFormedXml(sweepSvg);
    expect(sweepSvg.match(/<polyline /g)).toHaveLength(8);
  });

  it('tables name every configuration and give the S12 verdict', () => {
    const t = formatSummaryTable(result);
    for (const c of result.configs) expect(t).toContain(c.label);
    expect(t).toMatch(/S12 .*(HOLDS|DOES NOT HOLD)/);
    expect(formatSweepTable(sweep)).toContain('host candidates per device');
  });

  it('helpers: escaping, round axis steps, word wrap', () => {
    expect(escapeXml('<&>"')).toBe('&lt;&amp;&gt;&quot;');
    expect([niceStep(1000), niceStep(7), niceStep(0)]).toEqual([200, 2, 1]);
    expect(wrapText('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
  });

  it('the XML check itself rejects broken documents', () => {
    expect(() => assertWellFormedXml('<svg><g></svg>')).toThrow();
    expect(() => assertWellFormedXml('<svg>a & b</svg>')).toThrow();
    expect(() => assertWellFormedXml('<svg x=1/>')).toThrow();
  });
});
