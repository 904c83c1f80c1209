/**
 * `callrec recordings list|download|open` against a running sink (a token given) and against the
 * database file of a sink no longer running (an embedded sink opens it and issues the token itself):
 * the same rules as the portal (S6, S8), a WAV of the recording's length, the page address.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerRecordings } from '../../src/cli/commands/recordings.ts';
import { readStereoWav } from '../../src/dubber/wav-export.ts';
import { isSimError } from '../../src/errors.ts';
import { ALICE_PAUSE, type PortalWorld, RECORDINGS, startPortalWorld } from './portal-world.ts';

const dir = mkdtempSync(join(tmpdir(), 'callrec-recordings-'));
let world: PortalWorld;

beforeAll(async () => {
  world = await startPortalWorld();
});
afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function callrec(args: readonly string[]): Promise<string> {
  const program = new Command('callrec')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerRecordings(program);
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  try {
    await program.parseAsync([...args], { from: 'user' });
  } finally {
    log.mockRestore();
  }
  return out.join('\n');
}

async function failure(args: readonly string[]): Promise<string> {
  try {
    await callrec(args);
  } catch (error) {
    if (isSimError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error(`callrec ${args.join(' ')} succeeded`);
}

describe('callrec recordings against a running sink', () => {
  const tokenOf = (request: Parameters<PortalWorld['harness']['provisioning']['issueToken']>[0]) =>
    world.harness.provisioning.issueToken(request);

  it('lists what a Go user and a Standard admin may see (S6, S8), as JSON and as a table', async () => {
    const alice = tokenOf({ orgId: 'acme', userId: 'alice' });
    const json = JSON.parse(
      await callrec(['recordings', 'list', '--sink', world.server.url, '--token', alice, '--json']),
    );
    expect(json.map((r: { recordingId: string }) => r.recordingId)).toEqual([RECORDINGS.alice]);
    const admin = tokenOf({ orgId: 'acme', adminEmail: 'it@acme.example' });
    const text = await callrec(['recordings', 'list', '--sink', world.server.url, '--token', admin]);
    expect(text.split('\n')[0]).toMatch(
      /^recording\s+created \(UTC\)\s+user\s+remote\s+duration\s+tier\s+retention\s+access$/,
    );
    expect(text.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^rec-dave\s.*\sdave\s.*\sStandard\s+kept \(paid\)\s+admin$/),
    ]);
  });

  it('downloads a WAV of the recording, refuses one the person may not see, prints the page', async () => {
    const alice = tokenOf({ orgId: 'acme', userId: 'alice' });
    const out = join(dir, 'alice.wav');
    const said = await callrec([
      'recordings',
      'download',
      RECORDINGS.alice,
      '--sink',
      world.server.url,
      '--token',
      alice,
      '--out',
      out,
    ]);
    expect(said).toMatch(/alice\.wav: 160044 bytes, 0:05 of stereo 8 kHz audio/);
    expect(readStereoWav(readFileSync(out)).left.length).toBe((ALICE_PAUSE.durationMs / 1000) * 8000);
    expect(
      await failure(['recordings', 'download', RECORDINGS.bob, '--sink', world.server.url, '--token', alice]),
    ).toMatch(/^SIM_ERR_NOT_AUTHORISED: The sink answered 403: Only the owner/);
    expect(
      await callrec(['recordings', 'open', RECORDINGS.alice, '--sink', world.server.url, '--token', alice]),
    ).toBe(`${world.server.url}/portal/recordings/${RECORDINGS.alice}`);
  });

  it('says what is missing', async () => {
    expect(await failure(['recordings', 'list', '--sink', world.server.url])).toMatch(
      /^SIM_ERR_USAGE: Say whose recordings/,
    );
    expect(await failure(['recordings', 'list', '--org', 'acme', '--user', 'alice'])).toMatch(
      /^SIM_ERR_USAGE: Give either --sink/,
    );
    // A mistyped database is named, not created.
    const typo = join(dir, 'typo.db');
    expect(await failure(['recordings', 'list', '--db', typo, '--org', 'acme', '--user', 'alice'])).toMatch(
      /^SIM_ERR_USAGE: No sink database at/,
    );
    expect(existsSync(typo)).toBe(false);
  });
});

describe('callrec recordings --db (a persisted sink database)', () => {
  it('issues its own token and answers by the same rules', async () => {
    const db = join(dir, 'sink.db');
    const persisted = await startPortalWorld(db);
    await persisted.close();
    const ids = async (...as: string[]) =>
      (
        JSON.parse(await callrec(['recordings', 'list', '--db', db, '--json', ...as])) as {
          recordingId: string;
        }[]
      ).map((r) => r.recordingId);
    expect(await ids('--org', 'acme', '--user', 'bob')).toEqual([RECORDINGS.bob]);
    expect(await ids('--org', 'globex', '--admin', 'it@globex.example')).toEqual([]);
    expect(await ids('--org', 'initech', '--admin', 'it@initech.example')).toEqual([RECORDINGS.eve]);
    const open = await callrec([
      'recordings',
      'open',
      RECORDINGS.bob,
      '--db',
      db,
      '--org',
      'acme',
      '--user',
      'bob',
    ]);
    expect(open.split('\n')).toEqual([
      `http://127.0.0.1:8787/portal/recordings/${RECORDINGS.bob}`,
      `Nothing serves ${db} now: run \`callrec sink --db ${db} --at last-recording\`, then open the address above.`,
    ]);
    expect(await failure(['recordings', 'list', '--db', db, '--org', 'acme', '--user', 'nobody'])).toMatch(
      /SIM_ERR_NOT_FOUND/,
    );
  });
});
