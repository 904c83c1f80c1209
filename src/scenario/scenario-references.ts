/**
 * The checks a schema cannot make, run when a scenario loads (before anything runs): every user, admin,
 * call, organisation and recording a scenario names exists, ids are unique, and every settings value is
 * one Control Hub knows. A step that expects an error (`expectError`) may name what does not exist, on
 * purpose; it is not checked. Each problem is one message with a "did you mean …?" where one is near.
 */
import { findSettingsProblems, settingsEnumOptions, settingsFieldNames } from '../domain/settings.ts';
import { unknownName } from './did-you-mean.ts';
import type { Scenario } from './schema.ts';

export interface ReferenceProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

function duplicates(values: readonly string[]): Set<string> {
  return new Set(values.filter((v, i) => values.indexOf(v) !== i));
}

function settingsProblems(
  settings: unknown,
  path: readonly (string | number)[],
  problems: ReferenceProblem[],
): void {
  for (const problem of findSettingsProblems(settings)) {
    const fieldPath = problem.field.split('.');
    const options = settingsEnumOptions(fieldPath);
    const fieldName = fieldPath.at(-1) ?? '';
    const message =
      problem.allowed === 'no such field'
        ? unknownName('settings field', fieldName, settingsFieldNames(fieldPath.slice(0, -1)))
        : options !== undefined && typeof problem.value === 'string'
          ? unknownName(`value for ${problem.field}`, problem.value, options)
          : `${JSON.stringify(problem.value) ?? 'undefined'} is not allowed (allowed: ${problem.allowed})`;
    problems.push({ path: [...path, ...fieldPath], message });
  }
}

/** Enum-valued settings an expectation names must be known values too (read-only fields may be there). */
function expectedSettingsProblems(
  value: unknown,
  path: readonly (string | number)[],
  fieldPath: readonly string[],
  problems: ReferenceProblem[],
): void {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      expectedSettingsProblems(inner, [...path, key], [...fieldPath, key], problems);
    }
    return;
  }
  const options = settingsEnumOptions(fieldPath);
  if (options !== undefined && (typeof value !== 'string' || !options.includes(value))) {
    problems.push({ path, message: unknownName(`value for ${fieldPath.join('.')}`, String(value), options) });
  }
}

export function findReferenceProblems(scenario: Scenario): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const orgIds = scenario.orgs.map((o) => o.id);
  const userIds = scenario.users.map((u) => u.id);
  const adminEmails = scenario.admins.map((a) => a.email);
  const callIds = scenario.steps.flatMap((s) => ('call' in s ? [s.call.id] : []));

  const need = (path: (string | number)[], what: string, wanted: string | undefined, known: string[]) => {
    if (wanted !== undefined && !known.includes(wanted)) {
      problems.push({ path, message: unknownName(what, wanted, known) });
    }
  };
  const unique = (path: (string | number)[], what: string, values: string[], key: string) => {
    const twice = duplicates(values);
    values.forEach((v, i) => {
      if (twice.has(v) && values.indexOf(v) !== i) {
        problems.push({
          path: [...path, i, key],
          message: `${what} "${v}" is defined twice; ids must be unique`,
        });
      }
    });
  };

  unique(['orgs'], 'organisation', orgIds, 'id');
  unique(['users'], 'user', userIds, 'id');
  scenario.users.forEach((u, i) => {
    need(['users', i, 'org'], 'organisation', u.org, orgIds);
  });
  scenario.admins.forEach((a, i) => {
    need(['admins', i, 'org'], 'organisation', a.org, orgIds);
    (a.orgs ?? []).forEach((o, j) => {
      need(['admins', i, 'orgs', j], 'organisation', o, orgIds);
    });
  });

  const seenCalls: string[] = [];
  scenario.steps.forEach((step, i) => {
    if ('call' in step) {
      if (seenCalls.includes(step.call.id)) {
        problems.push({
          path: ['steps', i, 'call', 'id'],
          message: `call "${step.call.id}" is defined twice; call ids must be unique`,
        });
      }
      seenCalls.push(step.call.id);
    }
    if ('expectError' in step && step.expectError !== undefined) return;
    if ('enable' in step) {
      need(['steps', i, 'enable', 'user'], 'user', step.enable.user, userIds);
      need(['steps', i, 'enable', 'by'], 'admin', step.enable.by, adminEmails);
      if (step.enable.settings !== undefined) {
        settingsProblems(step.enable.settings, ['steps', i, 'enable', 'settings'], problems);
      }
    } else if ('update' in step) {
      need(['steps', i, 'update', 'user'], 'user', step.update.user, userIds);
      settingsProblems(step.update.settings, ['steps', i, 'update', 'settings'], problems);
    } else if ('disable' in step) {
      need(['steps', i, 'disable', 'user'], 'user', step.disable.user, userIds);
    } else if ('switchTier' in step) {
      need(['steps', i, 'switchTier', 'user'], 'user', step.switchTier.user, userIds);
    } else if ('call' in step) {
      need(['steps', i, 'call', 'user'], 'user', step.call.user, userIds);
    } else if ('checkDubPoint' in step) {
      need(['steps', i, 'checkDubPoint', 'user'], 'user', step.checkDubPoint.user, userIds);
    }
  });

  const expect = scenario.expect;
  for (const id of Object.keys(expect.calls ?? {})) need(['expect', 'calls', id], 'call', id, callIds);
  for (const [user, settings] of Object.entries(expect.settings ?? {})) {
    need(['expect', 'settings', user], 'user', user, userIds);
    expectedSettingsProblems(settings, ['expect', 'settings', user], [], problems);
  }
  need(['expect', 'account', 'org'], 'organisation', expect.account?.org, orgIds);
  const recordingCall = (recording: string) => recording.replace(/#\d+$/, '');
  const checkRecording = (path: (string | number)[], recording: string) => {
    const call = recordingCall(recording);
    if (!callIds.includes(call)) {
      problems.push({
        path,
        message: `${unknownName('recording', recording, callIds)}; a recording is named after its call, "<call>#2" for the call's second`,
      });
    }
  };
  (expect.access ?? []).forEach((a, i) => {
    checkRecording(['expect', 'access', i, 'recording'], a.recording);
    need(['expect', 'access', i, 'actor', 'user'], 'user', a.actor.user, userIds);
    need(['expect', 'access', i, 'actor', 'admin'], 'admin', a.actor.admin, adminEmails);
    need(['expect', 'access', i, 'actor', 'org'], 'organisation', a.actor.org, orgIds);
  });
  (expect.retention ?? []).forEach((r, i) => {
    checkRecording(['expect', 'retention', i, 'recording'], r.recording);
  });
  return problems;
}
