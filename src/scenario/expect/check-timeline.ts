/**
 * `timeline`: events of a call with when they happened, checked against the call's report. Times are
 * call time (from the call's first moment, like the call's `events`). A list is ordered — each entry must
 * match an event after the one the previous entry matched; `{ contains }` only asks that each happened.
 */
import type { CallLogEvent } from '../../../machines/call-events.ts';
import { formatDurationMs } from '../duration.ts';
import type { CallReport } from '../report-types.ts';
import type { TimelineEntry, TimelineExpect } from './expect-schemas.ts';
import { timelineEventName } from './timeline-events.ts';

type Fail = (expectation: string, expected: unknown, actual: unknown, message: string) => void;

interface Item {
  readonly name: string;
  readonly atMs: number;
  readonly event?: CallLogEvent;
  /** For recording states: when the call left the state. */
  readonly untilMs?: number;
  readonly fields?: readonly string[];
}

/** The call's events in call time, with Dubber's refusals among them. */
export function timelineItems(call: CallReport): Item[] {
  const endMs = call.endedAtMs - call.startedAtMs;
  const items: Item[] = call.timeline.map((event, i) => {
    const atMs = event.atMs - call.startedAtMs;
    if (event.type !== 'recording') return { name: timelineEventName(event), atMs, event };
    const next = call.timeline.slice(i + 1).find((e) => e.type === 'recording');
    return {
      name: timelineEventName(event),
      atMs,
      event,
      untilMs: next === undefined ? endMs : next.atMs - call.startedAtMs,
    };
  });
  for (const r of call.refusals)
    items.push({ name: 'dubber-refused', atMs: r.atMs - call.startedAtMs, fields: r.fields });
  return items.sort((a, b) => a.atMs - b.atMs);
}

function entryName(entry: TimelineEntry): string {
  return entry.event ?? `recording-${entry.state}`;
}

function detailsMatch(entry: TimelineEntry, item: Item, call: CallReport): boolean {
  const e = item.event;
  if (entry.by !== undefined && (item.name !== 'call-ended' || call.endedBy !== entry.by)) return false;
  if (entry.reason !== undefined && (e?.type !== 'recording' || e.reason !== entry.reason)) return false;
  if (entry.sound !== undefined && (e?.type !== 'announcement' || e.sound !== entry.sound)) return false;
  if (
    entry.reportedToDubber !== undefined &&
    (e?.type !== 'announcement' || e.reportedToDubber !== entry.reportedToDubber)
  )
    return false;
  if (entry.command !== undefined && (e?.type !== 'rejected' || e.command !== entry.command)) return false;
  if (entry.reasonIncludes !== undefined) {
    const text = e?.type === 'rejected' ? e.reason : item.fields?.join(', ');
    if (text === undefined || !text.includes(entry.reasonIncludes)) return false;
  }
  if (entry.index !== undefined && (e?.type !== 'tone' || e.index !== entry.index)) return false;
  return true;
}

function near(actualMs: number, wantedMs: number, toleranceMs: number): boolean {
  return Math.abs(actualMs - wantedMs) <= toleranceMs;
}

function timeMatches(entry: TimelineEntry, item: Item): boolean {
  const tolerance = entry.tolerance ?? 0;
  if (entry.at !== undefined && !near(item.atMs, entry.at, tolerance)) return false;
  if (entry.between !== undefined && (item.atMs < entry.between[0] || item.atMs > entry.between[1]))
    return false;
  if (
    entry.until !== undefined &&
    (item.untilMs === undefined || !near(item.untilMs, entry.until, tolerance))
  )
    return false;
  return true;
}

/** How an entry reads in a failure: `recording-pending at 8s ± 100ms until 12s`. */
export function describeEntry(entry: TimelineEntry): string {
  const parts = [entryName(entry)];
  const tol = entry.tolerance ? ` ± ${formatDurationMs(entry.tolerance)}` : '';
  if (entry.at !== undefined) parts.push(`at ${formatDurationMs(entry.at)}${tol}`);
  if (entry.between !== undefined)
    parts.push(`between ${formatDurationMs(entry.between[0])} and ${formatDurationMs(entry.between[1])}`);
  if (entry.until !== undefined) parts.push(`until ${formatDurationMs(entry.until)}${tol}`);
  for (const key of [
    'by',
    'reason',
    'sound',
    'reportedToDubber',
    'command',
    'reasonIncludes',
    'index',
  ] as const) {
    if (entry[key] !== undefined) parts.push(`${key} ${JSON.stringify(entry[key])}`);
  }
  return parts.join(' ');
}

function describeItem(item: Item): string {
  const until = item.untilMs === undefined ? '' : ` until ${formatDurationMs(item.untilMs)}`;
  return `${item.name} at ${formatDurationMs(item.atMs)}${until}`;
}

export function checkTimeline(where: string, wanted: TimelineExpect, call: CallReport, fail: Fail): void {
  const ordered = Array.isArray(wanted) || 'ordered' in wanted;
  const entries = Array.isArray(wanted) ? wanted : 'ordered' in wanted ? wanted.ordered : wanted.contains;
  const items = timelineItems(call);
  let cursor = 0;
  entries.forEach((entry, i) => {
    const name = entryName(entry);
    const fits = (item: Item) =>
      item.name === name && detailsMatch(entry, item, call) && timeMatches(entry, item);
    const from = ordered ? cursor : 0;
    const found = items.findIndex((item, j) => j >= from && fits(item));
    if (found >= 0) {
      if (ordered) cursor = found + 1;
      return;
    }
    const sameKind = items.filter((item) => item.name === name && detailsMatch(entry, item, call));
    const earlier = ordered && items.some((item, j) => j < from && fits(item));
    const actual =
      sameKind.length === 0
        ? `no ${name} event`
        : `${sameKind.map(describeItem).join(', ')}${earlier ? ' (only before the previous entry)' : ''}`;
    fail(`${where}.timeline[${i}]`, describeEntry(entry), actual, `When things happened on call ${call.id}`);
  });
}
