import { describe, expect, it } from 'vitest';
import { ofType, play, recordingStates } from './call-helpers.ts';

const HOUR_MS = 3_600_000;

describe('modes (S20–S23)', () => {
  it('S20: Never records nothing and refuses every recording control with a reason', () => {
    const { log, view } = play({ settings: { record: 'Never' } }, [
      [0, 'answer'],
      [1000, 'start'],
      [2000, 'pause'],
      [60_000, 'hang-up'],
    ]);
    expect(ofType(log, 'media')).toEqual([]);
    expect(view.recordedMs).toBe(0);
    expect(ofType(log, 'rejected').map((r) => r.reason)).toEqual([
      expect.stringContaining('mode Never'),
      expect.stringContaining('mode Never'),
    ]);
  });

  it('a user whose recording is turned off is not recorded, whatever the mode says', () => {
    const { log } = play({ enabled: false, settings: { record: 'Always' } }, [[0, 'answer']], 60_000);
    expect(ofType(log, 'media')).toEqual([]);
  });

  it('S22: Always starts when the call connects (once the recorder answers) and cannot be controlled', () => {
    const { log, view } = play({ settings: { record: 'Always' } }, [
      [0, 'answer'],
      [5000, 'pause'],
      [6000, 'stop'],
      [60_000, 'hang-up'],
    ]);
    expect(recordingStates(log)).toEqual(['pending', 'started']);
    expect(ofType(log, 'recording')[1]?.atMs).toBe(200);
    expect(ofType(log, 'rejected').map((r) => r.reason)).toEqual([
      expect.stringContaining('Always: every call is recorded'),
      expect.stringContaining('Always: every call is recorded'),
    ]);
    expect(view.recordedMs).toBe(60_000 - 200);
  });

  it('S23: Always with Pause/Resume lets the user pause and resume but never stop', () => {
    const { log, view } = play({ settings: { record: 'Always with Pause/Resume' } }, [
      [0, 'answer'],
      [10_000, 'pause'],
      [20_000, 'resume'],
      [30_000, 'stop'],
      [40_000, 'hang-up'],
    ]);
    expect(recordingStates(log)).toEqual(['pending', 'started', 'paused', 'started']);
    expect(ofType(log, 'rejected')).toEqual([
      expect.objectContaining({
        command: 'stop',
        reason: expect.stringContaining('never start or stop (S23)'),
      }),
    ]);
    expect(view.recordedMs).toBe(40_000 - 200 - 10_000);
  });

  it('S21: On Demand captures from connect and keeps it all once the user starts', () => {
    const { log, view } = play({ settings: { record: 'On Demand' } }, [
      [0, 'answer'],
      [30_000, 'start'],
      [40_000, 'stop'],
      [50_000, 'hang-up'],
    ]);
    expect(ofType(log, 'media').map((m) => m.action)).toEqual(['open', 'keep', 'close']);
    expect(ofType(log, 'media')[0]).toMatchObject({ provisional: true, atMs: 200 });
    expect(recordingStates(log)).toEqual(['started', 'stopped(User Requested)']);
    expect(view.recordedMs).toBe(40_000 - 200);
  });

  it('S21: On Demand that the user never starts is discarded at hang-up', () => {
    const { log, view } = play({ settings: { record: 'On Demand' } }, [
      [0, 'answer'],
      [30_000, 'pause'],
      [60_000, 'hang-up'],
    ]);
    expect(ofType(log, 'media').map((m) => m.action)).toEqual(['open', 'discard']);
    expect(view.recordedMs).toBe(0);
    expect(ofType(log, 'rejected')[0]?.reason).toContain('S21');
  });

  it('On Demand with User Initiated Start captures nothing until start, then start/pause/resume/stop', () => {
    const { log, view } = play({ settings: { record: 'On Demand with User Initiated Start' } }, [
      [0, 'answer'],
      [10_000, 'start'],
      [20_000, 'pause'],
      [25_000, 'resume'],
      [35_000, 'stop'],
      [40_000, 'start'],
      [50_000, 'hang-up'],
    ]);
    expect(ofType(log, 'media').map((m) => m.action)).toEqual([
      'open',
      'pause',
      'resume',
      'close',
      'open',
      'close',
    ]);
    expect(ofType(log, 'media')[0]?.atMs).toBe(10_200);
    expect(recordingStates(log)).toEqual([
      'pending',
      'started',
      'paused',
      'started',
      'stopped(User Requested)',
      'pending',
      'started',
    ]);
    expect(view.recordedMs).toBe(9_800 + 10_000 + 9_800);
    // Each start after a stop is a new recording: two opens, two closes.
  });
});

describe('pending, hold and the recorder (Webex recordingState)', () => {
  it('a start asked while the call is held is pending until the call resumes', () => {
    const { log } = play(
      { settings: { record: 'On Demand with User Initiated Start' } },
      [
        [0, 'answer'],
        [1000, 'hold'],
        [2000, 'start'],
        [9000, 'unhold'],
      ],
      20_000,
    );
    expect(ofType(log, 'recording').map((e) => [e.atMs, e.state])).toEqual([
      [2000, 'pending'],
      [9200, 'started'],
    ]);
  });

  it('media stops while the call is held and the tone timer waits (S29)', () => {
    const { log, view } = play(
      { settings: { record: 'Always', repeat: { enabled: true, interval: 10 } } },
      [
        [0, 'answer'],
        [5200, 'hold'],
        [65_200, 'unhold'],
      ],
      80_200,
    );
    expect(ofType(log, 'media').map((m) => [m.action, m.atMs])).toEqual([
      ['open', 200],
      ['pause', 5200],
      ['resume', 65_200],
    ]);
    expect(ofType(log, 'tone').map((t) => t.atMs)).toEqual([70_200, 80_200]);
    expect(view.recordedMs).toBe(20_000);
  });

  it.each([
    ['PROCEED_WITH_CALL_NO_ANNOUNCEMENT', 0, 'connected'],
    ['PROCEED_CALL_WITH_ANNOUNCEMENT', 1, 'connected'],
    ['END_CALL_WITH_ANNOUNCEMENT', 1, 'ended'],
  ] as const)(
    'a recorder that never answers: after the wait, %s',
    (failureBehaviour, announcements, phase) => {
      const { log, view } = play(
        {
          settings: { record: 'Always' },
          input: { recorderUp: false, recorder: { failureBehaviour, waitMs: 3000 } },
        },
        [[0, 'answer']],
        10_000,
      );
      expect(ofType(log, 'recording').map((e) => [e.atMs, e.state])).toEqual([
        [0, 'pending'],
        [3000, 'failed'],
      ]);
      expect(ofType(log, 'announcement').filter((a) => a.kind === 'failure')).toHaveLength(announcements);
      expect(view.phase).toBe(phase);
      expect(ofType(log, 'media')).toEqual([]);
    },
  );

  it('a recorder slower than the wait counts as not answering', () => {
    const { view } = play(
      { settings: { record: 'Always' }, input: { recorderAnswerMs: 2000 } },
      [[0, 'answer']],
      5000,
    );
    expect(view.recordingState).toBe('failed');
  });

  it('a recorder lost mid-call stops the recording with reason Failure', () => {
    const { log, view } = play(
      { settings: { record: 'Always' } },
      [
        [0, 'answer'],
        [10_000, 'recorder-down'],
      ],
      20_000,
    );
    expect(recordingStates(log)).toEqual(['pending', 'started', 'stopped(Failure)']);
    expect(view.indicator).toBe('off');
    expect(view.recordedMs).toBe(9800);
  });
});

describe('announcements (S24–S27, S32) and the indicator (S31)', () => {
  const announced = { startStopAnnouncementEnabled: true } as const;

  it('S24: the start/stop announcement plays when recording starts and stops, reported to Dubber (S26)', () => {
    const { log } = play({ settings: { ...announced, record: 'On Demand with User Initiated Start' } }, [
      [0, 'answer'],
      [1000, 'start'],
      [5000, 'stop'],
    ]);
    expect(ofType(log, 'announcement')).toEqual([
      { type: 'announcement', atMs: 1200, kind: 'start', sound: 'announcement', reportedToDubber: true },
      { type: 'announcement', atMs: 5000, kind: 'stop', sound: 'announcement', reportedToDubber: true },
    ]);
  });

  it.each([
    ['internal', { internalCallsEnabled: false, pstnCallsEnabled: true }, 0],
    ['pstn', { internalCallsEnabled: false, pstnCallsEnabled: true }, 1],
    ['internal', { internalCallsEnabled: true, pstnCallsEnabled: false }, 1],
    ['pstn', { internalCallsEnabled: true, pstnCallsEnabled: false }, 0],
  ] as const)('S24: on a %s call with %j the start announcement plays %i time(s)', (remote, flags, times) => {
    const { log } = play(
      { settings: { ...announced, startStopAnnouncement: flags, record: 'Always' }, input: { remote } },
      [[0, 'answer']],
      1000,
    );
    expect(ofType(log, 'announcement')).toHaveLength(times);
  });

  it.each([
    ['incoming', 'Always'],
    ['outgoing', 'Always'],
  ] as const)('S24: the announcement plays at the start of %s calls', (direction, record) => {
    const { log } = play({ settings: { ...announced, record }, input: { direction } }, [[0, 'answer']], 1000);
    expect(ofType(log, 'announcement').map((a) => a.kind)).toEqual(['start']);
  });

  it('S25: the announcement adds nothing to the recorded time', () => {
    const withIt = play({ settings: { ...announced, record: 'Always' } }, [
      [0, 'answer'],
      [60_000, 'hang-up'],
    ]);
    const without = play({ settings: { record: 'Always' } }, [
      [0, 'answer'],
      [60_000, 'hang-up'],
    ]);
    expect(withIt.view.recordedMs).toBe(without.view.recordedMs);
  });

  it.each([
    ['Beep', 'beep'],
    ['Play Announcement', 'announcement'],
  ] as const)('S27: pause and resume are signalled by %s', (type, sound) => {
    const { log } = play(
      { settings: { record: 'Always with Pause/Resume', notification: { type, enabled: true } } },
      [
        [0, 'answer'],
        [1000, 'pause'],
        [2000, 'resume'],
      ],
    );
    // S26: Dubber hears of announcements; a beep is not one.
    const reported = sound === 'announcement';
    expect(ofType(log, 'announcement').map((a) => [a.kind, a.sound, a.reportedToDubber])).toEqual([
      ['pause', sound, reported],
      ['resume', sound, reported],
    ]);
  });

  it('S27: with the notification off, pause and resume are silent', () => {
    const { log } = play({ settings: { record: 'Always with Pause/Resume' } }, [
      [0, 'answer'],
      [1000, 'pause'],
      [2000, 'resume'],
    ]);
    expect(ofType(log, 'announcement')).toEqual([]);
  });

  it('S31: the indicator shows recording, paused, then off', () => {
    const { log } = play({ settings: { record: 'On Demand with User Initiated Start' } }, [
      [0, 'answer'],
      [1000, 'start'],
      [2000, 'pause'],
      [3000, 'resume'],
      [4000, 'stop'],
    ]);
    expect(ofType(log, 'indicator').map((i) => i.indicator)).toEqual([
      'recording',
      'paused',
      'recording',
      'off',
    ]);
  });
});

describe('repeat tone (S29) and voicemail (S28)', () => {
  it('S29: a 1-hour Always call with the default 20 s tone: the hang-up at 3,600 s wins over the tone due then', () => {
    const { log } = play(
      { settings: { record: 'Always', repeat: { enabled: true } }, input: { recorderAnswerMs: 0 } },
      [
        [0, 'answer'],
        [HOUR_MS, 'hang-up'],
      ],
    );
    const tones = ofType(log, 'tone');
    // Scheduled commands happen before timers due at the same instant (docs/call-machine.md).
    expect(tones).toHaveLength(179);
    expect(tones[0]?.atMs).toBe(20_000);
    expect(tones.at(-1)?.atMs).toBe(HOUR_MS - 20_000);
  });

  it('S29: the tone time pauses with the recording: tones = whole intervals of active recording', () => {
    const { log } = play(
      { settings: { record: 'Always with Pause/Resume', repeat: { enabled: true, interval: 30 } } },
      [
        [0, 'answer'],
        [20_200, 'pause'],
        [50_000, 'resume'],
      ],
      110_000,
    );
    expect(ofType(log, 'tone').map((t) => t.atMs)).toEqual([60_000, 90_000]);
  });

  it('S29: no tone when the repeat tone is off', () => {
    const { log } = play({ settings: { record: 'Always' } }, [[0, 'answer']], 600_000);
    expect(ofType(log, 'tone')).toEqual([]);
  });

  it.each([
    [true, 1],
    [false, 0],
  ])(
    'S28: a voicemail call is recorded only when voicemail recording is on (%s)',
    (recordVoicemailEnabled, opens) => {
      const { log } = play(
        { settings: { record: 'On Demand', recordVoicemailEnabled }, input: { voicemail: true } },
        [
          [0, 'answer'],
          [30_000, 'hang-up'],
        ],
      );
      expect(ofType(log, 'media').filter((m) => m.action === 'open')).toHaveLength(opens);
    },
  );
});

describe('the call itself', () => {
  it('commands before the answer and after the hang-up are refused with a reason', () => {
    const { log } = play({ settings: { record: 'Always' } }, [
      [0, 'start'],
      [0, 'hold'],
      [0, 'answer'],
      [0, 'answer'],
      [1000, 'hang-up'],
      [2000, 'unhold'],
    ]);
    expect(ofType(log, 'rejected').map((r) => [r.command, r.reason])).toEqual([
      ['start', 'the call has not been answered yet'],
      ['hold', 'the call has not been answered yet'],
      ['answer', 'the call is already answered'],
      ['unhold', 'the call has ended'],
    ]);
  });

  it('hold twice and unhold when not held are refused', () => {
    const { log } = play({}, [
      [0, 'answer'],
      [1, 'unhold'],
      [2, 'hold'],
      [3, 'hold'],
    ]);
    expect(ofType(log, 'rejected').map((r) => r.reason)).toEqual([
      'the call is not on hold',
      'the call is already on hold',
    ]);
  });

  it('a call hung up before it is answered records nothing', () => {
    const { log, view } = play({ settings: { record: 'Always' } }, [[5000, 'hang-up']]);
    expect(view.phase).toBe('ended');
    expect(ofType(log, 'media')).toEqual([]);
  });
});
