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
import { normaliseEmail } from '../../../domain/dubber-account.ts';
import type { DubberProduct } from '../../../domain/platform-info.ts';
import type { Tier } from '../../../domain/subscription.ts';
import { SimError } from '../../../errors.ts';
import type { MediaFormat, RecordingState } from '../../../protocol/messages.ts';
import type {
  AccountRow,
  AnchorRow,
  EventRow,
  EventType,
  PacketBatch,
  PacketRow,
  RecordingPatch,
  RecordingRow,
  SegmentRow,
  SinkStore,
  StreamRow,
  TokenRow,
  UserRow,
} from '../store.ts';
import type { MediaJob } from './media-job.ts';
import { batchOfRows, buildPacketRuns, expandPacketRun, type PacketRange } from './packet-runs.ts';
import { ADD_STREAM_STATS_SQL, INSERT_RUN_SQL, SCHEMA_SQL, SCHEMA_VERSION } from './sqlite-schema.ts';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for tests. */
  readonly path: string;
  readonly synchronous?: 'NORMAL' | 'FULL';
  /**
   * false: this connection never checkpoints the WAL (someone else does, see wal-checkpointer.ts), so no
   * commit pays for copying the WAL into the database file. Default true (SQLite's 1,000-page rule).
   */
  readonly autoCheckpoint?: boolean;
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

/** A stream row as the store port hands it out. */
function streamFromRow(recordingId: string, r: Row): StreamRow {
  return {
    recordingId,
    ssrc: r.ssrc as number,
    label: r.label as number,
    received: r.received as number,
    duplicates: r.duplicates as number,
    rejected: r.rejected as number,
    minExtSeq: (r.min_ext_seq as number | null) ?? null,
    maxExtSeq: (r.max_ext_seq as number | null) ?? null,
    endSamples: r.end_samples as number,
  };
}

export function createSqliteStore(options: SqliteStoreOptions): SinkStore {
  let db: Database.Database;
  try {
    db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    if (options.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
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
    listPage: db.prepare(
      `SELECT * FROM recordings WHERE org_id = @orgId AND deleted_at_ms IS NULL
        AND (@userId IS NULL OR user_id = @userId)
        AND (created_at_ms > @afterMs OR (created_at_ms = @afterMs AND recording_id > @afterId))
        ORDER BY created_at_ms, recording_id LIMIT @limit`,
    ),
    streamsOf: db.prepare(
      `SELECT r.recording_id AS rid, s.* FROM streams s JOIN recordings r ON r.rec_key = s.rec_key
        WHERE r.recording_id IN (SELECT value FROM json_each(?)) ORDER BY s.rec_key, s.label`,
    ),
    segmentsOf: db.prepare(
      `SELECT r.recording_id AS rid, g.idx, g.start_ms, g.end_ms FROM segments g JOIN recordings r ON r.rec_key = g.rec_key
        WHERE r.recording_id IN (SELECT value FROM json_each(?)) ORDER BY g.rec_key, g.idx`,
    ),
    insertStream: db.prepare('INSERT OR IGNORE INTO streams (rec_key, ssrc, label) VALUES (?, ?, ?)'),
    getStreams: db.prepare('SELECT * FROM streams WHERE rec_key = ? ORDER BY label'),
    addStreamStats: db.prepare(ADD_STREAM_STATS_SQL),
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
    insertRun: db.prepare(INSERT_RUN_SQL),
    /** The run with the greatest first seq ≤ ?; runs never overlap, so it is the only one that can cover it. */
    runAtOrBefore: db.prepare(
      'SELECT last_ext_seq FROM packet_runs WHERE rec_key = ? AND ssrc = ? AND first_ext_seq <= ? ORDER BY first_ext_seq DESC LIMIT 1',
    ),
    lastRun: db.prepare(
      'SELECT last_ext_seq FROM packet_runs WHERE rec_key = ? AND ssrc = ? ORDER BY first_ext_seq DESC LIMIT 1',
    ),
    countPackets: db.prepare(
      'SELECT coalesce(sum(last_ext_seq - first_ext_seq + 1), 0) AS n FROM packet_runs WHERE rec_key = ?',
    ),
    readRuns: db.prepare(
      'SELECT ssrc, first_ext_seq, first_position_samples, packets FROM packet_runs WHERE rec_key = ? ORDER BY ssrc, first_ext_seq',
    ),
    purgePackets: db.prepare('DELETE FROM packet_runs WHERE rec_key = ?'),
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

  // Highest stored extended seq per (recording key, SSRC). A packet above it cannot be stored yet, so the
  // common case (new audio) needs no lookup; only resends and reordered packets query the runs. Cleared
  // whenever a transaction fails, because the rolled-back rows must not count as stored.
  const highest = new Map<number, Map<number, number>>();
  const highestOf = (key: number, ssrc: number): number => {
    let streams = highest.get(key);
    if (streams === undefined) {
      streams = new Map();
      highest.set(key, streams);
    }
    let value = streams.get(ssrc);
    if (value === undefined) {
      const row = q.lastRun.get(key, ssrc) as { last_ext_seq: number } | undefined;
      value = row?.last_ext_seq ?? -1;
      streams.set(ssrc, value);
    }
    return value;
  };
  const isStored = (key: number, ssrc: number, extSeq: number): boolean => {
    if (extSeq > highestOf(key, ssrc)) return false;
    const row = q.runAtOrBefore.get(key, ssrc, extSeq) as { last_ext_seq: number } | undefined;
    return row !== undefined && row.last_ext_seq >= extSeq;
  };

  /** Set while a commit defers its new audio to the media writer (deferMedia). */
  let deferred: MediaJob | undefined;

  const insertRuns = (
    key: number,
    ssrc: number,
    batch: PacketBatch,
    indices: readonly number[] | PacketRange,
  ): void => {
    if (deferred !== undefined) {
      const job = deferred;
      for (const run of buildPacketRuns(batch, indices, job.allocate)) job.addRun(key, ssrc, run);
      return;
    }
    for (const run of buildPacketRuns(batch, indices)) {
      q.insertRun.run(
        key,
        ssrc,
        run.firstExtSeq,
        run.lastExtSeq,
        run.firstPositionSamples,
        run.endSamples,
        run.blob,
      );
    }
  };

  /** Stores batch packets from..count−1 not stored yet, as runs; 1 where stored, 0 where a duplicate. */
  /** True when packets from..count−1 rise strictly and all lie above what is stored: new audio. */
  const allNew = (key: number, ssrc: number, batch: PacketBatch, from: number): boolean => {
    if (from >= batch.count || (batch.extSeq[from] as number) <= highestOf(key, ssrc)) return false;
    for (let i = from + 1; i < batch.count; i++) {
      if ((batch.extSeq[i] as number) <= (batch.extSeq[i - 1] as number)) return false;
    }
    return true;
  };

  const insertBatch = (key: number, ssrc: number, batch: PacketBatch, from: number): Uint8Array => {
    const inserted = new Uint8Array(batch.count);
    if (allNew(key, ssrc, batch, from)) {
      // The common case needs no per-packet lookup or index list.
      insertRuns(key, ssrc, batch, { from, to: batch.count });
      inserted.fill(1, from);
      (highest.get(key) as Map<number, number>).set(ssrc, batch.extSeq[batch.count - 1] as number);
      return inserted;
    }
    const order: number[] = [];
    let sorted = true;
    for (let i = from; i < batch.count; i++) {
      if (
        order.length > 0 &&
        (batch.extSeq[i] as number) < (batch.extSeq[order.at(-1) as number] as number)
      ) {
        sorted = false;
      }
      order.push(i);
    }
    if (!sorted) order.sort((a, b) => (batch.extSeq[a] as number) - (batch.extSeq[b] as number));
    const accepted: number[] = [];
    let last = -1;
    for (const i of order) {
      const extSeq = batch.extSeq[i] as number;
      if (accepted.length > 0 && extSeq === last) continue; // the same packet twice in one batch
      if (isStored(key, ssrc, extSeq)) continue;
      accepted.push(i);
      inserted[i] = 1;
      last = extSeq;
    }
    if (accepted.length === 0) return inserted;
    insertRuns(key, ssrc, batch, accepted);
    const streams = highest.get(key) as Map<number, number>;
    streams.set(ssrc, Math.max(streams.get(ssrc) ?? -1, last));
    return inserted;
  };

  /** The row-by-row form: grouped by SSRC into batches. */
  const insertPacketRows = (key: number, rows: readonly PacketRow[]): Uint8Array => {
    const inserted = new Uint8Array(rows.length);
    const bySsrc = new Map<number, number[]>();
    rows.forEach((row, i) => {
      const list = bySsrc.get(row.ssrc);
      if (list === undefined) bySsrc.set(row.ssrc, [i]);
      else list.push(i);
    });
    for (const [ssrc, indices] of bySsrc) {
      const flags = insertBatch(key, ssrc, batchOfRows(indices.map((i) => rows[i] as PacketRow)), 0);
      indices.forEach((i, k) => {
        inserted[i] = flags[k] as number;
      });
    }
    return inserted;
  };

  migrateVersion1(db, q.insertRun);

  const updateColumns: Record<keyof RecordingPatch, string> = {
    state: 'state',
    closeReason: 'close_reason',
    endPositionMs: 'end_position_ms',
    deletedAtMs: 'deleted_at_ms',
    interruptions: 'interruptions',
  };

  const store: SinkStore = {
    transaction: (fn) => {
      try {
        // IMMEDIATE: the write lock is taken at BEGIN, where SQLite's busy timeout waits for another writer
        // (the media writer thread); a deferred transaction that read first would fail at once with
        // SQLITE_BUSY when it came to write while that writer commits.
        return db.transaction(fn).immediate();
      } catch (error) {
        highest.clear();
        throw error;
      }
    },

    deferMedia: (job, fn) => {
      deferred = job;
      try {
        return fn();
      } finally {
        deferred = undefined;
      }
    },
    forgetUncommitted: () => highest.clear(),

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

    listRecordingsPage: (filter) =>
      (
        q.listPage.all({
          orgId: filter.orgId,
          userId: filter.userId ?? null,
          afterMs: filter.after?.createdAtMs ?? Number.MIN_SAFE_INTEGER,
          afterId: filter.after?.recordingId ?? '',
          limit: filter.limit,
        }) as Row[]
      ).map(recordingFromRow),
    getStreamsOf: (recordingIds) => {
      const out = new Map<string, StreamRow[]>(recordingIds.map((id) => [id, []]));
      for (const r of q.streamsOf.all(JSON.stringify(recordingIds)) as Row[]) {
        out.get(r.rid as string)?.push(streamFromRow(r.rid as string, r));
      }
      return out;
    },
    getSegmentsOf: (recordingIds) => {
      const out = new Map<string, SegmentRow[]>(recordingIds.map((id) => [id, []]));
      for (const r of q.segmentsOf.all(JSON.stringify(recordingIds)) as Row[]) {
        out.get(r.rid as string)?.push({
          index: r.idx as number,
          startMs: r.start_ms as number,
          endMs: (r.end_ms as number | null) ?? null,
        });
      }
      return out;
    },

    insertStream: (row) => {
      const key = recKey(row.recordingId);
      if (q.insertStream.run(key, row.ssrc, row.label).changes === 1) {
        // A new stream has no packets: its first commit needs no lookup (a live load opens thousands at once).
        let streams = highest.get(key);
        if (streams === undefined) {
          streams = new Map();
          highest.set(key, streams);
        }
        streams.set(row.ssrc, -1);
      }
    },
    getStreams: (recordingId) =>
      (q.getStreams.all(recKey(recordingId)) as Row[]).map((r) => streamFromRow(recordingId, r)),
    addStreamStats: (recordingId, ssrc, delta) => {
      if (deferred !== undefined) deferred.addStats(recKey(recordingId), ssrc, delta);
      else q.addStreamStats.run({ ...delta, recKey: recKey(recordingId), ssrc });
    },

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

    insertPackets: (recordingId, rows) => insertPacketRows(recKey(recordingId), rows),
    insertPacketBatch: (recordingId, ssrc, batch, from) =>
      insertBatch(recKey(recordingId), ssrc, batch, from),
    hasPacket: (recordingId, ssrc, extSeq) => isStored(recKey(recordingId), ssrc, extSeq),
    countPackets: (recordingId) => (q.countPackets.get(recKey(recordingId)) as { n: number }).n,
    *readPackets(recordingId) {
      for (const r of q.readRuns.iterate(recKey(recordingId)) as IterableIterator<Row>) {
        yield* expandPacketRun(
          r.ssrc as number,
          r.first_ext_seq as number,
          r.first_position_samples as number,
          r.packets as Uint8Array,
        );
      }
    },
    purgeAudio: (recordingId) => {
      const key = recKey(recordingId);
      q.purgePackets.run(key);
      q.purgeAnchors.run(key);
      highest.delete(key);
    },

    close: () => {
      if (db.open) db.close();
    },
  };
  return store;
}

/**
 * Version 1 kept one row per packet in `packets`; turn them into runs once and drop the table, so a file
 * written by an older sink still reads, resumes and dedupes the same way.
 */
function migrateVersion1(db: Database.Database, insertRun: Database.Statement): void {
  const legacy = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'packets'").get();
  if (legacy === undefined) return;
  db.transaction(() => {
    // .all(), not .iterate(): better-sqlite3 refuses other statements while an iterator is open.
    const all = db
      .prepare(
        'SELECT rec_key, ssrc, ext_seq, rtp_timestamp, position_samples, payload FROM packets ORDER BY rec_key, ssrc, ext_seq',
      )
      .all() as Row[];
    const streams = new Map<string, { key: number; ssrc: number; rows: PacketRow[] }>();
    for (const r of all) {
      const id = `${r.rec_key}:${r.ssrc}`;
      let stream = streams.get(id);
      if (stream === undefined) {
        stream = { key: r.rec_key as number, ssrc: r.ssrc as number, rows: [] };
        streams.set(id, stream);
      }
      stream.rows.push({
        ssrc: stream.ssrc,
        extSeq: r.ext_seq as number,
        timestamp: r.rtp_timestamp as number,
        positionSamples: r.position_samples as number,
        payload: r.payload as Uint8Array,
      });
    }
    for (const { key, ssrc, rows } of streams.values()) {
      const batch = batchOfRows(rows);
      for (const run of buildPacketRuns(
        batch,
        rows.map((_, i) => i),
      )) {
        insertRun.run(
          key,
          ssrc,
          run.firstExtSeq,
          run.lastExtSeq,
          run.firstPositionSamples,
          run.endSamples,
          run.blob,
        );
      }
    }
    db.exec('DROP TABLE packets');
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION));
  })();
}
