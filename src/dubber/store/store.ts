/**
 * What the sink keeps, behind a small interface so the protocol session and the portal do not depend on
 * SQLite. Every method is synchronous; callers group writes with `transaction` so a batch either lands
 * whole or not at all.
 */
import type { SharedUserProfile } from '../../domain/dubber-account.ts';
import type { DubPoint } from '../../domain/platform-info.ts';
import type { SubscriptionHistory } from '../../domain/subscription.ts';
import type { MediaFormat, RecordingState } from '../../protocol/messages.ts';
import type { PacketBatch, PacketRow, StreamStatsDelta } from './media-rows.ts';
import type { MediaJob } from './sqlite/media-job.ts';

export type { PacketBatch, PacketRow, StreamStatsDelta } from './media-rows.ts';

export interface OrgRow {
  readonly orgId: string;
  readonly customerName: string;
}

/** The org's Dubber account (S4, S15–S17); admin e-mails are unique across accounts. */
export interface AccountRow {
  readonly orgId: string;
  readonly createdAtMs: number;
  readonly termsAcceptedBy: string;
  readonly adminEmails: readonly string[];
}

/** A recorded user as Webex shares them (S18) plus their dub.point (S33) and subscription (S5–S11). */
export interface UserRow {
  readonly userId: string;
  readonly orgId: string;
  readonly profile: SharedUserProfile;
  readonly dubPoint: DubPoint;
  readonly recordingEnabled: boolean;
  readonly subscription: SubscriptionHistory;
}

/** A portal bearer token: a user's own, or a Dubber admin's. */
export interface TokenRow {
  readonly token: string;
  readonly orgId: string;
  readonly userId?: string;
  readonly adminEmail?: string;
  readonly issuedAtMs: number;
}

export interface RecordingRow {
  readonly recordingId: string;
  readonly orgId: string;
  readonly userId: string;
  readonly direction: 'inbound' | 'outbound';
  readonly remoteType: 'internal' | 'pstn';
  readonly remoteAddress: string | null;
  readonly format: MediaFormat;
  /** Clock time when the recording was opened; retention counts from here (S6). */
  readonly createdAtMs: number;
  readonly openPositionMs: number;
  readonly state: RecordingState;
  readonly closeReason: string | null;
  readonly endPositionMs: number | null;
  /** Set when retention deleted the audio; the row stays as a tombstone so the id cannot be reused. */
  readonly deletedAtMs: number | null;
  /** Connections that ended without `close` (the recording stayed resumable). */
  readonly interruptions: number;
}

export type RecordingPatch = Partial<
  Pick<RecordingRow, 'state' | 'closeReason' | 'endPositionMs' | 'deletedAtMs' | 'interruptions'>
>;

export interface StreamRow {
  readonly recordingId: string;
  readonly ssrc: number;
  /** 1 = recorded user, 2 = remote party. */
  readonly label: number;
  readonly received: number;
  readonly duplicates: number;
  /** Packets dropped as not RTP, wrong payload type, or sent while paused. */
  readonly rejected: number;
  readonly minExtSeq: number | null;
  readonly maxExtSeq: number | null;
  /** End of the latest stored audio, in 8 kHz samples from the recording's start. */
  readonly endSamples: number;
}

/** A span of recorded time; the gaps between segments are pauses (stored as silence on export). */
export interface SegmentRow {
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number | null;
}

/** Where the first packet of a stream in a segment sits; later packets are placed by RTP timestamp from it. */
export interface AnchorRow {
  readonly segmentIndex: number;
  readonly ssrc: number;
  readonly timestamp: number;
  readonly positionSamples: number;
}

export type EventType = 'announcement' | 'tone' | 'client-error';

export interface EventRow {
  readonly type: EventType;
  readonly kind: string;
  readonly positionMs: number;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface SinkStore {
  /** Runs `fn` in one transaction (nested calls join the outer one); throws and rolls back on error. */
  transaction<T>(fn: () => T): T;
  /**
   * Runs `fn` with its new audio (packet runs and stream stats) put into `job` instead of written, for the
   * media writer's connection to commit (media-writer.ts); dedupe already counts it as stored. Used only
   * on a file database, which another connection can open.
   */
  deferMedia?<T>(job: MediaJob, fn: () => T): T;
  /** A deferred job failed: what it held must not count as stored (dedupe asks the database again). */
  forgetUncommitted?(): void;

  upsertOrg(row: OrgRow): void;
  getOrg(orgId: string): OrgRow | undefined;
  upsertAccount(row: AccountRow): void;
  getAccount(orgId: string): AccountRow | undefined;
  /** The org whose Dubber account already has this admin e-mail (normalised), if any. */
  findAdminEmailOrg(email: string): string | undefined;
  upsertUser(row: UserRow): void;
  getUser(userId: string): UserRow | undefined;
  putToken(row: TokenRow): void;
  getToken(token: string): TokenRow | undefined;

  insertRecording(row: RecordingRow): void;
  getRecording(recordingId: string): RecordingRow | undefined;
  updateRecording(recordingId: string, patch: RecordingPatch): void;
  listRecordings(filter: { readonly orgId?: string; readonly includeDeleted?: boolean }): RecordingRow[];
  /**
   * Up to `limit` recordings of the org not deleted by the sweep, in (createdAtMs, recordingId) order after
   * `after`; with `userId`, only that user's. One query (the portal pages with it).
   */
  listRecordingsPage(filter: {
    readonly orgId: string;
    readonly userId?: string;
    readonly after?: { readonly createdAtMs: number; readonly recordingId: string };
    readonly limit: number;
  }): RecordingRow[];
  /** The streams of many recordings in one query, by recording id. */
  getStreamsOf(recordingIds: readonly string[]): Map<string, StreamRow[]>;
  /** The segments of many recordings in one query, by recording id. */
  getSegmentsOf(recordingIds: readonly string[]): Map<string, SegmentRow[]>;

  insertStream(row: Pick<StreamRow, 'recordingId' | 'ssrc' | 'label'>): void;
  getStreams(recordingId: string): StreamRow[];
  addStreamStats(recordingId: string, ssrc: number, delta: StreamStatsDelta): void;

  insertSegment(recordingId: string, row: SegmentRow): void;
  closeSegment(recordingId: string, index: number, endMs: number): void;
  getSegments(recordingId: string): SegmentRow[];
  insertAnchor(recordingId: string, row: AnchorRow): void;
  getAnchors(recordingId: string, segmentIndex: number): AnchorRow[];

  /** False when an identical event (type, kind, position) is already stored: resends are idempotent. */
  insertEvent(recordingId: string, row: EventRow): boolean;
  getEvents(recordingId: string): EventRow[];

  /** Stores the rows not stored yet, by (SSRC, extended seq): 1 where the row was stored, 0 where it was a duplicate. */
  insertPackets(recordingId: string, rows: readonly PacketRow[]): Uint8Array;
  /**
   * Columnar form for one stream: stores packets `from` … `count − 1` of the batch that are not stored
   * yet; 1 where stored, 0 where a duplicate (indexed like the batch).
   */
  insertPacketBatch(recordingId: string, ssrc: number, batch: PacketBatch, from: number): Uint8Array;
  hasPacket(recordingId: string, ssrc: number, extSeq: number): boolean;
  countPackets(recordingId: string): number;
  readPackets(recordingId: string): IterableIterator<PacketRow>;
  /** Removes audio and anchors (retention, discard); the recording row and its metadata stay. */
  purgeAudio(recordingId: string): void;

  close(): void;
}
