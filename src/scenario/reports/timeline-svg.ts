/**
 * One call's timeline as inline SVG: a time axis from the call's start and one lane each for the call
 * phase, the recording state, the two recorded streams, announcements, tones and refused commands.
 * Every shape has a <title>, so hovering shows what it is and when.
 */
import type { CallLogEvent } from '../../../machines/call-events.ts';
import { escapeAttribute as attr, escapeText as text } from '../../text/markup-escape.ts';
import type { CallReport, RecordingReport, StreamReport } from '../report-types.ts';
import { describeEvent } from './describe-event.ts';
import { formatSpanMs } from './time-format.ts';
import {
  createScale,
  fixed,
  laneMiddle as frameLaneMiddle,
  laneTop as frameLaneTop,
  LANE_HEIGHT,
  PLOT_LEFT,
  renderFrame,
  type Scale,
  WIDTH,
} from './timeline-frame.ts';
import { phaseSpans, recordingStateSpans, timelineEndMs } from './timeline-spans.ts';

/** Roughly how wide a character of the 11px label font is, to decide whether a label fits in a bar. */
const CHAR_WIDTH = 6.2;

const LANES = [
  'call',
  'recording',
  'user stream (1)',
  'remote stream (2)',
  'announcements',
  'tones',
  'rejected',
] as const;
type Lane = (typeof LANES)[number];

function laneTop(lane: Lane): number {
  return frameLaneTop(LANES.indexOf(lane));
}

function laneMiddle(lane: Lane): number {
  return frameLaneMiddle(LANES.indexOf(lane));
}

interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

function bar(scale: Scale, lane: Lane, span: Interval, className: string, title: string, label = ''): string {
  const x = scale.x(span.startMs);
  const rawWidth = fixed(scale.x(span.endMs) - x);
  // At least 2 px, so an instant (a state that began as the call ended) is still visible.
  const width = Math.max(rawWidth, 2);
  // The label is always there; it shows only while it fits the bar (the zoom script re-decides).
  const need = fixed(label.length * CHAR_WIDTH + 8);
  const inside =
    label === ''
      ? ''
      : `<text class="bar-label" x="${fixed(x + 4)}" y="${laneMiddle(lane) + 4}" data-need="${need}"${need < width ? '' : ' visibility="hidden"'}>${text(label)}</text>`;
  return (
    `<g class="${className}"><title>${text(title)}</title>` +
    `<rect x="${x}" y="${laneTop(lane) + 4}" width="${width}" data-w="${rawWidth}" height="${LANE_HEIGHT - 8}" rx="2"/>${inside}</g>`
  );
}

function spanTitle(scale: Scale, what: string, span: Interval): string {
  return `${what}: ${scale.clock(span.startMs)} → ${scale.clock(span.endMs)} (${formatSpanMs(span.endMs - span.startMs)})`;
}

function streamTitle(
  recording: RecordingReport,
  stream: StreamReport | undefined,
  party: 'user' | 'remote',
): string {
  const details =
    stream === undefined
      ? ''
      : ` · label ${stream.label} · SSRC 0x${stream.ssrc.toString(16).padStart(8, '0')} · ${stream.packets} packets, ${stream.lost} lost`;
  return `recording ${recording.id} · ${party} stream${details}`;
}

function streamLane(scale: Scale, call: CallReport, party: 'user' | 'remote'): string[] {
  const lane: Lane = party === 'user' ? 'user stream (1)' : 'remote stream (2)';
  return call.recordings.flatMap((recording) => {
    const stream = recording.streams.find((s) => s.party === party);
    const what = streamTitle(recording, stream, party);
    const bars = recording.segments.map((segment, i) =>
      bar(
        scale,
        lane,
        segment,
        `bar stream-${party}`,
        spanTitle(scale, `${what} · recorded`, segment),
        i === 0 ? recording.id : '',
      ),
    );
    // A pause is a gap in the bars: no audio is fabricated; the dashed line shows it is one recording.
    const gaps = recording.pauses.map((pause) => {
      const span = { startMs: pause.pausedAtMs, endMs: pause.resumedAtMs ?? recording.closedAtMs };
      const y = laneMiddle(lane);
      return (
        `<g class="pause-gap"><title>${text(spanTitle(scale, `recording ${recording.id} paused`, span))}</title>` +
        `<line x1="${scale.x(span.startMs)}" y1="${y}" x2="${scale.x(span.endMs)}" y2="${y}"/>` +
        `<rect class="hit" x="${scale.x(span.startMs)}" y="${laneTop(lane)}" width="${Math.max(fixed(scale.x(span.endMs) - scale.x(span.startMs)), 1)}" data-w="${fixed(scale.x(span.endMs) - scale.x(span.startMs))}" height="${LANE_HEIGHT}"/></g>`
      );
    });
    return [...gaps, ...bars];
  });
}

type Marked = Extract<CallLogEvent, { type: 'announcement' | 'tone' | 'rejected' }>;

/** Drawn around x = 0; the marker's group is translated to its time, so zooming moves it without stretching it. */
function markerShape(event: Marked, y: number): string {
  const x = 0;
  switch (event.type) {
    case 'announcement':
      return `<path d="M${x} ${y - 6}L${x + 6} ${y}L${x} ${y + 6}L${x - 6} ${y}Z"/>`;
    case 'tone':
      return `<circle cx="${x}" cy="${y}" r="3.5"/>`;
    case 'rejected':
      return `<path d="M${x - 4} ${y - 4}L${x + 4} ${y + 4}M${x + 4} ${y - 4}L${x - 4} ${y + 4}"/>`;
  }
}

function markerClass(event: Marked): string {
  if (event.type === 'announcement') return `marker marker-announcement sound-${event.sound}`;
  return `marker marker-${event.type}`;
}

const LANE_OF: Readonly<Record<Marked['type'], Lane>> = {
  announcement: 'announcements',
  tone: 'tones',
  rejected: 'rejected',
};

function labelOf(event: Marked): string {
  return event.type === 'announcement' ? event.kind : event.type === 'rejected' ? event.command : '';
}

const labelWidth = (label: string) => (label === '' ? 0 : label.length * CHAR_WIDTH + 12);

function markers(scale: Scale, call: CallReport): string[] {
  const marked = call.timeline.filter(
    (e): e is Marked => e.type === 'announcement' || e.type === 'tone' || e.type === 'rejected',
  );
  return marked.map((event, i) => {
    const lane = LANE_OF[event.type];
    const x = scale.x(event.atMs);
    const y = laneMiddle(lane);
    // Short labels beside announcements and refusals: right of the marker if the next marker of the lane
    // leaves room, else left of it if the previous one does (markers at the end of the axis), else none.
    const sameLane = (e: Marked) => LANE_OF[e.type] === lane;
    const next = marked.slice(i + 1).find(sameLane);
    const previous = marked.slice(0, i).findLast(sameLane);
    const label = labelOf(event);
    const needed = labelWidth(label);
    const roomRight = next === undefined ? WIDTH - 4 - x : scale.x(next.atMs) - x;
    // The previous marker's own label may sit to its right, so its width is not room.
    const roomLeft =
      previous === undefined ? x - PLOT_LEFT : x - scale.x(previous.atMs) - labelWidth(labelOf(previous));
    let labelText = '';
    if (label !== '' && needed < roomRight) {
      labelText = `<text class="marker-label" x="8" y="${y + 4}">${text(label)}</text>`;
    } else if (label !== '' && needed < roomLeft) {
      labelText = `<text class="marker-label" x="-8" y="${y + 4}" text-anchor="end">${text(label)}</text>`;
    }
    return (
      `<g class="${markerClass(event)}" transform="translate(${x} 0)"><title>${text(`${scale.clock(event.atMs)} ${describeEvent(event)}`)}</title>` +
      `<rect class="hit" x="-7" y="${laneTop(lane)}" width="14" height="${LANE_HEIGHT}"/>` +
      `${markerShape(event, y)}${labelText}</g>`
    );
  });
}

export function renderTimelineSvg(call: CallReport): string {
  const scale = createScale(call.startedAtMs, timelineEndMs(call));
  const plot = [
    ...phaseSpans(call).map((s) =>
      bar(scale, 'call', s, `bar phase-${s.value}`, spanTitle(scale, `call ${s.value}`, s), s.value),
    ),
    ...recordingStateSpans(call).map((s) =>
      bar(
        scale,
        'recording',
        s,
        `bar state-${s.value}`,
        spanTitle(scale, `recording ${s.value}`, s),
        s.value,
      ),
    ),
    ...streamLane(scale, call, 'user'),
    ...streamLane(scale, call, 'remote'),
    ...markers(scale, call),
  ];
  return renderFrame({
    className: 'timeline',
    dataAttributes: `data-call="${attr(call.id)}"`,
    label: `Timeline of call ${call.id}`,
    lanes: LANES,
    scale,
    plot,
  });
}
