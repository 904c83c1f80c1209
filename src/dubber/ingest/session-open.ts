/**
 * The checks of an `open` and the recording it starts or resumes, in the documented order: media offer →
 * key may act for the org → user provisioned in that org → recording enabled → dub.point matches (S33) →
 * an existing recording with this id is resumed (same org, user and media), else a new one is created.
 * Returns a fault or the recording's runtime; the session decides what a fault does to the connection.
 */
import { findDubPointMismatches } from '../../domain/platform-info.ts';
import { keyActsFor, type SinkKey } from '../../protocol/auth-signature.ts';
import { checkMediaOffer, PAYLOAD_TYPE_OF } from '../../protocol/media-offer.ts';
import type { ClientMessageOf, MediaFormat, MediaOffer } from '../../protocol/messages.ts';
import { SAMPLES_PER_MS } from '../../protocol/position.ts';
import { type SinkFault, sinkFault } from '../../protocol/sink-errors.ts';
import type { SimClock } from '../../time/clock.ts';
import { recordingKeyFor } from '../store/recording-key.ts';
import type { RecordingRow, SinkStore } from '../store/store.ts';
import { type RecordingRuntime, streamRuntime } from './recording-writes.ts';

export interface OpenContext {
  readonly store: SinkStore;
  readonly clock: SimClock;
  readonly key: SinkKey;
  /** Commits what other sessions hold for this recording, so a resume reads the latest state. */
  readonly flushNow: (recordingId: string) => void;
  /** On a multiplexed connection: SSRCs already used by its other recordings (packets are routed by SSRC). */
  readonly ssrcOwner: (ssrc: number) => string | undefined;
  /**
   * True when no connection of this sink has carried the recording (by store key) since the sink started:
   * a live recording found so was cut off when an earlier sink stopped or was killed.
   */
  readonly unseenBySink: (recordingKey: string) => boolean;
}

export type OpenDecision =
  | { readonly ok: false; readonly fault: SinkFault }
  | {
      readonly ok: true;
      readonly rec: RecordingRuntime;
      /** Set for a new recording: the row to insert. */
      readonly create?: RecordingRow;
      /** A live recording resumed after the sink itself stopped: that gap is an interruption. */
      readonly interruptedBySink?: boolean;
    };

const refuse = (fault: SinkFault): OpenDecision => ({ ok: false, fault });

function ssrcLabels(m: MediaOffer): string {
  return [...m.streams]
    .sort((a, b) => a.label - b.label)
    .map((s) => `${s.label}:${s.ssrc}`)
    .join(',');
}

function runtime(
  fields: Omit<RecordingRuntime, 'payloadType' | 'controlInBatch' | 'pongWaiting' | 'closedWaiting'>,
): RecordingRuntime {
  return {
    ...fields,
    payloadType: PAYLOAD_TYPE_OF[fields.format],
    controlInBatch: false,
    pongWaiting: false,
    closedWaiting: false,
  };
}

export function decideOpen(
  ctx: OpenContext,
  message: ClientMessageOf<'open'>,
  positionMs: number,
): OpenDecision {
  const { store } = ctx;
  const p = message.parameters;
  const mediaFault = checkMediaOffer(p.media);
  if (mediaFault) return refuse(mediaFault);
  if (!keyActsFor(ctx.key, p.orgId)) {
    return refuse(
      sinkFault(
        'SINK_ERR_FORBIDDEN_ORG',
        `Key "${ctx.key.keyId}" may not record for organisation "${p.orgId}".`,
        {
          orgId: p.orgId,
        },
      ),
    );
  }
  const user = store.getUser(p.userId);
  if (user === undefined || user.orgId !== p.orgId) {
    return refuse(
      sinkFault(
        'SINK_ERR_UNKNOWN_USER',
        `User "${p.userId}" of organisation "${p.orgId}" is not provisioned in Dubber.`,
        { orgId: p.orgId, userId: p.userId },
      ),
    );
  }
  if (!user.recordingEnabled) {
    return refuse(
      sinkFault('SINK_ERR_USER_DISABLED', `Call recording is turned off for user "${p.userId}" (S14).`, {
        userId: p.userId,
      }),
    );
  }
  // S33: Control Hub's values (sent with the call) must equal the user's dub.point in Dubber, field by field.
  const mismatches = findDubPointMismatches(p.dubPoint, user.dubPoint);
  if (mismatches.length > 0) {
    const list = mismatches.map(
      (m) => `${m.field} is "${m.actual}" in Dubber but "${m.expected}" in Control Hub`,
    );
    return refuse(
      sinkFault(
        'SINK_ERR_DUBPOINT_MISMATCH',
        `The dub.point of user "${p.userId}" does not match: ${list.join('; ')} (S33).`,
        { userId: p.userId, mismatches },
      ),
    );
  }
  for (const s of p.media.streams) {
    const owner = ctx.ssrcOwner(s.ssrc);
    if (owner !== undefined) {
      return refuse(
        sinkFault(
          'SINK_ERR_RECORDING_CONFLICT',
          `SSRC ${s.ssrc} is already used by recording "${owner}" on this connection; packets are routed by SSRC, so every recording on a multiplexed connection needs its own.`,
          { recordingId: message.id, ssrc: s.ssrc, usedBy: owner },
        ),
      );
    }
  }

  // Commit what other sessions hold first: a reconnect may race the old connection's last writes.
  ctx.flushNow(message.id);
  // Ids are per organisation (recording-key.ts): another org's recording under this id is not this one.
  const key = recordingKeyFor(store, p.orgId, message.id);
  if (key !== message.id) ctx.flushNow(key);
  const existing = store.getRecording(key);
  if (existing !== undefined) {
    const streams = store.getStreams(key);
    const storedMedia: MediaOffer = {
      format: existing.format,
      rate: p.media.rate,
      streams: streams.map((s) => ({ ssrc: s.ssrc, label: s.label })),
    };
    const conflict =
      existing.orgId !== p.orgId || existing.userId !== p.userId
        ? 'belongs to another user'
        : existing.deletedAtMs !== null
          ? 'was deleted by retention'
          : existing.format !== p.media.format || ssrcLabels(storedMedia) !== ssrcLabels(p.media)
            ? 'was opened with other media (format or SSRCs)'
            : undefined;
    if (conflict !== undefined) {
      return refuse(
        sinkFault('SINK_ERR_RECORDING_CONFLICT', `Recording "${message.id}" ${conflict}.`, {
          recordingId: message.id,
        }),
      );
    }
    const segments = store.getSegments(key).map((s) => ({ ...s }));
    const current = segments.at(-1);
    const anchors = new Map<number, { timestamp: number; positionSamples: number }>();
    if (current !== undefined) {
      for (const a of store.getAnchors(key, current.index)) anchors.set(a.ssrc, a);
    }
    const live = existing.state === 'active' || existing.state === 'paused';
    return {
      ok: true,
      ...(live && ctx.unseenBySink(key) ? { interruptedBySink: true } : {}),
      rec: runtime({
        id: message.id,
        key,
        format: existing.format,
        media: storedMedia,
        state: existing.state,
        segments,
        streams: new Map(streams.map((s) => [s.ssrc, streamRuntime(s.label, s.maxExtSeq ?? undefined)])),
        anchors,
        anchorSegment: current?.index ?? 0,
        packetsStored: store.countPackets(key),
        positionMs: Math.max(
          existing.endPositionMs ?? 0,
          current?.endMs ?? current?.startMs ?? 0,
          ...streams.map((s) => Math.floor(s.endSamples / SAMPLES_PER_MS)),
        ),
      }),
    };
  }
  const format = p.media.format as MediaFormat;
  const media: MediaOffer = { format, rate: p.media.rate, streams: p.media.streams.map((s) => ({ ...s })) };
  return {
    ok: true,
    rec: runtime({
      id: message.id,
      key,
      format,
      media,
      state: 'active',
      segments: [{ index: 0, startMs: positionMs, endMs: null }],
      streams: new Map(media.streams.map((s) => [s.ssrc, streamRuntime(s.label, undefined)])),
      anchors: new Map(),
      anchorSegment: 0,
      packetsStored: 0,
      positionMs,
    }),
    create: {
      recordingId: key,
      orgId: p.orgId,
      userId: p.userId,
      direction: p.direction,
      remoteType: p.remote.type,
      remoteAddress: p.remote.address ?? null,
      format,
      createdAtMs: ctx.clock.nowMs(),
      openPositionMs: positionMs,
      state: 'active',
      closeReason: null,
      endPositionMs: null,
      deletedAtMs: null,
      interruptions: 0,
    },
  };
}
