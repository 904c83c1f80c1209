/**
 * SinkStore on embedded SQLite (better-sqlite3): WAL journal, one writer, prepared statements.
 *
 * Durability: the promise is "every write acknowledged in a checkpoint survives kill -9". In WAL mode a
 * commit appends to the -wal file with write(2) before better-sqlite3 returns, so once the process has
 * sent a checkpoint the data is in the kernel and survives the process dying; `synchronous=NORMAL` only
 * skips the fsync that protects against power loss / OS crash. NORMAL is therefore the default (an fsync
 * per group commit would cap throughput at the disk's flush rate); pass `synchronous: 'FULL'` to also
 * survive power loss.
 */
import Database from 'better-sqlite3';
import { normaliseEmail } from '../domain/dubber-account.ts';
import type { DubberProduct } from '../domain/platform-info.ts';
import type { Tier } from '../domain/subscription.ts';
import { SimError } from '../errors.ts';
import type { MediaFormat, RecordingState } from './messages.ts';
import { SCHEMA_SQL, SCHEMA_VERSION } from './sqlite-schema.ts';
import type {
  AccountRow,
  AnchorRow,
  EventRow,
  EventType,
  PacketRow,
  RecordingPatch,
  RecordingRow,
  SegmentRow,
  SinkStore,
  StreamRow,
  TokenRow,
  UserRow,
} from './store.ts';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for tests. */
  readonly path: string;
  readonly synchronous?: 'NORMAL' | 'FULL';
}

type Row = Record<string, unknown>;

function recordingFromRow(r: Row): RecordingRow {
  return {
    recordingId: r.recording_id as string,
    orgId: r.org_id as string,
    userId: r.user_id as string,
    direction: r.direction as RecordingRow['direction'],
    remoteType: r.remote_type as RecordingRow['remoteType'],
    remoteAddress: (r.remote_address as string | null) ?? null,
    format: r.format as MediaFormat,
    createdAtMs: r.created_at_ms as number,
    openPositionMs: r.open_position_ms as number,
    state: r.state as RecordingState,
    closeReason: (r.close_reason as string | null) ?? null,
    endPositionMs: (r.end_position_ms as number | null) ?? null,
    deletedAtMs: (r.deleted_at_ms as number | null) ?? null,
    interruptions: r.interruptions as number,
  };
}

export function createSqliteStore(options: SqliteStoreOptions): SinkStore {
  let db: Database.Database;
  try {
    db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA_SQL);
    db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(
      'schema_version',
      String(SCHEMA_VERSION),
    );
  } catch (cause) {
    throw new SimError(
      'SIM_ERR_STORAGE',
      `Cannot open the sink database at ${options.path}: ${(cause as Error).message}`,
      {
        details: { path: options.path },
        cause,
      },
    );
  }

  const q = {
    upsertOrg: db.prepare(
      'INSERT INTO orgs (org_id, customer_name) VALUES (?, ?) ON CONFLICT (org_id) DO UPDATE SET customer_name = excluded.customer_name',
    ),
    getOrg: db.prepare('SELECT * FROM orgs WHERE org_id = ?'),
    upsertAccount: db.prepare(
      'INSERT INTO accounts (org_id, created_at_ms, terms_accepted_by) VALUES (?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET terms_accepted_by = excluded.terms_accepted_by',
    ),
    getAccount: db.prepare('SELECT * FROM accounts WHERE org_id = ?'),
    deleteAdmins: db.prepare('DELETE FROM account_admins WHERE org_id = ?'),
    insertAdmin: db.prepare(
      'INSERT INTO account_admins (email_norm, org_id, email, position) VALUES (?, ?, ?, ?)',
    ),
    getAdmins: db.prepare('SELECT email FROM account_admins WHERE org_id = ? ORDER BY position'),
    adminOrg: db.prepare('SELECT org_id FROM account_admins WHERE email_norm = ?'),
    upsertUser:
      db.prepare(`INSERT INTO users (user_id, org_id, time_zone, first_name, last_name, email, dp_product,
        dp_external_type, dp_service_provider, dp_external_group, dp_external_identifier, recording_enabled)
      VALUES (@userId, @orgId, @timeZone, @firstName, @lastName, @email, @product, @externalType, @serviceProvider,
        @externalGroup, @externalIdentifier, @recordingEnabled)
      ON CONFLICT (user_id) DO UPDATE SET org_id = excluded.org_id, time_zone = excluded.time_zone,
        first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email,
        dp_product = excluded.dp_product, dp_external_type = excluded.dp_external_type,
        dp_service_provider = excluded.dp_service_provider, dp_external_group = excluded.dp_external_group,
        dp_external_identifier = excluded.dp_external_identifier, recording_enabled = excluded.recording_enabled`),
    getUser: db.prepare('SELECT * FROM users WHERE user_id = ?'),
    deletePeriods: db.prepare('DELETE FROM subscription_periods WHERE user_id = ?'),
    insertPeriod: db.prepare(
      'INSERT INTO subscription_periods (user_id, position, tier, from_ms) VALUES (?, ?, ?, ?)',
    ),
    getPeriods: db.prepare(
      'SELECT tier, from_ms FROM subscription_periods WHERE user_id = ? ORDER BY position',
    ),
    putToken: db.prepare(
      'INSERT OR REPLACE INTO tokens (token, org_id, user_id, admin_email, issued_at_ms) VALUES (?, ?, ?, ?, ?)',
    ),
    getToken: db.prepare('SELECT * FROM tokens WHERE token = ?'),
    insertRecording:
      db.prepare(`INSERT INTO recordings (recording_id, org_id, user_id, direction, remote_type,
        remote_address, format, created_at_ms, open_position_ms, state, close_reason, end_position_ms, deleted_at_ms,
        interruptions)
      VALUES (@recordingId, @orgId, @userId, @direction, @remoteType, @remoteAddress, @format, @createdAtMs,
        @openPositionMs, @state, @closeReason, @endPositionMs, @deletedAtMs, @interruptions)`),
    getRecording: db.prepare('SELECT * FROM recordings WHERE recording_id = ?'),
    listAll: db.prepare('SELECT * FROM recordings ORDER BY created_at_ms, recording_id'),
    listOrg: db.prepare('SELECT * FROM recordings WHERE org_id = ? ORDER BY created_at_ms, recording_id'),
    insertStream: db.prepare('INSERT OR IGNORE INTO streams (rec_key, ssrc, label) VALUES (?, ?, ?)'),
    getStreams: db.prepare('SELECT * FROM streams WHERE rec_key = ? ORDER BY label'),
    addStreamStats: db.prepare(`UPDATE streams SET received = received + @received,
        duplicates = duplicates + @duplicates, rejected = rejected + @rejected,
        min_ext_seq = CASE WHEN @minExtSeq IS NULL THEN min_ext_seq WHEN min_ext_seq IS NULL THEN @minExtSeq
          ELSE min(min_ext_seq, @minExtSeq) END,
        max_ext_seq = CASE WHEN @maxExtSeq IS NULL THEN max_ext_seq WHEN max_ext_seq IS NULL THEN @maxExtSeq
          ELSE max(max_ext_seq, @maxExtSeq) END,
        end_samples = max(end_samples, @endSamples)
      WHERE rec_key = @recKey AND ssrc = @ssrc`),
    insertSegment: db.prepare(
      'INSERT OR IGNORE INTO segments (rec_key, idx, start_ms, end_ms) VALUES (?, ?, ?, ?)',
    ),
    closeSegment: db.prepare('UPDATE segments SET end_ms = ? WHERE rec_key = ? AND idx = ?'),
    getSegments: db.prepare('SELECT idx, start_ms, end_ms FROM segments WHERE rec_key = ? ORDER BY idx'),
    insertAnchor: db.prepare(
      'INSERT OR IGNORE INTO anchors (rec_key, segment_idx, ssrc, rtp_timestamp, position_samples) VALUES (?, ?, ?, ?, ?)',
    ),
    getAnchors: db.prepare('SELECT * FROM anchors WHERE rec_key = ? AND segment_idx = ?'),
    insertEvent: db.prepare(
      'INSERT OR IGNORE INTO events (rec_key, type, kind, position_ms, detail) VALUES (?, ?, ?, ?, ?)',
    ),
    getEvents: db.prepare('SELECT * FROM events WHERE rec_key = ? ORDER BY position_ms, type, kind'),
    insertPacket: db.prepare(
      'INSERT OR IGNORE INTO packets (rec_key, ssrc, ext_seq, rtp_timestamp, position_samples, payload) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    hasPacket: db.prepare('SELECT 1 FROM packets WHERE rec_key = ? AND ssrc = ? AND ext_seq = ?'),
    countPackets: db.prepare('SELECT count(*) AS n FROM packets WHERE rec_key = ?'),
    readPackets: db.prepare(
      'SELECT ssrc, ext_seq, rtp_timestamp, position_samples, payload FROM packets WHERE rec_key = ? ORDER BY ssrc, ext_seq',
    ),
    purgePackets: db.prepare('DELETE FROM packets WHERE rec_key = ?'),
    purgeAnchors: db.prepare('DELETE FROM anchors WHERE rec_key = ?'),
    recKey: db.prepare('SELECT rec_key FROM recordings WHERE recording_id = ?'),
  };

  const keyCache = new Map<string, number>();
  /** Recording rows are never removed (tombstones), so a cached key stays valid. */
  const recKey = (recordingId: string): number => {
    const cached = keyCache.get(recordingId);
    if (cached !== undefined) return cached;
    const row = q.recKey.get(recordingId) as { rec_key: number } | undefined;
    if (row === undefined) {
      throw new SimError('SIM_ERR_NOT_FOUND', `No recording "${recordingId}" in the sink store.`, {
        details: { recordingId },
      });
    }
    keyCache.set(recordingId, row.rec_key);
    return row.rec_key;
  };

  const updateColumns: Record<keyof RecordingPatch, string> = {
    state: 'state',
    closeReason: 'close_reason',
    endPositionMs: 'end_position_ms',
    deletedAtMs: 'deleted_at_ms',
    interruptions: 'interruptions',
  };

  const store: SinkStore = {
    transaction: (fn) => db.transaction(fn)(),

    upsertOrg: (row) => void q.upsertOrg.run(row.orgId, row.customerName),
    getOrg: (orgId) => {
      const r = q.getOrg.get(orgId) as Row | undefined;
      return r === undefined
        ? undefined
        : { orgId: r.org_id as string, customerName: r.customer_name as string };
    },
    upsertAccount: (row) => {
      q.upsertAccount.run(row.orgId, row.createdAtMs, row.termsAcceptedBy);
      q.deleteAdmins.run(row.orgId);
      row.adminEmails.forEach((email, i) => {
        q.insertAdmin.run(normaliseEmail(email), row.orgId, email, i);
      });
    },
    getAccount: (orgId) => {
      const r = q.getAccount.get(orgId) as Row | undefined;
      if (r === undefined) return undefined;
      const admins = (q.getAdmins.all(orgId) as { email: string }[]).map((a) => a.email);
      return {
        orgId,
        createdAtMs: r.created_at_ms as number,
        termsAcceptedBy: r.terms_accepted_by as string,
        adminEmails: admins,
      } satisfies AccountRow;
    },
    findAdminEmailOrg: (email) =>
      (q.adminOrg.get(normaliseEmail(email)) as { org_id: string } | undefined)?.org_id,
    upsertUser: (row) => {
      q.upsertUser.run({
        userId: row.userId,
        orgId: row.orgId,
        ...row.profile,
        ...row.dubPoint,
        recordingEnabled: row.recordingEnabled ? 1 : 0,
      });
      q.deletePeriods.run(row.userId);
      row.subscription.forEach((p, i) => {
        q.insertPeriod.run(row.userId, i, p.tier, p.fromMs);
      });
    },
    getUser: (userId) => {
      const r = q.getUser.get(userId) as Row | undefined;
      if (r === undefined) return undefined;
      const periods = q.getPeriods.all(userId) as { tier: Tier; from_ms: number }[];
      return {
        userId,
        orgId: r.org_id as string,
        profile: {
          timeZone: r.time_zone as string,
          firstName: r.first_name as string,
          lastName: r.last_name as string,
          email: r.email as string,
        },
        dubPoint: {
          product: r.dp_product as DubberProduct,
          externalType: r.dp_external_type as string,
          serviceProvider: r.dp_service_provider as string,
          externalGroup: r.dp_external_group as string,
          externalIdentifier: r.dp_external_identifier as string,
        },
        recordingEnabled: r.recording_enabled === 1,
        subscription: periods.map((p) => ({ tier: p.tier, fromMs: p.from_ms })),
      } satisfies UserRow;
    },
    putToken: (row) =>
      void q.putToken.run(row.token, row.orgId, row.userId ?? null, row.adminEmail ?? null, row.issuedAtMs),
    getToken: (token) => {
      const r = q.getToken.get(token) as Row | undefined;
      if (r === undefined) return undefined;
      const row: TokenRow = { token, orgId: r.org_id as string, issuedAtMs: r.issued_at_ms as number };
      return {
        ...row,
        ...(r.user_id === null ? {} : { userId: r.user_id as string }),
        ...(r.admin_email === null ? {} : { adminEmail: r.admin_email as string }),
      };
    },

    insertRecording: (row) => void q.insertRecording.run(row),
    getRecording: (recordingId) => {
      const r = q.getRecording.get(recordingId) as Row | undefined;
      return r === undefined ? undefined : recordingFromRow(r);
    },
    updateRecording: (recordingId, patch) => {
      const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return;
      const sets = entries.map(([k]) => `${updateColumns[k as keyof RecordingPatch]} = ?`).join(', ');
      db.prepare(`UPDATE recordings SET ${sets} WHERE recording_id = ?`).run(
        ...entries.map(([, v]) => v as string | number | null),
        recordingId,
      );
    },
    listRecordings: (filter) => {
      const rows = (filter.orgId === undefined ? q.listAll.all() : q.listOrg.all(filter.orgId)) as Row[];
      return rows
        .map(recordingFromRow)
        .filter((r) => filter.includeDeleted === true || r.deletedAtMs === null);
    },

    insertStream: (row) => void q.insertStream.run(recKey(row.recordingId), row.ssrc, row.label),
    getStreams: (recordingId) =>
      (q.getStreams.all(recKey(recordingId)) as Row[]).map(
        (r): StreamRow => ({
          recordingId,
          ssrc: r.ssrc as number,
          label: r.label as number,
          received: r.received as number,
          duplicates: r.duplicates as number,
          rejected: r.rejected as number,
          minExtSeq: (r.min_ext_seq as number | null) ?? null,
          maxExtSeq: (r.max_ext_seq as number | null) ?? null,
          endSamples: r.end_samples as number,
        }),
      ),
    addStreamStats: (recordingId, ssrc, delta) =>
      void q.addStreamStats.run({ ...delta, recKey: recKey(recordingId), ssrc }),

    insertSegment: (recordingId, row) =>
      void q.insertSegment.run(recKey(recordingId), row.index, row.startMs, row.endMs),
    closeSegment: (recordingId, index, endMs) => void q.closeSegment.run(endMs, recKey(recordingId), index),
    getSegments: (recordingId) =>
      (q.getSegments.all(recKey(recordingId)) as Row[]).map(
        (r): SegmentRow => ({
          index: r.idx as number,
          startMs: r.start_ms as number,
          endMs: (r.end_ms as number | null) ?? null,
        }),
      ),
    insertAnchor: (recordingId, row) =>
      void q.insertAnchor.run(
        recKey(recordingId),
        row.segmentIndex,
        row.ssrc,
        row.timestamp,
        row.positionSamples,
      ),
    getAnchors: (recordingId, segmentIndex) =>
      (q.getAnchors.all(recKey(recordingId), segmentIndex) as Row[]).map(
        (r): AnchorRow => ({
          segmentIndex,
          ssrc: r.ssrc as number,
          timestamp: r.rtp_timestamp as number,
          positionSamples: r.position_samples as number,
        }),
      ),

    insertEvent: (recordingId, row) =>
      q.insertEvent.run(recKey(recordingId), row.type, row.kind, row.positionMs, JSON.stringify(row.detail))
        .changes === 1,
    getEvents: (recordingId) =>
      (q.getEvents.all(recKey(recordingId)) as Row[]).map(
        (r): EventRow => ({
          type: r.type as EventType,
          kind: r.kind as string,
          positionMs: r.position_ms as number,
          detail: JSON.parse(r.detail as string) as Record<string, unknown>,
        }),
      ),

    insertPacket: (recordingId, row) =>
      q.insertPacket.run(
        recKey(recordingId),
        row.ssrc,
        row.extSeq,
        row.timestamp,
        row.positionSamples,
        asBuffer(row.payload),
      ).changes === 1,
    insertPackets: (recordingId, rows) => {
      const key = recKey(recordingId);
      const inserted = new Uint8Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as PacketRow;
        inserted[i] = q.insertPacket.run(
          key,
          row.ssrc,
          row.extSeq,
          row.timestamp,
          row.positionSamples,
          asBuffer(row.payload),
        ).changes;
      }
      return inserted;
    },
    hasPacket: (recordingId, ssrc, extSeq) =>
      q.hasPacket.get(recKey(recordingId), ssrc, extSeq) !== undefined,
    countPackets: (recordingId) => (q.countPackets.get(recKey(recordingId)) as { n: number }).n,
    *readPackets(recordingId) {
      for (const r of q.readPackets.iterate(recKey(recordingId)) as IterableIterator<Row>) {
        yield {
          ssrc: r.ssrc as number,
          extSeq: r.ext_seq as number,
          timestamp: r.rtp_timestamp as number,
          positionSamples: r.position_samples as number,
          payload: r.payload as Uint8Array,
        } satisfies PacketRow;
      }
    },
    purgeAudio: (recordingId) => {
      const key = recKey(recordingId);
      q.purgePackets.run(key);
      q.purgeAnchors.run(key);
    },

    close: () => {
      if (db.open) db.close();
    },
  };
  return store;
}

/** better-sqlite3 binds Buffers as BLOBs; wrap a Uint8Array view without copying. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
