/** A scenario is checked completely when it loads: references, names, units; one mistake, one message. */
import { describe, expect, it } from 'vitest';
import { isSimError } from '../../src/errors.ts';
import { parseScenarioText, type ScenarioProblem } from '../../src/scenario/load-scenario.ts';

const HEAD = `name: checked
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }]
steps:
  - enable: { user: alice, by: it@acme.example, acceptTerms: true, settings: { record: Always } }
  - call: { id: c1, user: alice, events: [{ at: 0s, do: answer }, { at: 30s, do: hang-up }] }
`;

function problemsOf(text: string): ScenarioProblem[] {
  try {
    parseScenarioText(text, 'x.yaml');
  } catch (error) {
    if (isSimError(error, 'SIM_ERR_INVALID_SCENARIO')) return error.details.problems as ScenarioProblem[];
    throw error;
  }
  return [];
}

const one = (text: string) => {
  const problems = problemsOf(text);
  expect(problems, JSON.stringify(problems)).toHaveLength(1);
  return problems[0] as ScenarioProblem;
};

describe('scenario validation at load time', () => {
  it('the base scenario is valid', () => {
    expect(problemsOf(HEAD)).toEqual([]);
  });

  it('an unknown user in a call is one message, with its line and a "did you mean"', () => {
    const p = one(HEAD.replace('user: alice, events', 'user: alcie, events'));
    expect(p).toMatchObject({ line: 7, field: 'steps[1].call.user' });
    expect(p.message).toBe('unknown user "alcie"; did you mean "alice"? (known: alice)');
  });

  it('checks the admin, the call and the recording an expectation names', () => {
    expect(one(HEAD.replace('by: it@acme', 'by: ti@acme')).message).toContain(
      'unknown admin "ti@acme.example"; did you mean "it@acme.example"?',
    );
    expect(one(`${HEAD}expect:\n  calls:\n    c2: { tones: 0 }\n`)).toMatchObject({
      line: 10,
      field: 'expect.calls.c2',
      message: 'unknown call "c2"; did you mean "c1"? (known: c1)',
    });
    const access = `${HEAD}expect:\n  access:\n    - { recording: c3, actor: { user: alice }, allowed: true }\n`;
    expect(one(access).message).toContain('unknown recording "c3"');
    expect(problemsOf(access.replace('c3', '"c1#2"'))).toEqual([]);
  });

  it('refuses an unknown settings value with the known ones, unless the step expects the error', () => {
    const bad = HEAD.replace('record: Always }', 'record: Allways }');
    expect(one(bad)).toMatchObject({ line: 6, field: 'steps[0].enable.settings.record' });
    expect(one(bad).message).toContain('"Allways"; did you mean "Always"?');
    const field = one(HEAD.replace('record: Always }', 'record: Always, recordVoicemail: true }'));
    expect(field.message).toContain(
      'unknown settings field "recordVoicemail"; did you mean "recordVoicemailEnabled"?',
    );
    const expected = HEAD.replace(
      '  - enable:',
      '  - expectError: SIM_ERR_INVALID_SETTINGS\n    enable: { user: alice, by: it@acme.example, settings: { record: Sometimes } }\n  - enable:',
    );
    expect(problemsOf(expected)).toEqual([]);
  });

  it('checks every name in the expectations: recordingStates, indicator, announcements, settings', () => {
    const expectCall = (body: string) => one(`${HEAD}expect:\n  calls:\n    c1: { ${body} }\n`);
    expect(expectCall('recordingStates: [pending, startd]')).toMatchObject({
      field: 'expect.calls.c1.recordingStates[1]',
      line: 10,
    });
    expect(expectCall('recordingStates: [pending, startd]').message).toContain('did you mean "started"?');
    expect(expectCall('recordingStates: ["stopped (User Request)"]').message).toContain(
      'did you mean "stopped (User Requested)"?',
    );
    expect(expectCall('indicator: [recordin]').message).toContain('did you mean "recording"?');
    expect(expectCall('announcements: [strat]').message).toContain('did you mean "start"?');
    expect(expectCall('reportedToDubber: [stp]').message).toContain('did you mean "stop"?');
    const settings = one(`${HEAD}expect:\n  settings:\n    alice: { notification: { type: Bep } }\n`);
    expect(settings).toMatchObject({ field: 'expect.settings.alice.notification.type' });
    expect(settings.message).toContain('did you mean "Beep"?');
  });

  it('says how to write a duration given without a unit, in one message', () => {
    const p = one(`${HEAD}expect:\n  calls:\n    c1: { recordedDuration: 59.8 }\n`);
    expect(p).toMatchObject({ line: 10, field: 'expect.calls.c1.recordedDuration' });
    expect(p.message).toContain('write a duration with a unit: 59.8s');
  });
});
