/**
 * `callrec recordings list|download|open`: what a person may see in the Dubber portal, from the terminal.
 * Against a running `callrec sink` (`--sink <url> --key id:secret`) or the database of a persisted run
 * (`--db <file>`, opened by an embedded sink on a free loopback port for the length of the command).
 * The token is issued through signed provisioning as the person given by --org with --user or --admin.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { createSinkServer, type SinkServer } from '../../dubber/index.ts';
import { SimError } from '../../errors.ts';
import { connectPortal, type PortalClient } from '../../platform/portal-client.ts';
import { PLATFORM_ORG } from '../../protocol/index.ts';
import type { RecordingSummary } from '../../protocol/portal-api.ts';
import { createEpochClock, createVirtualClock } from '../../time/index.ts';

interface SourceOptions {
  readonly sink?: string;
  readonly key?: string;
  readonly db?: string;
  readonly org?: string;
  readonly user?: string;
  readonly admin?: string;
  readonly token?: string;
}

interface Source {
  readonly portal: PortalClient;
  /** Where the portal pages are (for `open`), or how to get them when nothing is serving. */
  readonly pageUrl: (id: string) => string;
  readonly hint?: string;
  close(): Promise<void>;
}

const DEFAULT_SINK_PORTAL = 'http://127.0.0.1:8787';

function who(options: SourceOptions) {
  if (options.token !== undefined) return { token: options.token };
  if (options.org === undefined || (options.user === undefined) === (options.admin === undefined)) {
    throw new SimError(
      'SIM_ERR_USAGE',
      'Say whose recordings: --org <orgId> with --user <userId> or --admin <email> (or --token <token>).',
    );
  }
  return options.user === undefined
    ? { orgId: options.org, adminEmail: options.admin as string }
    : { orgId: options.org, userId: options.user };
}

async function openSource(options: SourceOptions): Promise<Source> {
  const as = who(options);
  if ((options.sink === undefined) === (options.db === undefined)) {
    throw new SimError(
      'SIM_ERR_USAGE',
      'Give either --sink <url> (with --key id:secret) or --db <file> of a persisted run.',
    );
  }
  if (options.sink !== undefined) {
    const [keyId, secret] = (options.key ?? '').split(':');
    if ((!keyId || !secret) && !('token' in as)) {
      throw new SimError(
        'SIM_ERR_USAGE',
        'With --sink, give --key id:secret (a key of the sink that acts for the organisation).',
      );
    }
    const baseUrl = options.sink.replace(/^ws/, 'http').replace(/\/v1\/stream$/, '');
    const portal = await connectPortal({
      baseUrl,
      keyId: keyId ?? '',
      secret: secret ?? '',
      clock: createEpochClock(),
      as,
    });
    return { portal, pageUrl: portal.pageUrl, close: async () => {} };
  }
  if (!existsSync(options.db as string)) {
    throw new SimError(
      'SIM_ERR_USAGE',
      `No sink database at ${options.db}: give the file of \`callrec run --db <file>\`.`,
    );
  }
  // A persisted run's sink kept its virtual time: read it as of its last recording, as the run left it.
  const clock = createVirtualClock();
  const key = {
    keyId: 'callrec-recordings',
    secret: randomBytes(24).toString('base64url'),
    orgId: PLATFORM_ORG,
  };
  let server: SinkServer;
  try {
    server = await createSinkServer({
      port: 0,
      dbPath: options.db as string,
      clock,
      keys: [key],
      scheduleSweep: false,
    });
  } catch (cause) {
    throw new SimError(
      'SIM_ERR_STORAGE',
      `Cannot open the sink database ${options.db}: ${(cause as Error).message}`,
      { cause },
    );
  }
  try {
    const lastMs = Math.max(0, ...server.store.listRecordings({}).map((r) => r.createdAtMs));
    clock.advanceTo(lastMs);
    const portal = await connectPortal({
      baseUrl: server.url,
      keyId: key.keyId,
      secret: key.secret,
      clock,
      as,
    });
    return {
      portal,
      pageUrl: (id) => `${DEFAULT_SINK_PORTAL}/portal/recordings/${encodeURIComponent(id)}`,
      hint: `Nothing serves ${options.db} now: run \`callrec sink --db ${options.db} --at last-recording\`, then open the address above.`,
      close: () => server.close(),
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}

async function withSource<T>(options: SourceOptions, fn: (source: Source) => Promise<T>): Promise<T> {
  const source = await openSource(options);
  try {
    return await fn(source);
  } finally {
    await source.close();
  }
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function table(rows: readonly RecordingSummary[]): string {
  const head = ['recording', 'created (UTC)', 'user', 'remote', 'duration', 'tier', 'retention', 'access'];
  const body = rows.map((r) => [
    r.recordingId,
    Number.isFinite(r.createdAtMs)
      ? new Date(r.createdAtMs).toISOString().slice(0, 16).replace('T', ' ')
      : '',
    r.userId,
    r.remote.address ?? r.remote.type,
    formatDuration(r.durationMs),
    r.ownerTier,
    r.deleteAtMs === null ? 'kept (paid)' : `deleted at ${new Date(r.deleteAtMs).toISOString().slice(0, 10)}`,
    r.access,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  return [head, ...body]
    .map((row) =>
      row
        .map((c, i) => (c ?? '').padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function addSourceOptions(command: Command): Command {
  return command
    .option('--sink <url>', 'a running `callrec sink` (http://host:port)')
    .option('--key <id:secret>', 'a key of that sink acting for the organisation (with --sink)')
    .option('--db <file>', 'the sink database of a persisted run (`callrec run --db <file>`)')
    .option('--org <orgId>', 'the organisation of the person asking')
    .option('--user <userId>', 'ask as this user (own recordings, S6)')
    .option('--admin <email>', "ask as this Dubber admin (the org's paid-tier recordings, S8)")
    .option('--token <token>', 'a portal token already issued');
}

export function registerRecordings(program: Command): void {
  const recordings = program
    .command('recordings')
    .description(
      'list, download or open the recordings a user or Dubber admin may see (the portal rules, S6/S8)',
    );
  addSourceOptions(recordings.command('list').description('the recordings, as a table'))
    .option('--json', 'print JSON instead of a table')
    .action(async (options: SourceOptions & { json?: boolean }) => {
      const rows = await withSource(options, (s) => s.portal.list());
      if (options.json === true) console.log(JSON.stringify(rows, null, 2));
      else console.log(rows.length === 0 ? 'No recordings this person may see.' : table(rows));
    });
  addSourceOptions(
    recordings
      .command('download <id>')
      .description('save a recording as stereo WAV (left user, right remote)'),
  )
    .option('--out <file>', 'where to write it (default <id>.wav)')
    .action(async (id: string, options: SourceOptions & { out?: string }) => {
      const wav = await withSource(options, (s) => s.portal.download(id));
      const out = options.out ?? `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.wav`;
      try {
        writeFileSync(out, wav);
      } catch (cause) {
        throw new SimError('SIM_ERR_USAGE', `Cannot write ${out}: ${(cause as Error).message}`, { cause });
      }
      console.log(
        `${out}: ${wav.length} bytes, ${formatDuration(((wav.length - 44) / 4 / 8000) * 1000)} of stereo 8 kHz audio`,
      );
    });
  addSourceOptions(
    recordings.command('open <id>').description("print the recording's page in the portal"),
  ).action(async (id: string, options: SourceOptions) => {
    const { url, hint } = await withSource(options, async (s) => {
      await s.portal.get(id); // the person may see it, or this says why not
      return { url: s.pageUrl(id), hint: s.hint };
    });
    console.log(url);
    if (hint !== undefined) console.log(hint);
  });
  recordings.hook('preAction', (_cmd, action) => {
    const o = action.opts() as SourceOptions;
    if (o.key !== undefined && !o.key.includes(':')) throw new InvalidArgumentError('--key is id:secret.');
  });
}
