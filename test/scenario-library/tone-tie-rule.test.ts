/**
 * The repeat tone's one same-instant rule (S29), checked on a tie and over the whole library: the k-th tone
 * is due when active recording time (recording started, call not held) reaches k × interval. A pause or
 * hold at that very instant does not lose it: it plays as soon as the recording is audible again. A hang-up
 * or a stop for good at that instant ends the recording first, so that last tone is never heard. Over a
 * call: tones = the whole intervals strictly inside the active recording time A, i.e. ⌈A / interval⌉ − 1.
 */
import { describe, expect, it } from 'vitest';
import type { CallLogEvent } from '../../machines/call-events.ts';
import { getSettings } from '../../src/domain/index.ts';
import { executeScenario } from '../../src/scenario/execute-scenario.ts';
import { parseScenarioText } from '../../src/scenario/load-scenario.ts';
import { findScenarioFiles, loadAll } from '../../src/scenario/run-scenarios.ts';

function activeRecordingMs(log: readonly CallLogEvent[], endMs: number): number {
  let started = false;
  let held = false;
  let since: number | null = null;
  let total = 0;
  for (const event of log) {
    if (event.type === 'recording') started = event.state === 'started';
    else if (event.type === 'call') held = event.phase === 'held';
    else continue;
    const audible = started && !held && !(event.type === 'call' && event.phase === 'ended');
    if (audible && since === null) since = event.atMs;
    if (!audible && since !== null) {
      total += event.atMs - since;
      since = null;
    }
  }
  return since === null ? total : total + (endMs - since);
}

const expectedTones = (activeMs: number, intervalMs: number) =>
  activeMs <= 0 ? 0 : Math.ceil(activeMs / intervalMs) - 1;

const scenario = (events: string) =>
  parseScenarioText(
    `
name: tie
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }]
steps:
  - enable:
      user: alice
      by: it@acme.example
      acceptTerms: true
      settings: { record: Always with Pause/Resume, repeat: { enabled: true, interval: 10 } }
  - call: { id: c1, user: alice, recorder: { answerMs: 0 }, events: ${events} }
`,
    'tie.yaml',
  );

const tonesAt = (log: readonly CallLogEvent[]) => log.filter((e) => e.type === 'tone').map((e) => e.atMs);

describe('repeat tone ties (S29)', () => {
  it('a pause landing on a tone keeps it: pause 10 s, resume 20 s, hang up 35 s → two tones', () => {
    const run = executeScenario(
      scenario(
        '[{ at: 0s, do: answer }, { at: 10s, do: pause }, { at: 20s, do: resume }, { at: 35s, do: hang-up }]',
      ),
    ).calls[0]?.run;
    expect(tonesAt(run?.log ?? [])).toEqual([20_000, 30_000]);
  });

  it('a hold landing on a tone keeps it too', () => {
    const run = executeScenario(
      scenario(
        '[{ at: 0s, do: answer }, { at: 10s, do: hold }, { at: 20s, do: unhold }, { at: 35s, do: hang-up }]',
      ),
    ).calls[0]?.run;
    expect(tonesAt(run?.log ?? [])).toEqual([20_000, 30_000]);
  });

  it('a hang-up landing on a tone ends the call first: no tone at 30 s', () => {
    const run = executeScenario(scenario('[{ at: 0s, do: answer }, { at: 30s, do: hang-up }]')).calls[0]?.run;
    expect(tonesAt(run?.log ?? [])).toEqual([10_000, 20_000]);
  });

  const library = loadAll(findScenarioFiles(['scenarios']));
  const calls = library.flatMap((item) => {
    const execution = executeScenario(item.scenario);
    return execution.calls.map((call) => ({ item, call, execution }));
  });

  it.each(
    calls
      .filter(({ execution, call }) => getSettings(execution.hub, call.spec.user).repeat.enabled)
      .map(({ item, call, execution }) => [`${item.file} ${call.spec.id}`, call, execution] as const),
  )('%s follows the rule', (_name, call, execution) => {
    const intervalMs = getSettings(execution.hub, call.spec.user).repeat.interval * 1000;
    const log = call.run.log;
    const ended = log.find((e) => e.type === 'call' && e.phase === 'ended');
    const activeMs = activeRecordingMs(log, ended?.atMs ?? execution.endMs);
    expect(call.run.view().tones).toBe(expectedTones(activeMs, intervalMs));
  });
});
