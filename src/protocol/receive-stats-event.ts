/**
 * The RTP receive statistics (RFC 3550) a recorder measured per stream, as they travel to the store and
 * back: the SIPREC listener sends them to the ingest core as a client `error` message of code
 * `SIPREC_RTP_STATS` whose message is this JSON, so they are stored as one event row of the recording
 * (no new store column); the portal reads the latest one back into each stream's `receive` field.
 */

export const RECEIVE_STATS_CODE = 'SIPREC_RTP_STATS';

/** One sender SSRC's statistics as the recorder saw them. */
export interface StreamReceiveStats {
  /** 1 the recorded user, 2 the remote party. */
  readonly label: number;
  /** The sender's SSRC (the stored stream may carry another; see docs/siprec.md). */
  readonly ssrc: number;
  readonly packets: number;
  readonly expected: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  readonly discarded: number;
  readonly resyncs: number;
  /** Interarrival jitter (RFC 3550 A.8), ms. */
  readonly jitterMs: number;
}

export interface ReceiveStatsReport {
  readonly streams: readonly StreamReceiveStats[];
  /** Packets of SSRCs beyond the session's streams, dropped. */
  readonly unrouted: number;
}

const FIELDS = ['packets', 'expected', 'lost', 'duplicated', 'reordered', 'discarded', 'resyncs'] as const;

export function encodeReceiveStats(report: ReceiveStatsReport): { code: string; message: string } {
  const streams = report.streams.slice(0, 4).map((s) => ({
    label: s.label,
    ssrc: s.ssrc,
    ...Object.fromEntries(FIELDS.map((f) => [f, s[f]])),
    jitterMs: Math.round(s.jitterMs * 1000) / 1000,
  }));
  return { code: RECEIVE_STATS_CODE, message: JSON.stringify({ streams, unrouted: report.unrouted }) };
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** The report in a stored event's message, or undefined when it is not one. */
export function parseReceiveStats(message: string): ReceiveStatsReport | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    !Array.isArray((value as { streams?: unknown }).streams)
  ) {
    return undefined;
  }
  const raw = value as { streams: unknown[]; unrouted?: unknown };
  const streams = raw.streams
    .filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null)
    .map((s) => ({
      label: count(s.label),
      ssrc: count(s.ssrc),
      ...(Object.fromEntries(FIELDS.map((f) => [f, count(s[f])])) as Record<(typeof FIELDS)[number], number>),
      jitterMs: count(s.jitterMs),
    }));
  return { streams, unrouted: count(raw.unrouted) };
}
