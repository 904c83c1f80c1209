/**
 * A scenario's calls on one shared axis of scenario time: one lane per call, its phases as a bar with
 * the recording's state as a strip beneath, so overlapping calls and their order read at a glance. The
 * per-call timelines below it show the detail.
 */
import { escapeAttribute as attr, escapeText as text } from '../../text/markup-escape.ts';
import type { CallReport } from '../report-types.ts';
import { formatSpanMs } from './time-format.ts';
import { createScale, fixed, laneTop, renderFrame, type Scale, zoomControls } from './timeline-frame.ts';
import { phaseSpans, recordingStateSpans, timelineEndMs } from './timeline-spans.ts';

interface Drawn {
  readonly startMs: number;
  readonly endMs: number;
  readonly value: string;
}

function strip(
  scale: Scale,
  lane: number,
  span: Drawn,
  className: string,
  title: string,
  y: number,
  h: number,
) {
  const x = scale.x(span.startMs);
  const rawWidth = fixed(scale.x(span.endMs) - x);
  return (
    `<g class="${className}"><title>${text(title)}</title>` +
    `<rect x="${x}" y="${laneTop(lane) + y}" width="${Math.max(rawWidth, 2)}" data-w="${rawWidth}" height="${h}" rx="2"/></g>`
  );
}

function callLane(scale: Scale, call: CallReport, lane: number): string[] {
  const title = (what: string, span: Drawn) =>
    `call ${call.id} ${what}: ${scale.clock(span.startMs)} → ${scale.clock(span.endMs)} (${formatSpanMs(span.endMs - span.startMs)})`;
  return [
    ...phaseSpans(call).map((s) => strip(scale, lane, s, `bar phase-${s.value}`, title(s.value, s), 3, 9)),
    ...recordingStateSpans(call).map((s) =>
      strip(scale, lane, s, `bar state-${s.value}`, title(`recording ${s.value}`, s), 13, 6),
    ),
  ];
}

/** Empty for a scenario with fewer than two calls: the call's own timeline already says it all. */
export function renderScenarioTimelineSvg(calls: readonly CallReport[], scenarioName: string): string {
  if (calls.length < 2) return '';
  const endMs = Math.max(...calls.map(timelineEndMs));
  const scale = createScale(0, endMs);
  const svg = renderFrame({
    className: 'scenario-timeline',
    dataAttributes: `data-calls="${calls.length}"`,
    label: `Calls of scenario ${scenarioName} on scenario time`,
    lanes: calls.map((c) => `call ${c.id}`),
    scale,
    plot: calls.flatMap((call, lane) => [
      `<g class="call-lane" data-call="${attr(call.id)}">`,
      ...callLane(scale, call, lane),
      '</g>',
    ]),
  });
  return (
    `<h3>Scenario timeline <span class="muted">(scenario time, one lane per call)</span></h3>` +
    `<div class="zoomable">${zoomControls('scenario timeline')}<div class="timeline-box" tabindex="0" aria-label="Scenario timeline; + and − zoom">${svg}</div></div>`
  );
}
