/**
 * The sink's connection shares its database file with the media writer thread. While another connection
 * holds the write lock (as the writer does while it commits), a provisioning change — a transaction that
 * reads before it writes — waits for the lock and succeeds instead of failing at once with SQLITE_BUSY.
 * Timeouts are hang guards only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProvisioning } from '../../../src/dubber/provisioning.ts';
import { createSqliteStore } from '../../../src/dubber/store/sqlite/sqlite-store.ts';
import { createVirtualClock } from '../../../src/time/virtual-clock.ts';
import { dubPointOf, provisionWorld } from '../../harness/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'callrec-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Another process takes the write lock, says so, holds it for `holdMs`, then commits and exits. */
function holdWriteLock(dbPath: string, holdMs: number): Promise<ChildProcess> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const source = `
    const Database = require(${JSON.stringify(driver)});
    const db = new Database(${JSON.stringify(dbPath)});
    db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE orgs SET customer_name = customer_name WHERE org_id = 'acme'").run();
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    db.exec('COMMIT');
    db.close();`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
}

describe('sink store next to another writer', () => {
  it('a provisioning transaction waits for the write lock instead of failing with SQLITE_BUSY', async () => {
    const dbPath = join(dir, 'sink.db');
    const store = createSqliteStore({ path: dbPath });
    const provisioning = createProvisioning(store, createVirtualClock());
    provisionWorld(provisioning);
    const holder = await holdWriteLock(dbPath, 300);
    try {
      // Reads the user, then writes it: the read-then-write that a deferred transaction could not finish.
      const row = provisioning.upsertUser({
        orgId: 'acme',
        userId: 'alice',
        profile: {
          timeZone: 'Europe/Prague',
          firstName: 'Alice',
          lastName: 'Novak',
          email: 'alice@acme.example',
        },
        dubPoint: dubPointOf('alice', 'acme'),
        tier: 'Standard',
      });
      expect(row.profile.lastName).toBe('Novak');
      expect(store.getUser('alice')?.profile.lastName).toBe('Novak');
    } finally {
      await new Promise((resolve) =>
        holder.exitCode === null ? holder.once('exit', resolve) : resolve(null),
      );
      store.close();
    }
  });
});
