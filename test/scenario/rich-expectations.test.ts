/**
 * The timed, reason, audio and Dubber-side expectations where the library cannot show them: what cannot
 * be checked fails as "not checked" rather than passing, a refusal nobody expected fails, the sink's own
 * refusal names the dub.point field, and timeline order is checked only for ordered lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkTarget } from '../../src/platform/sink-target.ts';
import { startEmbeddedSink } from '../../src/scenario/embedded-sink.ts';
import { parseScenarioText } from '../../src/scenario/load-scenario.ts';
import { runScenarios, runScenariosWithSink } from '../../src/scenario/run-scenarios.ts';

const base = (
  userExtra: string,
  expectText: string,
  events = '[{ at: 0s, do: answer }, { at: 30s, do: hang-up }]',
) => `
name: rich
cites: [S33]
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak${userExtra} }]
steps:
  - enable: { user: alice, by: it@acme.example, acceptTerms: true, settings: { record: Always } }
  - call: { id: c1, user: alice, events: ${events} }
expect:
${expectText}
`;
const load = (text: string) => [{ file: 'rich.yaml', scenario: parseScenarioText(text, 'rich.yaml') }];
const failuresOf = (text: string) =>
  (runScenarios(load(text), { seed: 's' }).scenarios[0]?.failures ?? []).map((f) => ({
    expectation: f.expectation,
    actual: f.actual,
  }));

let sink: SinkTarget;
beforeAll(async () => {
  sink = await startEmbeddedSink();
});
afterAll(async () => {
  await sink.close();
});

describe('expectations that need stored audio', () => {
  it('fail as not checked without a sink, each one by name', () => {
    const failures = failuresOf(
      base(
        '',
        '  calls:\n    c1: { audio: { announcementAbsent: true, silentDuring: [[0s, 100ms]] }, streams: { rtp: { jitterMs: { max: 5 } } } }',
      ),
    );
    expect(failures.map((f) => f.expectation)).toEqual([
      'expect.calls.c1.audio.announcementAbsent',
      'expect.calls.c1.audio.silentDuring',
      'expect.calls.c1.streams.rtp.jitterMs',
    ]);
    for (const f of failures) expect(String(f.actual)).toMatch(/^not checked/);
  });

  it('pass on the stored audio with the sink; jitter, which the sink does not measure, is still not checked', async () => {
    const text = base(
      '',
      '  calls:\n    c1: { audio: { announcementAbsent: true, silentDuring: [[0s, 200ms]] }, streams: { rtp: { jitterMs: { max: 5 } } } }',
    );
    const report = (await runScenariosWithSink(load(text), { seed: 's', sink })).scenarios[0];
    expect(report?.failures.map((f) => [f.expectation, f.actual])).toEqual([
      [
        'expect.calls.c1.streams.rtp.jitterMs',
        'not checked: this transport does not measure interarrival jitter',
      ],
    ]);
  });
});

describe("a user's Dubber-side dub.point (S33)", () => {
  const wrong = ', dubber: { dubPoint: { externalGroup: wrong } }';

  it('a refusal nobody expected fails the scenario, naming the field', () => {
    const failures = failuresOf(base(wrong, '  calls:\n    c1: { recordedDuration: 0ms }'));
    expect(failures.map((f) => f.expectation)).toEqual(['expect.calls.c1.refusedByDubber']);
    expect(JSON.stringify(failures[0]?.actual)).toContain('externalGroup is \\"wrong\\" in Dubber');
  });

  it("with the sink, the sink's own refusal is the call's outcome (no sink failure) and names the field", async () => {
    const text = base(
      wrong,
      '  calls:\n    c1: { recorded: false, refusedByDubber: { code: SIM_ERR_DUBPOINT_MISMATCH, fields: [externalGroup], messageIncludes: "in Dubber but" } }',
    );
    const report = (await runScenariosWithSink(load(text), { seed: 's', sink })).scenarios[0];
    expect(report?.failures).toEqual([]);
    expect(report?.calls[0]?.refusals.map((r) => r.fields)).toEqual([['externalGroup']]);
    expect(report?.calls[0]?.refusals[0]?.message).toMatch(/The dub\.point of user ".*alice" does not match/);
  });

  it('a matching Dubber side is no refusal', () => {
    expect(
      failuresOf(
        base(', dubber: { dubPoint: { externalGroup: acme } }', '  calls:\n    c1: { recorded: true }'),
      ),
    ).toEqual([]);
  });
});

describe('timeline order', () => {
  const events = '[{ at: 0s, do: answer }, { at: 10s, do: pause }, { at: 30s, do: hang-up }]';
  it('an ordered list fails an entry that happened before the previous one; contains does not', () => {
    const entries =
      '[{ event: call-ended, at: 30s }, { event: rejected, command: pause, reasonIncludes: S22 }]';
    const ordered = failuresOf(base('', `  calls:\n    c1: { timeline: ${entries} }`, events));
    expect(ordered).toEqual([
      {
        expectation: 'expect.calls.c1.timeline[1]',
        actual: 'rejected at 10s (only before the previous entry)',
      },
    ]);
    expect(failuresOf(base('', `  calls:\n    c1: { timeline: { contains: ${entries} } }`, events))).toEqual(
      [],
    );
  });

  it('tolerance and between bound the time; a miss lists when the event did happen', () => {
    const ok =
      '[{ state: started, at: 150ms, tolerance: 50ms, until: 30s }, { between: [29s, 31s], event: call-ended, by: hang-up }]';
    expect(failuresOf(base('', `  calls:\n    c1: { timeline: ${ok} }`))).toEqual([]);
    const miss = failuresOf(
      base('', '  calls:\n    c1: { timeline: [{ state: started, at: 100ms, tolerance: 50ms }] }'),
    );
    expect(miss).toEqual([
      { expectation: 'expect.calls.c1.timeline[0]', actual: 'recording-started at 200ms until 30s' },
    ]);
  });
});
