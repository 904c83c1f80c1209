import { describe, expect, it } from 'vitest';
import {
  allowedCommands,
  applySettingsPatch,
  defaultRecordingSettings,
  REPEAT_TONE_INTERVAL_S,
} from '../../src/domain/index.ts';
import { isSimError, type SimError } from '../../src/errors.ts';

const dubPoint = { serviceProvider: 'sp', externalGroup: 'org', externalIdentifier: 'u1' };
const defaults = defaultRecordingSettings(dubPoint);

function rejection(patch: unknown): SimError {
  try {
    applySettingsPatch(defaults, patch);
  } catch (error) {
    if (isSimError(error, 'SIM_ERR_INVALID_SETTINGS')) return error;
    throw error;
  }
  throw new Error(`patch ${JSON.stringify(patch)} was accepted`);
}

describe('recording settings', () => {
  it('the Webex API path accepts its own 10–1800 s repeat interval; Control Hub keeps 10–90 s (S29)', () => {
    expect(applySettingsPatch(defaults, { repeat: { interval: 1800 } }, 'webex-api').repeat.interval).toBe(
      1800,
    );
    expect(() => applySettingsPatch(defaults, { repeat: { interval: 1800 } })).toThrow(/10 to 90/);
    expect(() => applySettingsPatch(defaults, { repeat: { interval: 1801 } }, 'webex-api')).toThrow(
      /10 to 1800/,
    );
    expect(() => applySettingsPatch(defaults, { repeat: { interval: 9 } }, 'webex-api')).toThrow(
      /10 to 1800/,
    );
    expect(() => applySettingsPatch(defaults, { repeat: { interval: 30.5 } }, 'webex-api')).toThrow(
      /repeat\.interval/,
    );
  });

  it('S20: a new user records Never', () => {
    expect(defaults.record).toBe('Never');
    expect(defaults.enabled).toBe(false);
  });

  it('S29: the repeat tone defaults to 20 s and accepts 10 and 90 s', () => {
    expect(defaults.repeat.interval).toBe(20);
    expect(REPEAT_TONE_INTERVAL_S).toEqual({ min: 10, max: 90, default: 20 });
    expect(applySettingsPatch(defaults, { repeat: { interval: 10 } }).repeat.interval).toBe(10);
    expect(applySettingsPatch(defaults, { repeat: { interval: 90 } }).repeat.interval).toBe(90);
  });

  it.each([9, 91, 0, -20, 20.5, 1800])(
    'S29: a %s s repeat tone is refused with the field, value and range',
    (interval) => {
      const error = rejection({ repeat: { interval } });
      expect(error.message).toContain('repeat.interval');
      expect(error.message).toContain(String(interval));
      expect(error.message).toContain('from 10 to 90');
    },
  );

  it.each([
    [{ record: 'Sometimes' }, 'record', '"Always"'],
    [{ enabled: 'yes' }, 'enabled', 'boolean'],
    [{ recordVoicemailEnabled: 1 }, 'recordVoicemailEnabled', 'boolean'],
    [{ startStopAnnouncementEnabled: null }, 'startStopAnnouncementEnabled', 'boolean'],
    [
      { startStopAnnouncement: { pstnCallsEnabled: 'no' } },
      'startStopAnnouncement.pstnCallsEnabled',
      'boolean',
    ],
    [
      { startStopAnnouncement: { internalCallsEnabled: 0 } },
      'startStopAnnouncement.internalCallsEnabled',
      'boolean',
    ],
    [{ notification: { type: 'Siren' } }, 'notification.type', '"Beep"'],
    [{ notification: { enabled: 'on' } }, 'notification.enabled', 'boolean'],
    [{ repeat: { enabled: 'true' } }, 'repeat.enabled', 'boolean'],
    [{ repeat: { interval: '20' } }, 'repeat.interval', 'from 10 to 90'],
    [{ volume: 11 }, 'volume', 'no such field'],
    [{ serviceProvider: 'other' }, 'serviceProvider', 'read-only'],
    [{ externalGroup: 'other' }, 'externalGroup', 'read-only'],
    [{ externalIdentifier: 'other' }, 'externalIdentifier', 'read-only'],
    ['Always', '(settings)', 'object'],
  ])('an invalid %j names %s and what is allowed', (patch, field, allowed) => {
    const error = rejection(patch);
    expect(error.message).toContain(field);
    expect(error.message).toContain(allowed);
    expect(error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('an invalid patch changes nothing, even when other fields in it are valid', () => {
    const before = structuredClone(defaults);
    rejection({ record: 'Always', repeat: { interval: 5 } });
    expect(defaults).toEqual(before);
  });

  it('lists every problem of a patch at once', () => {
    const error = rejection({ record: 'Sometimes', repeat: { interval: 5 } });
    expect(error.details.problems).toHaveLength(2);
  });

  it('S21–S23, S27, S28: a valid patch changes just the fields it names', () => {
    const next = applySettingsPatch(defaults, {
      record: 'Always with Pause/Resume',
      notification: { type: 'Play Announcement', enabled: true },
      recordVoicemailEnabled: true,
    });
    expect(next).toEqual({
      ...defaults,
      record: 'Always with Pause/Resume',
      notification: { type: 'Play Announcement', enabled: true },
      recordVoicemailEnabled: true,
    });
  });

  it('S21–S23: user controls per mode', () => {
    expect(allowedCommands('Never')).toEqual({ start: false, stop: false, pause: false, resume: false });
    expect(allowedCommands('Always')).toEqual({ start: false, stop: false, pause: false, resume: false });
    expect(allowedCommands('Always with Pause/Resume')).toEqual({
      start: false,
      stop: false,
      pause: true,
      resume: true,
    });
    expect(allowedCommands('On Demand')).toEqual({ start: true, stop: true, pause: true, resume: true });
    expect(allowedCommands('On Demand with User Initiated Start')).toEqual({
      start: true,
      stop: true,
      pause: true,
      resume: true,
    });
  });
});
