/**
 * Packets are stored as runs of consecutive extended seqs (packet-runs.ts). Reading them back gives every
 * packet with its timestamp, position and payload; gaps and resends split or skip runs; and a database
 * written by a version-1 sink (one row per packet) is migrated when opened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/dubber/store/sqlite/sqlite-store.ts';
import type { PacketRow, RecordingRow } from '../../src/dubber/store/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'callrec-runs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const recording: RecordingRow = {
  recordingId: 'r1',
  orgId: 'acme',
  userId: 'alice',
  direction: 'inbound',
  remoteType: 'pstn',
  remoteAddress: null,
  format: 'PCMU',
  createdAtMs: 0,
  openPositionMs: 0,
  state: 'active',
  closeReason: null,
  endPositionMs: null,
  deletedAtMs: null,
  interruptions: 0,
};
const row = (extSeq: number, ssrc = 9): PacketRow => ({
  ssrc,
  extSeq,
  timestamp: (extSeq * 160 + 0xffff_ff00) >>> 0,
  positionSamples: extSeq * 160 - 800,
  payload: new Uint8Array(extSeq % 3 === 0 ? 80 : 160).fill(extSeq & 0xff),
});

/** Rows with payloads as hex, so Buffer and Uint8Array views compare equal. */
const plain = (rows: readonly PacketRow[]) =>
  rows.map((r) => ({ ...r, payload: Buffer.from(r.payload).toString('hex') }));

describe('packet runs', () => {
  it('round-trips packets across gaps, out-of-order rows and resends', () => {
    const store = createSqliteStore({ path: ':memory:' });
    store.insertRecording(recording);
    const first = [3, 1, 2, 4, 7, 8, 20].map((s) => row(s));
    expect([...store.insertPackets('r1', first)]).toEqual([1, 1, 1, 1, 1, 1, 1]);
    // A resend of some, plus new ones filling a gap and a duplicate inside the same batch.
    expect([...store.insertPackets('r1', [row(2), row(5), row(5), row(6), row(20), row(21)])]).toEqual([
      0, 1, 0, 1, 0, 1,
    ]);
    expect(store.countPackets('r1')).toBe(10);
    expect(store.hasPacket('r1', 9, 6)).toBe(true);
    expect(store.hasPacket('r1', 9, 9)).toBe(false);
    const read = [...store.readPackets('r1')];
    expect(read.map((p) => p.extSeq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 20, 21]);
    expect(plain(read)).toEqual(plain(read.map((p) => row(p.extSeq))));
    store.close();
  });

  it('migrates a version-1 database (one row per packet) when it is opened', () => {
    const path = join(dir, 'v1.db');
    createSqliteStore({ path }).close(); // today's tables…
    const db = new Database(path);
    db.exec(`CREATE TABLE packets (
      rec_key INTEGER NOT NULL, ssrc INTEGER NOT NULL, ext_seq INTEGER NOT NULL,
      rtp_timestamp INTEGER NOT NULL, position_samples INTEGER NOT NULL, payload BLOB NOT NULL,
      PRIMARY KEY (rec_key, ssrc, ext_seq)) WITHOUT ROWID`);
    db.prepare("UPDATE meta SET value = '1' WHERE key = 'schema_version'").run();
    db.prepare(
      `INSERT INTO recordings (recording_id, org_id, user_id, direction, remote_type, format, created_at_ms,
        open_position_ms, state) VALUES ('old', 'acme', 'alice', 'inbound', 'pstn', 'PCMU', 0, 0, 'closed')`,
    ).run();
    const insert = db.prepare('INSERT INTO packets VALUES (1, ?, ?, ?, ?, ?)');
    const rows = [...[10, 11, 12, 14].map((s) => row(s, 1)), ...[10, 11].map((s) => row(s, 2))];
    for (const r of rows)
      insert.run(r.ssrc, r.extSeq, r.timestamp, r.positionSamples, Buffer.from(r.payload));
    db.close();
    const store = createSqliteStore({ path }); // …plus a version-1 packets table
    try {
      expect(store.countPackets('old')).toBe(6);
      expect(plain([...store.readPackets('old')])).toEqual(plain(rows));
    } finally {
      store.close();
    }
    const check = new Database(path, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'packets'").get()).toBeUndefined();
    expect(check.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({
      value: '2',
    });
    check.close();
  });
});
