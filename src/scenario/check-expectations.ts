/**
 * Compares what happened with what the scenario expects; every mismatch becomes an ExpectationFailure
 * with the expected and actual values side by side.
 */
import {
  type ControlHubState,
  decideAccess,
  type PortalActor,
  retentionStatus,
  type SubscriptionHistory,
  tierAt,
} from '../domain/index.ts';
import { formatDurationMs } from './duration.ts';
import { checkAccounts } from './expect/check-accounts.ts';
import { checkCallExtras, countPauses, unexpectedRefusals } from './expect/check-call-extras.ts';
import { describeExpectedError } from './expect/expected-error.ts';
import type { CallReport, ExpectationFailure, StepOutcome } from './report-types.ts';
import type { CallExpect, Scenario } from './schema.ts';

export interface CheckInput {
  readonly scenario: Scenario;
  readonly hub: ControlHubState;
  readonly steps: readonly StepOutcome[];
  readonly calls: readonly CallReport[];
  readonly endMs: number;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function checkExpectations(input: CheckInput): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  const fail = (expectation: string, expected: unknown, actual: unknown, message: string) =>
    failures.push({ expectation, expected, actual, message });

  for (const step of input.steps) {
    if (step.error !== undefined && !step.error.expected) {
      const declared = input.scenario.steps[step.index];
      const wanted =
        declared && 'expectError' in declared && declared.expectError !== undefined
          ? describeExpectedError(declared.expectError)
          : 'no error';
      fail(`steps[${step.index}]`, wanted, step.error.code, `${step.summary}: ${step.error.message}`);
    }
  }

  const { expect } = input.scenario;
  for (const [callId, wanted] of Object.entries(expect.calls ?? {})) {
    const call = input.calls.find((c) => c.id === callId);
    if (call === undefined) {
      fail(
        `expect.calls.${callId}`,
        'a call with this id',
        'no such call',
        `No call "${callId}" ran in this scenario.`,
      );
      continue;
    }
    checkCall(`expect.calls.${callId}`, wanted, call, fail);
  }
  unexpectedRefusals(input.calls, expect.calls ?? {}, fail);
  checkAccounts(input.scenario, input.hub, fail);

  const account = expect.account;
  if (account !== undefined) {
    const orgId = account.org ?? input.scenario.orgs[0]?.id ?? '';
    const actual = input.hub.dubberAccounts[orgId];
    if (account.exists !== undefined && (actual !== undefined) !== account.exists) {
      fail('expect.account.exists', account.exists, actual !== undefined, `Dubber account of ${orgId}`);
    }
    if (account.admins !== undefined && !same(account.admins, actual?.adminEmails ?? [])) {
      fail(
        'expect.account.admins',
        account.admins,
        actual?.adminEmails ?? [],
        `Dubber admins of ${orgId} (S16)`,
      );
    }
    if (account.sharedUserFields !== undefined) {
      const fields = [...new Set((actual?.shared.users ?? []).flatMap((u) => Object.keys(u)))].sort();
      const wanted = [...account.sharedUserFields].sort();
      if (!same(wanted, fields))
        fail('expect.account.sharedUserFields', wanted, fields, 'What Webex shares with Dubber (S18)');
    }
  }

  const recordingById = new Map(
    input.calls.flatMap((c) => c.recordings.map((r) => [r.id, { call: c, recording: r }] as const)),
  );
  const historyAt = (userId: string, atMs: number): SubscriptionHistory =>
    (input.hub.subscriptions[userId] ?? []).filter((p) => p.fromMs <= atMs);

  (expect.retention ?? []).forEach((wanted, i) => {
    const found = recordingById.get(wanted.recording);
    const where = `expect.retention[${i}]`;
    if (found === undefined) {
      fail(where, wanted.recording, 'no such recording', `No kept recording "${wanted.recording}".`);
      return;
    }
    const status = retentionStatus(
      { createdAtMs: found.recording.openedAtMs },
      historyAt(found.call.user, wanted.at),
      wanted.at,
    );
    if (status.state !== wanted.state) {
      fail(
        where,
        wanted.state,
        status.state,
        `Recording ${wanted.recording} at ${formatDurationMs(wanted.at)}`,
      );
    }
  });

  (expect.access ?? []).forEach((wanted, i) => {
    const found = recordingById.get(wanted.recording);
    const where = `expect.access[${i}]`;
    if (found === undefined) {
      fail(where, wanted.recording, 'no such recording', `No kept recording "${wanted.recording}".`);
      return;
    }
    const atMs = wanted.at ?? input.endMs;
    const owner = input.hub.users[found.call.user];
    const actorUser = wanted.actor.user === undefined ? undefined : input.hub.users[wanted.actor.user];
    const orgId = wanted.actor.org ?? actorUser?.orgId ?? owner?.orgId ?? '';
    const account = input.hub.dubberAccounts[orgId];
    const isDubberAdmin =
      wanted.actor.admin !== undefined &&
      (account?.adminEmails.some((e) => e.toLowerCase() === wanted.actor.admin?.toLowerCase()) ?? false);
    const actor: PortalActor = {
      orgId,
      isDubberAdmin,
      ...(wanted.actor.user === undefined ? {} : { userId: wanted.actor.user }),
    };
    const history = historyAt(found.call.user, atMs);
    const retained =
      retentionStatus({ createdAtMs: found.recording.openedAtMs }, history, atMs).state === 'retained';
    const tier = tierAt(history, atMs) ?? 'Go';
    const decision = decideAccess(actor, { orgId: owner?.orgId ?? '', ownerUserId: found.call.user }, tier);
    const allowed = retained && decision.allowed;
    if (allowed !== wanted.allowed) {
      const why = !retained
        ? 'the recording was deleted'
        : decision.allowed
          ? `allowed as ${decision.as}`
          : decision.reason;
      fail(
        where,
        wanted.allowed,
        allowed,
        `Access to ${wanted.recording} by ${JSON.stringify(wanted.actor)} on ${tier}: ${why}`,
      );
    }
  });

  for (const [userId, wanted] of Object.entries(expect.settings ?? {})) {
    const actual = input.hub.settings[userId] as unknown as Record<string, unknown> | undefined;
    for (const [field, value] of Object.entries(wanted)) {
      if (!same(actual?.[field], value))
        fail(`expect.settings.${userId}.${field}`, value, actual?.[field], `Setting ${field} of ${userId}`);
    }
  }
  return failures;
}

type Fail = (expectation: string, expected: unknown, actual: unknown, message: string) => void;

function checkCall(where: string, wanted: CallExpect, call: CallReport, fail: Fail): void {
  const recordings = call.recordings;
  if (wanted.recorded !== undefined && recordings.length > 0 !== wanted.recorded) {
    fail(
      `${where}.recorded`,
      wanted.recorded,
      recordings.length > 0,
      'Whether the call left a recording on Dubber',
    );
  }
  if (wanted.recordings !== undefined && recordings.length !== wanted.recordings) {
    fail(
      `${where}.recordings`,
      wanted.recordings,
      recordings.length,
      'Number of recordings the call produced',
    );
  }
  const states = call.timeline.flatMap((e) =>
    e.type === 'recording' ? [e.reason ? `${e.state} (${e.reason})` : e.state] : [],
  );
  if (wanted.recordingStates !== undefined && !same(wanted.recordingStates, states)) {
    fail(`${where}.recordingStates`, wanted.recordingStates, states, 'The recordingState timeline');
  }
  if (wanted.finalState !== undefined && call.finalRecordingState !== wanted.finalState) {
    fail(
      `${where}.finalState`,
      wanted.finalState,
      call.finalRecordingState,
      'recordingState when the call ended',
    );
  }
  if (wanted.recordedDuration !== undefined) {
    const { value, tolerance } =
      typeof wanted.recordedDuration === 'number'
        ? { value: wanted.recordedDuration, tolerance: 0 }
        : wanted.recordedDuration;
    if (Math.abs(call.recordedMs - value) > tolerance) {
      fail(
        `${where}.recordedDuration`,
        `${formatDurationMs(value)} ± ${formatDurationMs(tolerance)}`,
        formatDurationMs(call.recordedMs),
        'Recorded duration (all kept recordings of the call)',
      );
    }
  }
  const pauses = countPauses(recordings);
  if (wanted.pauses !== undefined && pauses !== wanted.pauses)
    fail(`${where}.pauses`, wanted.pauses, pauses, 'Gaps in the recording');
  const announcements = call.timeline.flatMap((e) =>
    e.type === 'announcement' ? [`${e.kind}:${e.sound}`] : [],
  );
  if (wanted.announcements !== undefined) {
    const short = announcements.map((a) =>
      wanted.announcements?.some((w) => w.includes(':')) ? a : a.split(':')[0],
    );
    if (!same(wanted.announcements, short))
      fail(`${where}.announcements`, wanted.announcements, short, 'Announcements all parties heard');
  }
  if (wanted.reportedToDubber !== undefined) {
    const reported = recordings.flatMap((r) =>
      r.announcements.filter((a) => a.reportedToDubber).map((a) => a.kind),
    );
    if (!same(wanted.reportedToDubber, reported)) {
      fail(
        `${where}.reportedToDubber`,
        wanted.reportedToDubber,
        reported,
        'Announcements Webex reported to Dubber (S26, S32)',
      );
    }
  }
  if (wanted.tones !== undefined && call.tones !== wanted.tones)
    fail(`${where}.tones`, wanted.tones, call.tones, 'Repeat tones played (S29)');
  const indicator = call.timeline.flatMap((e) => (e.type === 'indicator' ? [e.indicator] : []));
  if (wanted.indicator !== undefined && !same(wanted.indicator, indicator)) {
    fail(`${where}.indicator`, wanted.indicator, indicator, 'The recording icon on the phone and app (S31)');
  }
  checkCallExtras(where, wanted, call, fail);
  const ended = call.endedAtMs < call.lastEventAtMs;
  if (wanted.ended !== undefined && ended !== wanted.ended) {
    fail(
      `${where}.ended`,
      wanted.ended,
      ended,
      'Whether the call ended by itself before its last scheduled event',
    );
  }
  if (wanted.streams !== undefined) {
    // Per stream (user, remote), summed over the call's recordings.
    const perStream = [0, 1].map((i) => recordings.reduce((n, r) => n + (r.streams[i]?.packets ?? 0), 0));
    const spec = wanted.streams.packetsPerStream;
    if (spec !== undefined) {
      const { value, tolerance } = typeof spec === 'number' ? { value: spec, tolerance: 0 } : spec;
      const bothStreams = recordings.every((r) => r.streams.length === 2);
      if (!bothStreams || perStream.some((n) => Math.abs(n - value) > tolerance)) {
        fail(
          `${where}.streams.packetsPerStream`,
          `${value} ± ${tolerance} on each of the two streams`,
          perStream,
          'RTP packets per stream (S32)',
        );
      }
    }
    const lost = recordings.reduce((n, r) => n + r.streams.reduce((m, s) => m + s.lost, 0), 0);
    const { min, max } = wanted.streams.lost ?? {};
    if ((min !== undefined && lost < min) || (max !== undefined && lost > max)) {
      fail(`${where}.streams.lost`, { min, max }, lost, 'Packets lost between the platform and the recorder');
    }
  }
}
