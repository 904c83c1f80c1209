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
import type { RecordingMetadata, RecordingSummary } from '../protocol/portal-api.ts';
import { SAMPLES_PER_MS } from '../protocol/position.ts';
import type { SimClock } from '../time/clock.ts';
import { recordingIdOfKey, recordingKeyFor } from './store/recording-key.ts';
import type { RecordingRow, SinkStore } from './store/store.ts';
import { buildStereoWav } from './wav-export.ts';

export interface Portal {
  list(token: string): RecordingSummary[];
  get(token: string, recordingId: string): RecordingMetadata;
  /** Stereo WAV (left = user, right = remote) plus the metadata. */
  download(
    token: string,
    recordingId: string,
  ): { readonly wav: Buffer; readonly metadata: RecordingMetadata };
}

export function createPortal(store: SinkStore, clock: SimClock): Portal {
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

  const ownerTier = (recording: RecordingRow): Tier =>
    tierAt(store.getUser(recording.userId)?.subscription ?? [], clock.nowMs()) ?? 'Go';

  const isGone = (recording: RecordingRow): boolean =>
    recording.deletedAtMs !== null ||
    recording.state === 'discarded' ||
    retentionStatus(recording, store.getUser(recording.userId)?.subscription ?? [], clock.nowMs()).state ===
      'deleted';

  const summarise = (
    recording: RecordingRow,
    decision: Extract<AccessDecision, { allowed: true }>,
  ): RecordingSummary => {
    const history = store.getUser(recording.userId)?.subscription ?? [];
    const status = retentionStatus(recording, history, clock.nowMs());
    const streams = store.getStreams(recording.recordingId);
    const segments = store.getSegments(recording.recordingId);
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
      ownerTier: ownerTier(recording),
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
        .filter((e) => e.type === 'client-error')
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
      })),
      interruptions: recording.interruptions,
      closeReason: recording.closeReason,
    };
  };

  return {
    list(token) {
      const actor = actorOf(token);
      const out: RecordingSummary[] = [];
      for (const recording of store.listRecordings({ orgId: actor.orgId })) {
        if (isGone(recording)) continue;
        const decision = decideAccess(
          actor,
          { orgId: recording.orgId, ownerUserId: recording.userId },
          ownerTier(recording),
        );
        if (decision.allowed) out.push(summarise(recording, decision));
      }
      return out;
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
      const packets = (function* () {
        for (const p of store.readPackets(recording.recordingId)) {
          yield {
            label: labelOf.get(p.ssrc) ?? 2,
            positionSamples: p.positionSamples - startSamples,
            payload: p.payload,
          };
        }
      })();
      const wav = buildStereoWav(recording.format, metadata.durationMs * SAMPLES_PER_MS, packets);
      return { wav, metadata };
    },
  };
}
