/** Random call inputs: every mode and settings combination the machine accepts. */
import fc from 'fast-check';
import type { CallRunInput } from '../../src/call/call-run.ts';
import {
  applySettingsPatch,
  defaultRecordingSettings,
  FAILURE_BEHAVIOURS,
  NOTIFICATION_TYPES,
  RECORD_MODES,
} from '../../src/domain/index.ts';

export const callInputArb: fc.Arbitrary<CallRunInput> = fc
  .record({
    enabled: fc.oneof(
      { arbitrary: fc.constant(true), weight: 5 },
      { arbitrary: fc.constant(false), weight: 1 },
    ),
    record: fc.constantFrom(...RECORD_MODES),
    startStopAnnouncementEnabled: fc.boolean(),
    internalCallsEnabled: fc.boolean(),
    pstnCallsEnabled: fc.boolean(),
    notificationType: fc.constantFrom(...NOTIFICATION_TYPES),
    notificationEnabled: fc.boolean(),
    repeatEnabled: fc.boolean(),
    interval: fc.integer({ min: 10, max: 90 }),
    recordVoicemailEnabled: fc.boolean(),
    voicemail: fc.oneof(
      { arbitrary: fc.constant(false), weight: 4 },
      { arbitrary: fc.constant(true), weight: 1 },
    ),
    remote: fc.constantFrom('internal' as const, 'pstn' as const),
    direction: fc.constantFrom('incoming' as const, 'outgoing' as const),
    failureBehaviour: fc.constantFrom(...FAILURE_BEHAVIOURS),
    waitMs: fc.integer({ min: 1000, max: 10_000 }),
    transport: fc.constantFrom('udp' as const, 'tcp' as const),
    // Mostly a recorder that answers in time, so long recorded calls are common; the rest exercise failures.
    recorderAnswerMs: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 2_000 }), weight: 4 },
      { arbitrary: fc.integer({ min: 0, max: 12_000 }), weight: 1 },
      { arbitrary: fc.constantFrom(0, 1000, 10_000), weight: 1 },
    ),
    recorderUp: fc.oneof(
      { arbitrary: fc.constant(true), weight: 4 },
      { arbitrary: fc.constant(false), weight: 1 },
    ),
  })
  .map((r) => ({
    callId: 'call-1',
    settings: applySettingsPatch(
      {
        ...defaultRecordingSettings({ serviceProvider: 'sp', externalGroup: 'org', externalIdentifier: 'u' }),
        enabled: r.enabled,
      },
      {
        record: r.record,
        startStopAnnouncementEnabled: r.startStopAnnouncementEnabled,
        startStopAnnouncement: {
          internalCallsEnabled: r.internalCallsEnabled,
          pstnCallsEnabled: r.pstnCallsEnabled,
        },
        notification: { type: r.notificationType, enabled: r.notificationEnabled },
        repeat: { enabled: r.repeatEnabled, interval: r.interval },
        recordVoicemailEnabled: r.recordVoicemailEnabled,
      },
    ),
    direction: r.direction,
    remote: r.remote,
    voicemail: r.voicemail,
    recorder: { failureBehaviour: r.failureBehaviour, waitMs: r.waitMs, transport: r.transport },
    recorderAnswerMs: r.recorderAnswerMs,
    recorderUp: r.recorderUp,
  }));
