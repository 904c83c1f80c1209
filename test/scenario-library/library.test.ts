/**
 * The bundled scenario library (scenarios/): every file passes, the coverage table of docs/scenarios.md
 * agrees with the files' `cites`, every behavioural seed statement is cited, and the library can fail —
 * each expectation of each file, changed in memory, makes its scenario fail at exactly that expectation
 * (scenarios with audio or RTP expectations run against the embedded sink, whose stored audio they read).
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkTarget } from '../../src/platform/sink-target.ts';
import { startEmbeddedSink } from '../../src/scenario/embedded-sink.ts';
import { callsWithAudioExpectations } from '../../src/scenario/expect/audio-calls.ts';
import type { LoadedScenario } from '../../src/scenario/load-scenario.ts';
import type { ExpectationFailure, ScenarioReport } from '../../src/scenario/report-types.ts';
import {
  findScenarioFiles,
  loadAll,
  runScenarios,
  runScenariosWithSink,
} from '../../src/scenario/run-scenarios.ts';
import type { CallExpect, Scenario } from '../../src/scenario/schema.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SCENARIOS_DIR = join(ROOT, 'scenarios');
const DOC = join(ROOT, 'docs', 'scenarios.md');
const SEED = 'callrec';

/** Seed statements that describe behaviour; each must be cited by at least one scenario. */
const BEHAVIOURAL = [1, 2, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, ...range(20, 33)].map((n) => `S${n}`);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const library: LoadedScenario[] = loadAll(findScenarioFiles([SCENARIOS_DIR]));
const pathOf = (item: LoadedScenario): string => relative(SCENARIOS_DIR, item.file).split(sep).join('/');

/** Audio and RTP expectations read what a sink stored: those scenarios run against the embedded sink. */
let sink: SinkTarget | undefined;
beforeAll(async () => {
  sink = await startEmbeddedSink();
});
afterAll(async () => {
  await sink?.close();
});

function needsSink(scenario: Scenario): boolean {
  return (
    callsWithAudioExpectations(scenario).size > 0 ||
    Object.values(scenario.expect.calls ?? {}).some((c) => c.streams?.rtp !== undefined)
  );
}

async function run(scenario: Scenario, file = 'mutated.yaml'): Promise<ScenarioReport> {
  const options = { seed: SEED, baseDir: SCENARIOS_DIR };
  const loaded = [{ file: join(SCENARIOS_DIR, file), scenario }];
  const report = needsSink(scenario)
    ? (await runScenariosWithSink(loaded, { ...options, sink: sink as SinkTarget })).scenarios[0]
    : runScenarios(loaded, options).scenarios[0];
  if (report === undefined) throw new Error(`no report for ${file}`);
  return report;
}

/** One readable line per failure: where, expected, actual, and what it is about. */
function describeFailure(f: ExpectationFailure): string {
  return `${f.expectation}: expected ${JSON.stringify(f.expected)}, got ${JSON.stringify(f.actual)} — ${f.message}`;
}

describe('the bundled scenario library', () => {
  it('holds 30 or more scenario files, each with a name, a description and cites', () => {
    expect(library.length).toBeGreaterThanOrEqual(30);
    const incomplete = library
      .filter((l) => !l.scenario.description?.trim() || l.scenario.cites.length === 0)
      .map(pathOf);
    expect(incomplete).toEqual([]);
    const names = library.map((l) => l.scenario.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it.each(library.map((l) => [pathOf(l), l] as const))('%s passes', async (path, item) => {
    const report = await run(item.scenario, path);
    expect(report.failures.map(describeFailure), `${path}: ${item.scenario.name}`).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('cites every behavioural statement of the seed at least once', () => {
    const cited = new Set(library.flatMap((l) => l.scenario.cites));
    expect(BEHAVIOURAL.filter((s) => !cited.has(s))).toEqual([]);
  });
});

/** The coverage table of docs/scenarios.md: statement → scenario paths listed in its row. */
function coverageTable(): Map<string, string[]> {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf('<!-- coverage-table:start -->');
  const end = doc.indexOf('<!-- coverage-table:end -->');
  expect(start, 'docs/scenarios.md has the coverage-table markers').toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  const rows = new Map<string, string[]>();
  for (const line of doc.slice(start, end).split('\n')) {
    const match = /^\|\s*(S\d+)\s*\|/.exec(line);
    if (match?.[1] === undefined) continue;
    const cells = line.split('|');
    const files = [...(cells[3] ?? '').matchAll(/`([^`]+\.(?:ya?ml|json))`/g)].map((m) => m[1] as string);
    rows.set(match[1], files);
  }
  return rows;
}

describe('docs/scenarios.md coverage table', () => {
  const table = coverageTable();
  const paths = library.map(pathOf);

  it('has one row for each statement S1 … S34', () => {
    expect([...table.keys()]).toEqual(range(1, 34).map((n) => `S${n}`));
  });

  it('lists every scenario file, and only files that exist', () => {
    const listed = new Set([...table.values()].flat());
    expect(
      paths.filter((p) => !listed.has(p)),
      'scenario files missing from the table',
    ).toEqual([]);
    expect(
      [...listed].filter((p) => !paths.includes(p)),
      'table entries with no such file',
    ).toEqual([]);
  });

  it("agrees with the files' cites, statement by statement", () => {
    for (const [statement, listed] of table) {
      const citing = library.filter((l) => l.scenario.cites.includes(statement)).map(pathOf);
      expect([...listed].sort(), `row ${statement}`).toEqual([...citing].sort());
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Mutations: change one expectation in memory and the scenario must fail at exactly that expectation.

interface Mutation {
  /** The expectation path the failure must name (a prefix is enough). */
  readonly where: string;
  readonly apply: (scenario: Scenario) => void;
}

const STATES = ['none', 'pending', 'started', 'paused', 'stopped', 'failed'] as const;

function callMutations(callId: string, wanted: CallExpect): Mutation[] {
  const at = `expect.calls.${callId}`;
  const call = (s: Scenario): CallExpect => {
    const found = s.expect.calls?.[callId];
    if (found === undefined) throw new Error(`no expectation for call ${callId}`);
    return found;
  };
  const out: Mutation[] = [];
  const add = (key: string, apply: (c: CallExpect) => void) =>
    out.push({ where: `${at}.${key}`, apply: (s) => apply(call(s)) });

  if (wanted.recorded !== undefined) add('recorded', (c) => (c.recorded = !c.recorded));
  if (wanted.recordings !== undefined) add('recordings', (c) => (c.recordings = (c.recordings ?? 0) + 1));
  if (wanted.recordingStates !== undefined) {
    add('recordingStates', (c) => (c.recordingStates = [...(c.recordingStates ?? []), 'paused']));
  }
  if (wanted.finalState !== undefined) {
    add('finalState', (c) => (c.finalState = STATES.find((s) => s !== c.finalState) ?? 'none'));
  }
  if (wanted.recordedDuration !== undefined) {
    add('recordedDuration', (c) => {
      const d = c.recordedDuration;
      c.recordedDuration =
        typeof d === 'number'
          ? d + 20
          : { value: (d?.value ?? 0) + (d?.tolerance ?? 0) + 20, tolerance: d?.tolerance ?? 0 };
    });
  }
  if (wanted.pauses !== undefined) add('pauses', (c) => (c.pauses = (c.pauses ?? 0) + 1));
  if (wanted.announcements !== undefined) {
    add('announcements', (c) => {
      const detailed = c.announcements?.some((a) => a.includes(':')) ?? false;
      c.announcements = [...(c.announcements ?? []), detailed ? 'stop:beep' : 'stop'];
    });
  }
  if (wanted.reportedToDubber !== undefined) {
    add('reportedToDubber', (c) => (c.reportedToDubber = [...(c.reportedToDubber ?? []), 'stop']));
  }
  if (wanted.tones !== undefined) add('tones', (c) => (c.tones = (c.tones ?? 0) + 1));
  if (wanted.indicator !== undefined)
    add('indicator', (c) => (c.indicator = [...(c.indicator ?? []), 'paused']));
  if (wanted.rejected !== undefined) add('rejected', (c) => (c.rejected = [...(c.rejected ?? []), 'answer']));
  out.push(...richCallMutations(callId, wanted, call));
  if (wanted.ended !== undefined) add('ended', (c) => (c.ended = !c.ended));
  const packets = wanted.streams?.packetsPerStream;
  if (packets !== undefined) {
    add('streams.packetsPerStream', (c) => {
      const p = c.streams?.packetsPerStream;
      const next =
        typeof p === 'number'
          ? p + 1
          : { value: (p?.value ?? 0) + (p?.tolerance ?? 0) + 1, tolerance: p?.tolerance ?? 0 };
      c.streams = { ...c.streams, packetsPerStream: next };
    });
  }
  if (wanted.streams?.lost !== undefined) {
    add(
      'streams.lost',
      (c) => (c.streams = { ...c.streams, lost: { min: (c.streams?.lost?.max ?? 0) + 1 } }),
    );
  }
  return out;
}

/** A time no event of any scenario happens at (999 h and 7 ms). */
const NEVER_MS = 999 * 3_600_000 + 7;

/** Mutations of the timed, reason, segment, audio, RTP and Dubber-refusal expectations of one call. */
function richCallMutations(
  callId: string,
  wanted: CallExpect,
  call: (s: Scenario) => CallExpect,
): Mutation[] {
  const at = `expect.calls.${callId}`;
  const out: Mutation[] = [];
  const add = (key: string, apply: (c: CallExpect) => void) =>
    out.push({ where: `${at}.${key}`, apply: (s) => apply(call(s)) });
  (wanted.rejected ?? []).forEach((entry, i) => {
    if (typeof entry === 'string') return;
    add(`rejected[${i}]`, (c) => {
      const target = c.rejected?.[i];
      if (target !== undefined && typeof target !== 'string') target.reasonIncludes = 'no such reason';
    });
  });
  const entriesOf = (c: CallExpect) => {
    const t = c.timeline;
    if (t === undefined) return [];
    return Array.isArray(t) ? t : 'ordered' in t ? t.ordered : t.contains;
  };
  entriesOf(wanted).forEach((entry, i) => {
    add(`timeline[${i}]`, (c) => {
      const target = entriesOf(c)[i];
      if (target === undefined) return;
      delete target.between;
      target.at = NEVER_MS;
    });
    if (entry.until !== undefined) {
      add(`timeline[${i}]`, (c) => {
        const target = entriesOf(c)[i];
        if (target?.until !== undefined) target.until += (target.tolerance ?? 0) + 7;
      });
    }
  });
  if (wanted.segments !== undefined) {
    add('segments', (c) => (c.segments = [...(c.segments ?? []), { from: NEVER_MS, to: NEVER_MS + 1 }]));
    wanted.segments.forEach((_, i) => {
      add(`segments[${i}]`, (c) => {
        const target = c.segments?.[i];
        if (target !== undefined) target.to += (target.tolerance ?? 0) + 7;
      });
    });
  }
  const audio = wanted.audio;
  if (audio?.announcementAbsent !== undefined) {
    add('audio.announcementAbsent', (c) => {
      if (c.audio) c.audio.announcementAbsent = !c.audio.announcementAbsent;
    });
  }
  (audio?.silentDuring ?? []).forEach((_, i) => {
    add(`audio.silentDuring[${i}]`, (c) => {
      if (c.audio?.silentDuring) c.audio.silentDuring[i] = [0, NEVER_MS];
    });
  });
  if (audio?.distinctFrom !== undefined) {
    add('audio.distinctFrom', (c) => {
      if (c.audio) c.audio.distinctFrom = callId;
    });
  }
  const rtp = wanted.streams?.rtp;
  if (rtp?.distinctSsrcs !== undefined) {
    add('streams.rtp.distinctSsrcs', (c) => {
      if (c.streams?.rtp) c.streams.rtp.distinctSsrcs = !c.streams.rtp.distinctSsrcs;
    });
  }
  for (const key of ['duplicates', 'fractionLost', 'jitterMs'] as const) {
    if (rtp?.[key] === undefined) continue;
    add(`streams.rtp.${key}`, (c) => {
      if (c.streams?.rtp) c.streams.rtp[key] = { max: -1 };
    });
  }
  if (wanted.refusedByDubber !== undefined) {
    add('refusedByDubber', (c) => {
      if (c.refusedByDubber) c.refusedByDubber.messageIncludes = 'no such text';
    });
  }
  return out;
}

function accountsMutations(scenario: Scenario): Mutation[] {
  const out: Mutation[] = [];
  for (const [orgId, wanted] of Object.entries(scenario.expect.accounts ?? {})) {
    const where = `expect.accounts.${orgId}`;
    const add = (key: string, apply: (a: NonNullable<Scenario['expect']['accounts']>[string]) => void) =>
      out.push({
        where: `${where}.${key}`,
        apply: (s) => {
          const target = s.expect.accounts?.[orgId];
          if (target) apply(target);
        },
      });
    if (wanted.count !== undefined) add('count', (a) => (a.count = (a.count ?? 0) + 1));
    if (wanted.admins !== undefined)
      add('admins', (a) => (a.admins = [...(a.admins ?? []), 'nobody@example.com']));
    if (wanted.termsAcceptedBy !== undefined)
      add('termsAcceptedBy', (a) => (a.termsAcceptedBy = 'nobody@example.com'));
    if (wanted.customerName !== undefined)
      add('customerName', (a) => (a.customerName = `${a.customerName}-x`));
    if (wanted.users !== undefined) {
      add('users', (a) => {
        const [first, ...rest] = a.users ?? [];
        a.users =
          first === undefined
            ? [{ firstName: 'No', lastName: 'One', email: 'no.one@example.com', timeZone: 'UTC' }]
            : [{ ...first, timeZone: `${first.timeZone}-x` }, ...rest];
      });
    }
  }
  return out;
}

/** Every expectation (and every expected step error) of a scenario, each with a change that must fail it. */
function mutationsOf(scenario: Scenario): Mutation[] {
  const out: Mutation[] = [];
  scenario.steps.forEach((step, i) => {
    if ('expectError' in step && step.expectError !== undefined) {
      out.push({
        where: `steps[${i}]`,
        apply: (s) => {
          const target = s.steps[i];
          if (target && 'expectError' in target) target.expectError = 'SIM_ERR_INTERNAL';
        },
      });
    }
    const declared = 'expectError' in step ? step.expectError : undefined;
    if (typeof declared === 'object' && declared.messageIncludes !== undefined) {
      out.push({
        where: `steps[${i}]`,
        apply: (s) => {
          const target = s.steps[i];
          if (target && 'expectError' in target && typeof target.expectError === 'object')
            target.expectError.messageIncludes = 'no such text';
        },
      });
    }
  });
  out.push(...accountsMutations(scenario));
  for (const [callId, wanted] of Object.entries(scenario.expect.calls ?? {}))
    out.push(...callMutations(callId, wanted));

  const account = scenario.expect.account;
  if (account?.exists !== undefined) {
    out.push({
      where: 'expect.account.exists',
      apply: (s) => {
        if (s.expect.account) s.expect.account.exists = !account.exists;
      },
    });
  }
  if (account?.admins !== undefined) {
    out.push({
      where: 'expect.account.admins',
      apply: (s) => {
        if (s.expect.account) s.expect.account.admins = [...(account.admins ?? []), 'nobody@example.com'];
      },
    });
  }
  if (account?.sharedUserFields !== undefined) {
    out.push({
      where: 'expect.account.sharedUserFields',
      apply: (s) => {
        if (s.expect.account)
          s.expect.account.sharedUserFields = [...(account.sharedUserFields ?? []), 'licence'];
      },
    });
  }
  (scenario.expect.access ?? []).forEach((entry, i) => {
    out.push({
      where: `expect.access[${i}]`,
      apply: (s) => {
        const target = s.expect.access?.[i];
        if (target) target.allowed = !entry.allowed;
      },
    });
  });
  (scenario.expect.retention ?? []).forEach((entry, i) => {
    out.push({
      where: `expect.retention[${i}]`,
      apply: (s) => {
        const target = s.expect.retention?.[i];
        if (target) target.state = entry.state === 'retained' ? 'deleted' : 'retained';
      },
    });
  });
  for (const [userId, fields] of Object.entries(scenario.expect.settings ?? {})) {
    for (const [field, value] of Object.entries(fields)) {
      const changed =
        typeof value === 'boolean'
          ? !value
          : typeof value === 'number'
            ? value + 1
            : typeof value === 'string'
              ? `${value}-x`
              : { changed: value };
      out.push({
        where: `expect.settings.${userId}.${field}`,
        apply: (s) => {
          const user = s.expect.settings?.[userId];
          if (user) user[field] = changed;
        },
      });
    }
  }
  return out;
}

async function failuresAfter(item: LoadedScenario, mutation: Mutation): Promise<string[]> {
  const scenario = structuredClone(item.scenario);
  mutation.apply(scenario);
  return (await run(scenario, pathOf(item))).failures.map((f) => f.expectation);
}

describe('the library can fail', () => {
  it.each([
    [
      'tones/one-hour-always.yaml',
      'expect.calls.hour.tones',
      (s: Scenario) => {
        const hour = s.expect.calls?.hour;
        if (hour) hour.tones = 180;
      },
    ],
    [
      'modes/on-demand-kept.yaml',
      'expect.calls.c1.recordingStates',
      (s: Scenario) => {
        const c1 = s.expect.calls?.c1;
        if (c1) c1.recordingStates = ['started', 'stopped (Failure)'];
      },
    ],
    [
      'modes/always-with-pause-resume.yaml',
      'expect.calls.c1.rejected',
      (s: Scenario) => {
        const c1 = s.expect.calls?.c1;
        if (c1) c1.rejected = ['pause', 'start'];
      },
    ],
    [
      'announcements/pause-resume-beep.yaml',
      'expect.calls.c1.announcements',
      (s: Scenario) => {
        const c1 = s.expect.calls?.c1;
        if (c1) c1.announcements = ['start:announcement', 'pause:announcement', 'resume:announcement'];
      },
    ],
    [
      'retention-access/go-owner-only-30-days.yaml',
      'expect.access[2]',
      (s: Scenario) => {
        const entry = s.expect.access?.[2];
        if (entry) entry.allowed = true; // a Dubber admin opening a Go recording
      },
    ],
    [
      'account/admin-email-one-account.yaml',
      'steps[1]',
      (s: Scenario) => {
        const step = s.steps[1];
        if (step && 'expectError' in step) delete step.expectError; // the reused e-mail must be refused
      },
    ],
  ] as const)('%s fails when %s is changed', async (path, where, apply) => {
    const item = library.find((l) => pathOf(l) === path);
    expect(item, `${path} exists`).toBeDefined();
    if (item === undefined) return;
    expect(await failuresAfter(item, { where, apply })).toEqual([where]);
  });

  it.each(library.map((l) => [pathOf(l), l] as const))(
    'every expectation of %s can fail',
    async (path, item) => {
      const mutations = mutationsOf(item.scenario);
      expect(mutations.length, `${path} has expectations`).toBeGreaterThan(0);
      const results: { where: string; failures: string[] }[] = [];
      for (const m of mutations) results.push({ where: m.where, failures: await failuresAfter(item, m) });
      const vacuous = results
        .filter(({ where, failures }) => failures.length === 0 || !failures.every((f) => f.startsWith(where)))
        .map(({ where, failures }) => `${where} (failures after the change: ${JSON.stringify(failures)})`);
      expect(vacuous, `${path}: expectations that did not fail, or not only there, when changed`).toEqual([]);
    },
  );
});
