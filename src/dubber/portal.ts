/**
 * The Dubber portal over the store: list, get and download recordings for a bearer token. Who may see
 * what is the domain's `decideAccess` (S6, S8) with the owner's tier now; whether a recording still
 * exists is the domain's `retentionStatus`, so a recording past its deadline is gone even before the
 * sweep has purged it.
 */
import { type AccessDecision, decideAccess, type PortalActor } from '../domain/access.ts';
import { retentionStatus } from '../domain/retention.ts';
import { type Tier, tierAt } from '../domain/subscription.ts';
import { SimError } from '../errors.ts';
import type { PortalPage, RecordingMetadata, RecordingSummary } from '../protocol/portal-api.ts';
import { SAMPLES_PER_MS } from '../protocol/position.ts';
import {
  parseReceiveStats,
  RECEIVE_STATS_CODE,
  type StreamReceiveStats,
} from '../protocol/receive-stats-event.ts';
import type { SimClock } from '../time/clock.ts';
import { DEFAULT_SINK_LIMITS } from './limits.ts';
import { recordingIdOfKey, recordingKeyFor } from './store/recording-key.ts';
import type { EventRow, RecordingRow, SegmentRow, SinkStore, StreamRow, UserRow } from './store/store.ts';
import { buildStereoWav, trustedWavSamples } from './wav-export.ts';

/** Recordings per portal page unless `limit` says otherwise, and the most one page may hold. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;
/** Rows one page request looks at before it answers (possibly with fewer than `limit` and a cursor). */
const MAX_SCAN_ROWS = 5000;

type CursorPosition = { readonly createdAtMs: number; readonly recordingId: string };

function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAtMs, position.recordingId])).toString('base64url');
}

function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      value[1].length <= 300
    ) {
      return { createdAtMs: value[0] as number, recordingId: value[1] };
    }
  } catch {
    // falls through to the refusal
  }
  throw new SimError('SIM_ERR_INVALID_ARGUMENT', 'cursor is not one this portal returned as nextCursor.', {
    details: { sinkCode: 'SINK_ERR_BAD_REQUEST' },
  });
}

export interface Portal {
  /** Every recording the token may see (all pages). */
  list(token: string): RecordingSummary[];
  /** One page, oldest first; `cursor` is a previous page's `nextCursor`. */
  listPage(token: string, page?: { readonly limit?: number; readonly cursor?: string }): PortalPage;
  get(token: string, recordingId: string): RecordingMetadata;
  /** Stereo WAV (left = user, right = remote) plus the metadata. */
  download(
    token: string,
    recordingId: string,
  ): { readonly wav: Buffer; readonly metadata: RecordingMetadata };
}

export interface PortalOptions {
  /** No exported WAV is longer than this (default `DEFAULT_SINK_LIMITS.maxWavDurationMs`). */
  readonly maxWavDurationMs?: number;
}

/** The latest RTP receive statistics a SIPREC recorder stored for the stream with this label, if any. */
function receiveOf(events: readonly EventRow[], label: number): { receive?: StreamReceiveStats[] } {
  const latest = events.filter((e) => e.type === 'client-error' && e.kind === RECEIVE_STATS_CODE).at(-1);
  const report = latest === undefined ? undefined : parseReceiveStats(String(latest.detail.message ?? ''));
  const streams = report?.streams.filter((s) => s.label === label) ?? [];
  return streams.length === 0 ? {} : { receive: streams };
}

export function createPortal(store: SinkStore, clock: SimClock, options: PortalOptions = {}): Portal {
  const maxWavDurationMs = options.maxWavDurationMs ?? DEFAULT_SINK_LIMITS.maxWavDurationMs;
  const actorOf = (token: string): PortalActor => {
    const row = store.getToken(token);
    if (row === undefined) {
      throw new SimError('SIM_ERR_SINK_AUTH', 'Unknown portal token; ask provisioning for one.', {
        details: { sinkCode: 'SINK_ERR_TOKEN' },
      });
    }
    // Admin rights are re-read on every request, so removing an admin from the account takes effect at once.
    const isDubberAdmin =
      row.adminEmail !== undefined && store.findAdminEmailOrg(row.adminEmail) === row.orgId;
    return { orgId: row.orgId, isDubberAdmin, ...(row.userId === undefined ? {} : { userId: row.userId }) };
  };

  /** Users by id; a list reads each owner once (a page of one user's recordings reads one user). */
  type UserLookup = (userId: string) => UserRow | undefined;
  const readUser: UserLookup = (userId) => store.getUser(userId);
  const cachedUsers = (): UserLookup => {
    const cache = new Map<string, UserRow | undefined>();
    return (userId) => {
      if (!cache.has(userId)) cache.set(userId, store.getUser(userId));
      return cache.get(userId);
    };
  };

  const ownerTier = (recording: RecordingRow, userOf: UserLookup = readUser): Tier =>
    tierAt(userOf(recording.userId)?.subscription ?? [], clock.nowMs()) ?? 'Go';

  const isGone = (recording: RecordingRow, userOf: UserLookup = readUser): boolean =>
    recording.deletedAtMs !== null ||
    recording.state === 'discarded' ||
    retentionStatus(recording, userOf(recording.userId)?.subscription ?? [], clock.nowMs()).state ===
      'deleted';

  const summarise = (
    recording: RecordingRow,
    decision: Extract<AccessDecision, { allowed: true }>,
    loaded: {
      readonly userOf?: UserLookup;
      readonly streams?: readonly StreamRow[];
      readonly segments?: readonly SegmentRow[];
    } = {},
  ): RecordingSummary => {
    const userOf = loaded.userOf ?? readUser;
    const history = userOf(recording.userId)?.subscription ?? [];
    const status = retentionStatus(recording, history, clock.nowMs());
    const streams = loaded.streams ?? store.getStreams(recording.recordingId);
    const segments = loaded.segments ?? store.getSegments(recording.recordingId);
    const endMs = Math.max(
      recording.endPositionMs ?? 0,
      segments.at(-1)?.endMs ?? segments.at(-1)?.startMs ?? 0,
      ...streams.map((s) => Math.ceil(s.endSamples / SAMPLES_PER_MS)),
    );
    return {
      recordingId: recordingIdOfKey(recording.recordingId),
      orgId: recording.orgId,
      userId: recording.userId,
      direction: recording.direction,
      remote: { type: recording.remoteType, address: recording.remoteAddress },
      format: recording.format,
      createdAtMs: recording.createdAtMs,
      state: recording.state,
      durationMs: Math.max(0, endMs - recording.openPositionMs),
      deleteAtMs: status.state === 'retained' ? status.deleteAtMs : status.deletedAtMs,
      ownerTier: ownerTier(recording, userOf),
      access: decision.as,
    };
  };

  /** Other organisations get "not found", so ids of their recordings cannot be probed. */
  const authorise = (token: string, recordingId: string) => {
    const actor = actorOf(token);
    // Ids are per organisation: the actor's own recording under this id, never another org's.
    const recording = store.getRecording(recordingKeyFor(store, actor.orgId, recordingId));
    const notFound = () =>
      new SimError(
        'SIM_ERR_NOT_FOUND',
        `No recording "${recordingId}" (it may have been deleted by retention).`,
        {
          details: { sinkCode: 'SINK_ERR_NOT_FOUND', recordingId },
        },
      );
    if (recording === undefined || isGone(recording)) throw notFound();
    const decision = decideAccess(
      actor,
      { orgId: recording.orgId, ownerUserId: recording.userId },
      ownerTier(recording),
    );
    if (!decision.allowed) {
      if (decision.reason === 'other-org') throw notFound();
      throw new SimError(
        'SIM_ERR_NOT_AUTHORISED',
        decision.reason === 'go-admin'
          ? 'On Dubber Go only the user can access their recordings (S6); admins need a Standard or AI subscription (S8).'
          : 'Only the owner of the recording, or a Dubber admin on a paid tier, can access it (S6, S8).',
        { details: { sinkCode: 'SINK_ERR_FORBIDDEN', reason: decision.reason, recordingId } },
      );
    }
    return { recording, decision };
  };

  const metadataOf = (
    recording: RecordingRow,
    decision: Extract<AccessDecision, { allowed: true }>,
  ): RecordingMetadata => {
    const segments = store
      .getSegments(recording.recordingId)
      .map((s) => ({ startMs: s.startMs, endMs: s.endMs }));
    const pauses: { startMs: number; endMs: number | null }[] = segments
      .slice(1)
      .map((s, i) => ({ startMs: segments[i]?.endMs ?? s.startMs, endMs: s.startMs }));
    if (recording.state === 'paused') pauses.push({ startMs: segments.at(-1)?.endMs ?? 0, endMs: null });
    const events = store.getEvents(recording.recordingId);
    return {
      ...summarise(recording, decision),
      segments,
      pauses,
      announcements: events
        .filter((e) => e.type === 'announcement')
        .map((e) => ({
          kind: e.kind,
          sound: String(e.detail.sound ?? 'announcement'),
          positionMs: e.positionMs,
        })),
      tones: events
        .filter((e) => e.type === 'tone')
        .map((e) => ({ index: Number(e.detail.index ?? e.kind), positionMs: e.positionMs })),
      clientErrors: events
        .filter((e) => e.type === 'client-error' && e.kind !== RECEIVE_STATS_CODE)
        .map((e) => ({ code: e.kind, message: String(e.detail.message ?? ''), positionMs: e.positionMs })),
      streams: store.getStreams(recording.recordingId).map((s) => ({
        label: s.label,
        role: s.label === 1 ? 'user' : 'remote',
        ssrc: s.ssrc,
        packets: s.received,
        duplicates: s.duplicates,
        lost: s.minExtSeq === null || s.maxExtSeq === null ? 0 : s.maxExtSeq - s.minExtSeq + 1 - s.received,
        rejected: s.rejected,
        firstExtSeq: s.minExtSeq,
        lastExtSeq: s.maxExtSeq,
        ...receiveOf(events, s.label),
      })),
      interruptions: recording.interruptions,
      closeReason: recording.closeReason,
    };
  };

  const portal: Portal = {
    list(token) {
      const out: RecordingSummary[] = [];
      let cursor: string | undefined;
      do {
        const page = portal.listPage(token, {
          limit: MAX_PAGE_LIMIT,
          ...(cursor === undefined ? {} : { cursor }),
        });
        out.push(...page.recordings);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return out;
    },
    listPage(token, page = {}) {
      const limit = page.limit ?? DEFAULT_PAGE_LIMIT;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
        throw new SimError(
          'SIM_ERR_INVALID_ARGUMENT',
          `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}.`,
          {
            details: { sinkCode: 'SINK_ERR_BAD_REQUEST', limit },
          },
        );
      }
      let after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
      const actor = actorOf(token);
      const userOf = cachedUsers();
      // A user's token sees only their own recordings (S6): the query says so; an admin's is filtered here.
      const userId = actor.isDubberAdmin ? undefined : actor.userId;
      const chosen: { recording: RecordingRow; decision: Extract<AccessDecision, { allowed: true }> }[] = [];
      let scanned = 0;
      let more = true;
      // Reads in batches until the page is full, the org has no more, or MAX_SCAN_ROWS were looked at.
      while (chosen.length < limit && more && scanned < MAX_SCAN_ROWS) {
        const batch = store.listRecordingsPage({
          orgId: actor.orgId,
          ...(userId === undefined ? {} : { userId }),
          ...(after === undefined ? {} : { after }),
          limit: limit + 1,
        });
        more = batch.length === limit + 1;
        for (const recording of batch) {
          scanned += 1;
          after = { createdAtMs: recording.createdAtMs, recordingId: recording.recordingId };
          if (isGone(recording, userOf)) continue;
          const decision = decideAccess(
            actor,
            { orgId: recording.orgId, ownerUserId: recording.userId },
            ownerTier(recording, userOf),
          );
          if (decision.allowed) chosen.push({ recording, decision });
          if (chosen.length === limit) {
            more = more || recording !== batch.at(-1);
            break;
          }
        }
      }
      const ids = chosen.map((c) => c.recording.recordingId);
      const streams = store.getStreamsOf(ids);
      const segments = store.getSegmentsOf(ids);
      return {
        recordings: chosen.map(({ recording, decision }) =>
          summarise(recording, decision, {
            userOf,
            streams: streams.get(recording.recordingId) ?? [],
            segments: segments.get(recording.recordingId) ?? [],
          }),
        ),
        nextCursor: more && after !== undefined ? encodeCursor(after) : null,
      };
    },
    get(token, recordingId) {
      const { recording, decision } = authorise(token, recordingId);
      return metadataOf(recording, decision);
    },
    download(token, recordingId) {
      const { recording, decision } = authorise(token, recordingId);
      const metadata = metadataOf(recording, decision);
      const labelOf = new Map(metadata.streams.map((s) => [s.ssrc, s.label]));
      const startSamples = recording.openPositionMs * SAMPLES_PER_MS;
      // The length is what the stored audio can fill, not what positions claim (wav-export.ts).
      const samplesPerPacket = new Map<number, number>();
      for (const p of store.readPackets(recording.recordingId)) {
        if (p.payload.length > (samplesPerPacket.get(p.ssrc) ?? 0))
          samplesPerPacket.set(p.ssrc, p.payload.length);
      }
      const first = metadata.segments[0];
      let gapMs = first === undefined ? 0 : Math.max(0, first.startMs - recording.openPositionMs);
      for (const pause of metadata.pauses)
        if (pause.endMs !== null) gapMs += Math.max(0, pause.endMs - pause.startMs);
      const frames = trustedWavSamples({
        declaredSamples: metadata.durationMs * SAMPLES_PER_MS,
        capSamples: maxWavDurationMs * SAMPLES_PER_MS,
        gapSamples: gapMs * SAMPLES_PER_MS,
        streams: metadata.streams.map((s) => ({
          packetSpan: s.firstExtSeq === null || s.lastExtSeq === null ? 0 : s.lastExtSeq - s.firstExtSeq + 1,
          samplesPerPacket: samplesPerPacket.get(s.ssrc) ?? 0,
        })),
      });
      const packets = (function* () {
        for (const p of store.readPackets(recording.recordingId)) {
          yield {
            label: labelOf.get(p.ssrc) ?? 2,
            positionSamples: p.positionSamples - startSamples,
            payload: p.payload,
          };
        }
      })();
      const wav = buildStereoWav(recording.format, frames, packets);
      return { wav, metadata };
    },
  };
  return portal;
}
