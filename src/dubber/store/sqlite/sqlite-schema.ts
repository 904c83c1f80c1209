/**
 * The sink's SQLite schema. Recordings get a small integer key so the packet table (the bulk of the data)
 * does not repeat a text id per 20 ms of audio. Packets are stored in runs of consecutive extended seqs per
 * stream (packet-runs.ts); runs never overlap, so (recording, SSRC, extended seq) stays the dedupe rule for
 * resent frames. Runs are appended in rowid order (cheap page writes when thousands of streams commit
 * together) and found through the (recording, SSRC, first seq) index.
 *
 * Version 1 stored one row per packet in `packets`; a version-1 file is migrated when opened.
 */
export const SCHEMA_VERSION = 2;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orgs (org_id TEXT PRIMARY KEY, customer_name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
  org_id TEXT PRIMARY KEY, created_at_ms INTEGER NOT NULL, terms_accepted_by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS account_admins (
  email_norm TEXT PRIMARY KEY, org_id TEXT NOT NULL, email TEXT NOT NULL, position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS account_admins_org ON account_admins (org_id);
CREATE TABLE IF NOT EXISTS users (
  user_id TEXT PRIMARY KEY, org_id TEXT NOT NULL,
  time_zone TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL,
  dp_product TEXT NOT NULL, dp_external_type TEXT NOT NULL, dp_service_provider TEXT NOT NULL,
  dp_external_group TEXT NOT NULL, dp_external_identifier TEXT NOT NULL,
  recording_enabled INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS subscription_periods (
  user_id TEXT NOT NULL, position INTEGER NOT NULL, tier TEXT NOT NULL, from_ms INTEGER NOT NULL,
  PRIMARY KEY (user_id, position));
CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY, org_id TEXT NOT NULL, user_id TEXT, admin_email TEXT, issued_at_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS recordings (
  rec_key INTEGER PRIMARY KEY, recording_id TEXT NOT NULL UNIQUE, org_id TEXT NOT NULL, user_id TEXT NOT NULL,
  direction TEXT NOT NULL, remote_type TEXT NOT NULL, remote_address TEXT, format TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL, open_position_ms INTEGER NOT NULL, state TEXT NOT NULL,
  close_reason TEXT, end_position_ms INTEGER, deleted_at_ms INTEGER, interruptions INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS recordings_org ON recordings (org_id);
CREATE TABLE IF NOT EXISTS streams (
  rec_key INTEGER NOT NULL, ssrc INTEGER NOT NULL, label INTEGER NOT NULL,
  received INTEGER NOT NULL DEFAULT 0, duplicates INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0,
  min_ext_seq INTEGER, max_ext_seq INTEGER, end_samples INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (rec_key, ssrc));
CREATE TABLE IF NOT EXISTS segments (
  rec_key INTEGER NOT NULL, idx INTEGER NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER,
  PRIMARY KEY (rec_key, idx));
CREATE TABLE IF NOT EXISTS anchors (
  rec_key INTEGER NOT NULL, segment_idx INTEGER NOT NULL, ssrc INTEGER NOT NULL,
  rtp_timestamp INTEGER NOT NULL, position_samples INTEGER NOT NULL,
  PRIMARY KEY (rec_key, segment_idx, ssrc));
CREATE TABLE IF NOT EXISTS events (
  rec_key INTEGER NOT NULL, type TEXT NOT NULL, kind TEXT NOT NULL, position_ms INTEGER NOT NULL,
  detail TEXT NOT NULL, PRIMARY KEY (rec_key, type, kind, position_ms));
CREATE TABLE IF NOT EXISTS packet_runs (
  run_id INTEGER PRIMARY KEY, rec_key INTEGER NOT NULL, ssrc INTEGER NOT NULL,
  first_ext_seq INTEGER NOT NULL, last_ext_seq INTEGER NOT NULL,
  first_position_samples INTEGER NOT NULL, end_samples INTEGER NOT NULL, packets BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS packet_runs_key ON packet_runs (rec_key, ssrc, first_ext_seq);
`;

/** Appends one packet run (packet-runs.ts); the sink's connection and the media writer's both use it. */
export const INSERT_RUN_SQL =
  'INSERT INTO packet_runs (rec_key, ssrc, first_ext_seq, last_ext_seq, first_position_samples, end_samples, packets) VALUES (?, ?, ?, ?, ?, ?, ?)';

/** Adds a commit's counts to a stream's stats (a StreamStatsDelta, named parameters, plus recKey and ssrc). */
export const ADD_STREAM_STATS_SQL = `UPDATE streams SET received = received + @received,
    duplicates = duplicates + @duplicates, rejected = rejected + @rejected,
    min_ext_seq = CASE WHEN @minExtSeq IS NULL THEN min_ext_seq WHEN min_ext_seq IS NULL THEN @minExtSeq
      ELSE min(min_ext_seq, @minExtSeq) END,
    max_ext_seq = CASE WHEN @maxExtSeq IS NULL THEN max_ext_seq WHEN max_ext_seq IS NULL THEN @maxExtSeq
      ELSE max(max_ext_seq, @maxExtSeq) END,
    end_samples = max(end_samples, @endSamples)
  WHERE rec_key = @recKey AND ssrc = @ssrc`;
