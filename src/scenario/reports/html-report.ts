/**
 * One self-contained HTML page for a run: summary table, then per scenario its failures (expected vs
 * actual) and per call a timeline drawn as inline SVG. No external resources and a CSP that forbids
 * any request, so it opens from file:// offline; all report text is escaped.
 */

import { escapeAttribute as attr, escapeText as text } from '../../text/markup-escape.ts';
import type {
  CallReport,
  ExpectationFailure,
  RunReport,
  ScenarioReport,
  StepOutcome,
} from '../report-types.ts';
import { describeEvent } from './describe-event.ts';
import { endedEarly } from './failure-text.ts';
import { REPORT_CSS, REPORT_SCRIPT } from './html-assets.ts';
import { renderJsonReport } from './json-report.ts';
import { formatValue, orderKeys } from './key-order.ts';
import { renderScenarioTimelineSvg } from './scenario-timeline-svg.ts';
import { formatClockMs, formatSpanMs } from './time-format.ts';
import { zoomControls } from './timeline-frame.ts';
import { renderTimelineSvg } from './timeline-svg.ts';
import { diffValues } from './value-diff.ts';

// Inline style and script only; no fetch, image, font or frame can load from anywhere.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Above this a value is easier to read spread over lines than on one. */
const ONE_LINE_CHARS = 90;

const scenarioId = (index: number) => `scenario-${index + 1}`;

function status(passed: boolean): string {
  return passed ? '<span class="status-pass">✓ passed</span>' : '<span class="status-fail">✗ failed</span>';
}

function prettyValue(value: unknown): string {
  const oneLine = formatValue(value);
  if (oneLine.length <= ONE_LINE_CHARS || value === null || typeof value !== 'object') return oneLine;
  return JSON.stringify(orderKeys(value), null, 2) ?? oneLine;
}

function summaryTable(report: RunReport): string {
  const rows = report.scenarios.map((s, i) => {
    const row = [
      `<td>${status(s.passed)}</td>`,
      `<td><a href="#${scenarioId(i)}">${text(s.name)}</a></td>`,
      `<td class="mono">${text(s.file)}</td>`,
      `<td>${text(s.cites.join(', '))}</td>`,
      `<td class="num">${s.calls.length}</td>`,
      `<td class="num">${s.failures.length}</td>`,
      `<td class="num">${formatSpanMs(s.durationMs)}</td>`,
    ];
    return `<tr data-status="${s.passed ? 'passed' : 'failed'}">${row.join('')}</tr>`;
  });
  return (
    '<table class="grid summary"><thead><tr><th>status</th><th>scenario</th><th>file</th><th>cites</th>' +
    '<th>calls</th><th>failures</th><th>virtual time</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function failureBlock(failure: ExpectationFailure): string {
  const diff = diffValues(failure.expected, failure.actual);
  const diffHtml = diff?.some((d) => d.op !== 'same')
    ? `<pre class="diff">${diff
        .map((d) => {
          const sign = { same: ' ', removed: '-', added: '+', folded: ' ' }[d.op];
          return `<span class="${d.op}">${sign} ${text(d.text)}</span>`;
        })
        .join('\n')}</pre>`
    : '';
  return (
    `<div class="failure"><div class="path mono">${text(failure.expectation)}</div>` +
    `<div class="message">${text(failure.message)}</div>` +
    `<table><tr><th>expected</th><td><pre>${text(prettyValue(failure.expected))}</pre></td></tr>` +
    `<tr><th>actual</th><td><pre>${text(prettyValue(failure.actual))}</pre></td></tr></table>${diffHtml}</div>`
  );
}

function recordingsTable(call: CallReport, portalUrl: string | undefined): string {
  if (call.recordings.length === 0) return '<p class="muted">No recording was kept.</p>';
  const clock = (atMs: number) => formatClockMs(atMs - call.startedAtMs);
  const rows = call.recordings.map((r) => {
    const announcements = r.announcements.map((a) => `${a.kind}${a.reportedToDubber ? ' ✓' : ''}`);
    const streams = r.streams.map(
      (s) => `${s.party} 0x${s.ssrc.toString(16).padStart(8, '0')} ${s.packets} pkts, ${s.lost} lost`,
    );
    const cells = [
      portalUrl === undefined || r.sinkRecordingId === undefined
        ? `<td class="mono">${text(r.id)}</td>`
        : `<td class="mono"><a class="portal-link" href="${text(`${portalUrl}/portal/recordings/${encodeURIComponent(r.sinkRecordingId)}`)}" title="open in the Dubber portal">${text(r.id)}</a></td>`,
      `<td class="num mono">${clock(r.openedAtMs)} → ${clock(r.closedAtMs)}</td>`,
      `<td class="num">${formatSpanMs(r.recordedMs)}</td>`,
      `<td class="num">${r.pauses.length}</td>`,
      `<td>${text(announcements.join(', ') || '–')}</td>`,
      `<td class="num">${r.tones.length}</td>`,
      `<td class="mono nowrap">${streams.map(text).join('<br>')}</td>`,
      `<td>${r.stored ? 'yes' : 'no'}</td>`,
    ];
    return `<tr>${cells.join('')}</tr>`;
  });
  return (
    '<div class="scroll"><table class="grid recordings"><thead><tr><th>recording</th><th>open → close</th><th>recorded</th>' +
    '<th>pauses</th><th>announcements<br><span class="muted">✓ reported to Dubber</span></th><th>tones</th><th>streams (SSRC)</th><th>stored</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}

function eventList(call: CallReport): string {
  const items = call.timeline.map(
    (e) =>
      `<li class="ev-${e.type}"><time>${formatClockMs(e.atMs - call.startedAtMs)}</time>${text(describeEvent(e))}</li>`,
  );
  const filter = `<label class="event-filter">filter <input type="search" data-filter-events aria-label="Filter the events of call ${text(call.id)}"></label>`;
  return `<details class="more"><summary>Timeline events (${items.length})</summary>${filter}<ol class="events">${items.join('')}</ol></details>`;
}

function callSection(call: CallReport, portalUrl?: string): string {
  const kind = `${call.direction} ${call.remote}${call.voicemail ? ' voicemail' : ''}`;
  const facts = [
    `final recordingState <b>${text(call.finalRecordingState)}</b>`,
    `recorded ${formatSpanMs(call.recordedMs)}`,
    `${call.tones} tone${call.tones === 1 ? '' : 's'}`,
    `${call.recordings.length} recording${call.recordings.length === 1 ? '' : 's'}`,
    `scenario time ${formatClockMs(call.startedAtMs)} → ${formatClockMs(call.endedAtMs)}${endedEarly(call)}`,
  ];
  return (
    `<section class="call" data-call="${attr(call.id)}">` +
    `<h4>Call <span class="mono">${text(call.id)}</span> · ${text(call.user)} · ${text(call.mode)} · ${kind}</h4>` +
    `<p class="call-facts">${facts.join(' · ')} <span class="muted">(timeline from call start)</span></p>` +
    `<div class="zoomable">${zoomControls(`timeline of call ${call.id}`)}` +
    `<div class="timeline-box" tabindex="0" aria-label="${attr(`Timeline of call ${call.id}; + and − zoom`)}">${renderTimelineSvg(call)}</div></div>` +
    `${recordingsTable(call, portalUrl)}${eventList(call)}</section>`
  );
}

function stepsTable(steps: readonly StepOutcome[]): string {
  if (steps.length === 0) return '';
  const rows = steps.map((s) => {
    const error =
      s.error === undefined
        ? ''
        : `${s.error.code}${s.error.expected ? ' (expected)' : ''}: ${s.error.message}`;
    return (
      `<tr><td class="num">${s.index}</td><td class="num mono">${formatClockMs(s.atMs)}</td>` +
      `<td>${text(s.kind)}</td><td>${text(s.summary)}</td><td>${text(error)}</td></tr>`
    );
  });
  return (
    `<details class="more"><summary>Steps (${steps.length})</summary><table class="grid steps"><thead><tr>` +
    '<th>#</th><th>at</th><th>kind</th><th>summary</th><th>error</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></details>`
  );
}

function scenarioSection(scenario: ScenarioReport, index: number, portalUrl?: string): string {
  const state = scenario.passed ? 'passed' : 'failed';
  const failures =
    scenario.failures.length === 0
      ? ''
      : `<h3>Failed expectations (${scenario.failures.length})</h3>${scenario.failures.map(failureBlock).join('')}`;
  const calls =
    scenario.calls.length === 0
      ? ''
      : `${renderScenarioTimelineSvg(scenario.calls, scenario.name)}<h3>Calls (${scenario.calls.length})</h3>${scenario.calls.map((c) => callSection(c, portalUrl)).join('')}`;
  // Failed scenarios start open: they are what the reader came for.
  return (
    `<details class="scenario" id="${scenarioId(index)}" data-status="${state}"${scenario.passed ? '' : ' open'}>` +
    `<summary>${status(scenario.passed)} <span class="name">${text(scenario.name)}</span>` +
    `<span class="cites">${text(scenario.cites.join(', '))}</span>` +
    `<span class="duration">${formatSpanMs(scenario.durationMs)}</span></summary>` +
    `<div class="body"><p class="muted"><span class="mono">${text(scenario.file)}</span> · seed <span class="mono">${text(scenario.seed)}</span></p>` +
    `${failures}${calls}${stepsTable(scenario.steps)}</div></details>`
  );
}

function swatch(shape: string): string {
  return `<svg width="16" height="14" viewBox="0 0 16 14" aria-hidden="true">${shape}</svg>`;
}

/** Shapes and colours as they appear in the timelines (same classes, so the stylesheet paints them). */
function legend(): string {
  const bar = (cls: string) =>
    swatch(`<g class="${cls}"><rect x="1" y="3" width="14" height="8" rx="2"/></g>`);
  const items = [
    [bar('phase-connected'), 'connected'],
    [bar('phase-held'), 'held'],
    [bar('state-pending'), 'pending'],
    [bar('state-started'), 'started'],
    [bar('state-paused'), 'paused'],
    [bar('state-stopped'), 'stopped'],
    [bar('stream-user'), 'user stream'],
    [bar('stream-remote'), 'remote stream'],
    [swatch('<g class="pause-gap"><line x1="1" y1="7" x2="15" y2="7"/></g>'), 'pause (gap)'],
    [swatch('<g class="marker-announcement"><path d="M8 1L14 7L8 13L2 7Z"/></g>'), 'announcement'],
    [swatch('<g class="marker-announcement sound-beep"><path d="M8 1L14 7L8 13L2 7Z"/></g>'), 'beep'],
    [swatch('<g class="marker-tone"><circle cx="8" cy="7" r="3.5"/></g>'), 'repeat tone'],
    [swatch('<g class="marker-rejected"><path d="M4 3L12 11M12 3L4 11"/></g>'), 'rejected command'],
  ];
  return `<div class="legend">${items.map(([icon, label]) => `<span>${icon}${label}</span>`).join('')}</div>`;
}

/** The report's data for tools; `<` is escaped so no `</script>` or `<!--` inside a string can end the block. */
function embeddedData(report: RunReport): string {
  const json = renderJsonReport(report).trimEnd().replace(/</g, '\\u003c');
  return `<script type="application/json" id="callrec-report">${json}</script>`;
}

export function renderHtmlReport(report: RunReport): string {
  const { scenarios, passed, failed } = report.summary;
  const title = `callrec: ${passed} passed, ${failed} failed`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<div class="page">',
    '<h1>Call recording scenarios</h1>',
    `<div class="muted">${text(`${report.tool} ${report.version} · seed ${report.seed} · ${report.mode} time · sink ${report.sink}`)}</div>`,
    `<div class="totals"><span class="badge pass">${passed} passed</span> <span class="badge ${failed > 0 ? 'fail' : 'none'}">${failed} failed</span> of ${scenarios} ${scenarios === 1 ? 'scenario' : 'scenarios'}</div>`,
    // The toolbar sits above the summary table, so it is in view when the page opens.
    '<div class="toolbar"><button type="button" data-action="expand">Expand all</button>' +
      '<button type="button" data-action="collapse">Collapse all</button>' +
      '<label><input type="checkbox" id="failed-only"> failed only</label></div>',
    summaryTable(report),
    legend(),
    `<main>${report.scenarios.map((s, i) => scenarioSection(s, i, report.portalUrl)).join('\n')}</main>`,
    '</div>',
    embeddedData(report),
    `<script>${REPORT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
