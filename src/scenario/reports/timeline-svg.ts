/**
 * One call's timeline as inline SVG: a time axis from the call's start and one lane each for the call
 * phase, the recording state, the two recorded streams, announcements, tones and refused commands.
 * Every shape has a <title>, so hovering shows what it is and when.
 */
import type { CallLogEvent } from '../../../machines/call-events.ts';
import { escapeAttribute as attr, escapeText as text } from '../../text/markup-escape.ts';
import type { CallReport, RecordingReport, StreamReport } from '../report-types.ts';
import { describeEvent } from './describe-event.ts';
import { formatClockMs, formatSpanMs } from './time-format.ts';
import { phaseSpans, recordingStateSpans, timelineEndMs } from './timeline-spans.ts';

const WIDTH = 960;
const PLOT_LEFT = 132;
const PLOT_RIGHT = 930;
const TOP = 4;
const LANE_HEIGHT = 22;
const AXIS_HEIGHT = 26;
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

/** Axis steps a reader can count in: 1-2-5 under a second, then clock-friendly seconds, minutes, hours. */
const TICK_STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
  600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];
const MAX_TICKS = 10;

interface Scale {
  readonly startMs: number;
  readonly x: (atMs: number) => number;
  readonly clock: (atMs: number) => string;
}

function laneTop(lane: Lane): number {
  return TOP + LANES.indexOf(lane) * LANE_HEIGHT;
}

function laneMiddle(lane: Lane): number {
  return laneTop(lane) + LANE_HEIGHT / 2;
}

const fixed = (n: number) => Number(n.toFixed(1));

function createScale(call: CallReport): Scale {
  const startMs = call.startedAtMs;
  const spanMs = timelineEndMs(call) - startMs;
  return {
    startMs,
    x: (atMs) => fixed(PLOT_LEFT + ((atMs - startMs) / spanMs) * (PLOT_RIGHT - PLOT_LEFT)),
    clock: (atMs) => formatClockMs(atMs - startMs),
  };
}

interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

function bar(scale: Scale, lane: Lane, span: Interval, className: string, title: string, label = ''): string {
  const x = scale.x(span.startMs);
  // At least 2 px, so an instant (a state that began as the call ended) is still visible.
  const width = Math.max(fixed(scale.x(span.endMs) - x), 2);
  const inside =
    label !== '' && label.length * CHAR_WIDTH + 8 < width
      ? `<text class="bar-label" x="${fixed(x + 4)}" y="${laneMiddle(lane) + 4}">${text(label)}</text>`
      : '';
  return (
    `<g class="${className}"><title>${text(title)}</title>` +
    `<rect x="${x}" y="${laneTop(lane) + 4}" width="${width}" height="${LANE_HEIGHT - 8}" rx="2"/>${inside}</g>`
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
        `<rect class="hit" x="${scale.x(span.startMs)}" y="${laneTop(lane)}" width="${Math.max(fixed(scale.x(span.endMs) - scale.x(span.startMs)), 1)}" height="${LANE_HEIGHT}"/></g>`
      );
    });
    return [...gaps, ...bars];
  });
}

type Marked = Extract<CallLogEvent, { type: 'announcement' | 'tone' | 'rejected' }>;

function markerShape(event: Marked, x: number, y: number): string {
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
      labelText = `<text class="marker-label" x="${fixed(x + 8)}" y="${y + 4}">${text(label)}</text>`;
    } else if (label !== '' && needed < roomLeft) {
      labelText = `<text class="marker-label" x="${fixed(x - 8)}" y="${y + 4}" text-anchor="end">${text(label)}</text>`;
    }
    return (
      `<g class="${markerClass(event)}"><title>${text(`${scale.clock(event.atMs)} ${describeEvent(event)}`)}</title>` +
      `<rect class="hit" x="${fixed(x - 7)}" y="${laneTop(lane)}" width="14" height="${LANE_HEIGHT}"/>` +
      `${markerShape(event, x, y)}${labelText}</g>`
    );
  });
}

function axis(scale: Scale, endMs: number): string[] {
  const spanMs = endMs - scale.startMs;
  const step =
    TICK_STEPS_MS.find((s) => spanMs / s <= MAX_TICKS) ?? 10 ** Math.ceil(Math.log10(spanMs / MAX_TICKS));
  const axisY = TOP + LANES.length * LANE_HEIGHT;
  const parts = [`<line class="axis" x1="${PLOT_LEFT}" y1="${axisY}" x2="${PLOT_RIGHT}" y2="${axisY}"/>`];
  for (let t = 0; t <= spanMs; t += step) {
    const x = scale.x(scale.startMs + t);
    const label = step % 1000 === 0 ? formatClockMs(t).slice(0, -4) : formatClockMs(t);
    parts.push(
      `<line class="grid" x1="${x}" y1="${TOP}" x2="${x}" y2="${axisY + 4}"/>`,
      `<text class="tick" x="${x}" y="${axisY + 16}">${label}</text>`,
    );
  }
  return parts;
}

function lanes(): string[] {
  return LANES.flatMap((lane, i) => [
    i % 2 === 0
      ? `<rect class="lane-band" x="0" y="${laneTop(lane)}" width="${WIDTH}" height="${LANE_HEIGHT}"/>`
      : '',
    `<text class="lane-label" x="8" y="${laneMiddle(lane) + 4}">${lane}</text>`,
  ]);
}

export function renderTimelineSvg(call: CallReport): string {
  const scale = createScale(call);
  const endMs = timelineEndMs(call);
  const height = TOP + LANES.length * LANE_HEIGHT + AXIS_HEIGHT;
  const body = [
    ...lanes(),
    ...axis(scale, endMs),
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
  return (
    `<svg class="timeline" data-call="${attr(call.id)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" ` +
    `width="${WIDTH}" height="${height}" role="img" aria-label="${attr(`Timeline of call ${call.id}`)}">` +
    `${body.filter((part) => part !== '').join('')}</svg>`
  );
}
