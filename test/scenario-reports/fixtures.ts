/** Hand-built RunReports for the report tests: a passing call, a failing one with pauses and two recordings, and a hostile one. */
import type { CallLogEvent } from '../../machines/call-events.ts';
import type {
  CallReport,
  RecordingReport,
  RunReport,
  ScenarioReport,
  StreamReport,
} from '../../src/scenario/report-types.ts';

/** A name built to break markup and terminals: tags, quotes, entities, CDATA end, ESC, NUL, BEL, a non-character. */
export const NASTY_NAME = `<script>alert(1)</script> & "quotes" 'apos' \u001b[31mred\u0000 ]]> bell\u0007 \ufffe`;

function streams(packets: number, lost = 0): StreamReport[] {
  return [
    { label: 1, party: 'user', ssrc: 0x1a2b3c4d, packets, lost },
    { label: 2, party: 'remote', ssrc: 0x5e6f7081, packets, lost },
  ];
}

const at = (atMs: number) => ({ atMs });

function recording(
  overrides: Partial<RecordingReport> & Pick<RecordingReport, 'id' | 'openedAtMs' | 'closedAtMs'>,
): RecordingReport {
  return {
    recordedMs: overrides.closedAtMs - overrides.openedAtMs,
    segments: [{ startMs: overrides.openedAtMs, endMs: overrides.closedAtMs }],
    pauses: [],
    announcements: [],
    tones: [],
    streams: streams(Math.round((overrides.closedAtMs - overrides.openedAtMs) / 20)),
    stored: true,
    ...overrides,
  };
}

/** Always, PSTN, 2 minutes: start announcement, 5 tones, pause and stop refused. */
export function alwaysCall(): CallReport {
  const tones = [20_300, 40_300, 60_300, 80_300, 100_300];
  const timeline: CallLogEvent[] = [
    { ...at(0), type: 'call', phase: 'connected' },
    { ...at(0), type: 'recorder', status: 'requested' },
    { ...at(0), type: 'recording', state: 'pending' },
    { ...at(300), type: 'recorder', status: 'connected' },
    { ...at(300), type: 'recording', state: 'started' },
    { ...at(300), type: 'indicator', indicator: 'recording' },
    { ...at(300), type: 'media', action: 'open' },
    { ...at(300), type: 'announcement', kind: 'start', sound: 'announcement', reportedToDubber: true },
    { ...at(20_300), type: 'tone', index: 1 },
    { ...at(30_000), type: 'rejected', command: 'pause', reason: 'Always recording cannot be paused (S22)' },
    { ...at(40_000), type: 'rejected', command: 'stop', reason: 'Always recording cannot be stopped (S22)' },
    ...tones.slice(1).map((atMs, i): CallLogEvent => ({ atMs, type: 'tone', index: i + 2 })),
    { ...at(120_000), type: 'media', action: 'close' },
    { ...at(120_000), type: 'indicator', indicator: 'off' },
    { ...at(120_000), type: 'call', phase: 'ended' },
  ];
  return {
    id: 'c1',
    endedBy: 'hang-up',
    refusals: [],
    user: 'alice',
    mode: 'Always',
    direction: 'outgoing',
    remote: 'pstn',
    voicemail: false,
    startedAtMs: 0,
    endedAtMs: 120_000,
    lastEventAtMs: 120_000,
    finalRecordingState: 'started',
    tones: 5,
    recordedMs: 119_700,
    timeline,
    recordings: [
      recording({
        id: 'c1',
        openedAtMs: 300,
        closedAtMs: 120_000,
        announcements: [{ atMs: 300, kind: 'start', reportedToDubber: true }],
        tones,
      }),
    ],
  };
}

/** On Demand, starting 5 s into the scenario: start, pause, resume, hold, stop, start again (two recordings). */
export function onDemandCall(): CallReport {
  const t = (ms: number) => 5_000 + ms;
  const started = (ms: number): CallLogEvent[] => [
    { ...at(t(ms)), type: 'recording', state: 'pending' },
    { ...at(t(ms)), type: 'recorder', status: 'requested' },
    { ...at(t(ms + 200)), type: 'recorder', status: 'connected' },
    { ...at(t(ms + 200)), type: 'recording', state: 'started' },
    { ...at(t(ms + 200)), type: 'indicator', indicator: 'recording' },
    { ...at(t(ms + 200)), type: 'media', action: 'open' },
    {
      ...at(t(ms + 200)),
      type: 'announcement',
      kind: 'start',
      sound: 'announcement',
      reportedToDubber: true,
    },
  ];
  const timeline: CallLogEvent[] = [
    { ...at(t(0)), type: 'call', phase: 'connected' },
    ...started(10_000),
    { ...at(t(30_200)), type: 'tone', index: 1 },
    { ...at(t(35_000)), type: 'recording', state: 'paused' },
    { ...at(t(35_000)), type: 'indicator', indicator: 'paused' },
    { ...at(t(35_000)), type: 'media', action: 'pause' },
    { ...at(t(35_000)), type: 'announcement', kind: 'pause', sound: 'beep', reportedToDubber: true },
    { ...at(t(45_000)), type: 'recording', state: 'started' },
    { ...at(t(45_000)), type: 'indicator', indicator: 'recording' },
    { ...at(t(45_000)), type: 'media', action: 'resume' },
    { ...at(t(45_000)), type: 'announcement', kind: 'resume', sound: 'beep', reportedToDubber: true },
    { ...at(t(55_000)), type: 'call', phase: 'held' },
    { ...at(t(65_000)), type: 'call', phase: 'connected' },
    { ...at(t(70_000)), type: 'recording', state: 'stopped', reason: 'User Requested' },
    { ...at(t(70_000)), type: 'indicator', indicator: 'off' },
    { ...at(t(70_000)), type: 'media', action: 'close' },
    { ...at(t(70_000)), type: 'announcement', kind: 'stop', sound: 'announcement', reportedToDubber: true },
    { ...at(t(75_000)), type: 'rejected', command: 'resume', reason: 'the recording is stopped, not paused' },
    ...started(85_000),
    { ...at(t(105_200)), type: 'tone', index: 2 },
    { ...at(t(120_000)), type: 'media', action: 'close' },
    { ...at(t(120_000)), type: 'indicator', indicator: 'off' },
    { ...at(t(120_000)), type: 'call', phase: 'ended' },
  ];
  return {
    id: 'c2',
    endedBy: 'hang-up',
    refusals: [],
    user: 'bob',
    mode: 'On Demand',
    direction: 'incoming',
    remote: 'internal',
    voicemail: false,
    startedAtMs: t(0),
    endedAtMs: t(120_000),
    lastEventAtMs: t(120_000),
    finalRecordingState: 'started',
    tones: 2,
    recordedMs: 84_600,
    timeline,
    recordings: [
      recording({
        id: 'c2',
        openedAtMs: t(10_200),
        closedAtMs: t(70_000),
        recordedMs: 49_800,
        segments: [
          { startMs: t(10_200), endMs: t(35_000) },
          { startMs: t(45_000), endMs: t(70_000) },
        ],
        pauses: [{ pausedAtMs: t(35_000), resumedAtMs: t(45_000) }],
        announcements: [
          { atMs: t(10_200), kind: 'start', reportedToDubber: true },
          { atMs: t(35_000), kind: 'pause', reportedToDubber: true },
          { atMs: t(45_000), kind: 'resume', reportedToDubber: true },
          { atMs: t(70_000), kind: 'stop', reportedToDubber: true },
        ],
        tones: [t(30_200)],
        streams: streams(2490, 3),
      }),
      recording({
        id: 'c2#2',
        openedAtMs: t(85_200),
        closedAtMs: t(120_000),
        announcements: [{ atMs: t(85_200), kind: 'start', reportedToDubber: true }],
        tones: [t(105_200)],
        stored: false,
      }),
    ],
  };
}

/** A call whose id and refusal reason carry markup and control characters. */
export function hostileCall(): CallReport {
  return {
    endedBy: 'hang-up',
    refusals: [],
    id: 'c3<i>',
    user: 'mallory</td>',
    mode: 'Never',
    direction: 'incoming',
    remote: 'pstn',
    voicemail: true,
    startedAtMs: 0,
    endedAtMs: 10_000,
    // The call was cut short: its hang-up was scheduled for 30 s.
    lastEventAtMs: 30_000,
    finalRecordingState: 'none',
    tones: 0,
    recordedMs: 0,
    timeline: [
      { ...at(0), type: 'call', phase: 'connected' },
      {
        ...at(2_000),
        type: 'rejected',
        command: 'start',
        reason: 'Never <img src=x onerror=alert(3)> \u001b[2J\u0008',
      },
      { ...at(10_000), type: 'call', phase: 'ended' },
    ],
    recordings: [],
  };
}

export const passingScenario = (): ScenarioReport => ({
  name: 'Always records the whole call',
  file: 'scenarios/modes/always.yaml',
  cites: ['S22', 'S24', 'S29'],
  seed: 'qa/Always records the whole call',
  passed: true,
  failures: [],
  steps: [
    { index: 0, atMs: 0, kind: 'enable', summary: 'enable alice (Always)' },
    { index: 1, atMs: 0, kind: 'call', summary: 'call c1 (alice, pstn)' },
  ],
  calls: [alwaysCall()],
  durationMs: 120_000,
});

export const failingScenario = (): ScenarioReport => ({
  name: 'On Demand pause, resume, stop and start again',
  file: 'scenarios/modes/on-demand.yaml',
  cites: ['S21', 'S27', 'S29'],
  seed: 'qa/On Demand',
  passed: false,
  failures: [
    { expectation: 'expect.calls.c2.tones', expected: 3, actual: 2, message: 'Repeat tones played (S29)' },
    {
      expectation: 'expect.calls.c2.recordingStates',
      expected: ['pending', 'started', 'paused', 'started', 'stopped'],
      actual: ['pending', 'started', 'paused', 'started', 'stopped (User Requested)', 'pending', 'started'],
      message: 'The recordingState timeline',
    },
    {
      expectation: 'expect.account.admins',
      expected: ['it@acme.example'],
      actual: [],
      message: 'Dubber admins of acme (S16)',
    },
  ],
  steps: [
    { index: 0, atMs: 0, kind: 'enable', summary: 'enable bob (On Demand)' },
    {
      index: 1,
      atMs: 1_000,
      kind: 'update',
      summary: 'update bob',
      error: { code: 'SIM_ERR_NOT_ALLOWED', message: 'bob is not enabled for Pause/Resume', expected: true },
    },
    { index: 2, atMs: 5_000, kind: 'call', summary: 'call c2 (bob, internal)' },
  ],
  calls: [onDemandCall()],
  durationMs: 125_000,
});

export const hostileScenario = (): ScenarioReport => ({
  name: NASTY_NAME,
  file: 'scenarios/evil/<x>&"q".yaml',
  cites: ['S1 & <S2>'],
  seed: 'seed "with" <quotes>',
  passed: false,
  failures: [
    {
      expectation: 'expect.calls.c3<i>.rejected',
      expected: ['</script><script>alert(2)</script>'],
      actual: ['start: Never <img src=x onerror=alert(3)> \u001b[2J'],
      message: 'Commands the call refused <b>&amp;</b> \u0001',
    },
  ],
  steps: [],
  calls: [hostileCall()],
  durationMs: 10_000,
});

export function runReport(
  scenarios: readonly ScenarioReport[] = [passingScenario(), failingScenario(), hostileScenario()],
): RunReport {
  const passed = scenarios.filter((s) => s.passed).length;
  return {
    tool: 'callrec',
    version: '0.1.0',
    seed: 'qa',
    mode: 'virtual',
    sink: 'embedded',
    summary: { scenarios: scenarios.length, passed, failed: scenarios.length - passed },
    scenarios,
  };
}
