/**
 * The richer expectations of a call or a scenario: a timed timeline, reasons, segments, stored audio,
 * the Dubber accounts and a refusal by Dubber. schema.ts plugs them into the scenario format; each has
 * its own checker next to this file.
 */
import { z } from 'zod';
import { CALL_COMMANDS } from '../../../machines/call-commands.ts';
import { SIM_ERROR_CODES } from '../../errors.ts';
import { durationMs } from '../duration.ts';
import { TIMELINE_EVENT_NAMES } from './timeline-events.ts';

const RECORDING_STATE_NAMES = ['none', 'pending', 'started', 'paused', 'stopped', 'failed'] as const;

/** One entry of `timeline`: what happened (an `event`, or a recording `state`), when, and its details. */
export const timelineEntrySchema = z
  .strictObject({
    event: z.enum(TIMELINE_EVENT_NAMES).optional(),
    /** Shorthand for `event: recording-<state>`; with `until`, also when the state was left. */
    state: z.enum(RECORDING_STATE_NAMES).optional(),
    at: durationMs.optional(),
    tolerance: durationMs.optional(),
    between: z.tuple([durationMs, durationMs]).optional(),
    /** For a `state`: when the call left it (the next recordingState, or the end of the call). */
    until: durationMs.optional(),
    /** `call-ended`: who ended the call. */
    by: z.enum(['hang-up', 'recorder-failure']).optional(),
    /** `recording-stopped`: why. */
    reason: z.enum(['User Requested', 'Failure']).optional(),
    /** `announcement-*`: what was played. */
    sound: z.enum(['announcement', 'beep']).optional(),
    reportedToDubber: z.boolean().optional(),
    /** `rejected`: which command, and a part of the reason given. */
    command: z.enum(CALL_COMMANDS).optional(),
    reasonIncludes: z.string().min(1).optional(),
    /** `tone`: its number (1 = the first). */
    index: z.number().int().min(1).optional(),
  })
  .refine((e) => (e.event === undefined) !== (e.state === undefined), {
    message: 'give exactly one of event or state',
  })
  .refine((e) => e.at === undefined || e.between === undefined, {
    message: 'give at (with an optional tolerance) or between, not both',
  });

const timelineList = z.array(timelineEntrySchema).min(1);
/** A list is ordered; `{ contains: [...] }` only asks that each entry happened. */
export const timelineSchema = z.union([
  timelineList,
  z.strictObject({ ordered: timelineList }),
  z.strictObject({ contains: timelineList }),
]);

export const rejectedEntrySchema = z.strictObject({
  command: z.enum(CALL_COMMANDS),
  reasonIncludes: z.string().min(1),
});

export const errorCodeSchema = z.enum(SIM_ERROR_CODES);
export const expectErrorSchema = z.union([
  errorCodeSchema,
  z.strictObject({ code: errorCodeSchema, messageIncludes: z.string().min(1).optional() }),
]);

export const segmentsSchema = z.array(
  z.strictObject({ from: durationMs, to: durationMs, tolerance: durationMs.optional() }),
);

const window = z.tuple([durationMs, durationMs]);
export const audioExpectSchema = z.strictObject({
  /** S25: no announcement, beep or tone frequency anywhere in the stored audio (Goertzel, per 20 ms). */
  announcementAbsent: z.boolean().optional(),
  /** Call-time windows in which nothing was stored on either stream (exact digital silence). */
  silentDuring: z.array(window).min(1).optional(),
  /** Calls whose stored streams must not share audio or SSRCs with this call's. */
  distinctFrom: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
});

export const rtpStatsSchema = z.strictObject({
  /** The two streams of each recording have their own SSRC, used by no other recording of the run. */
  distinctSsrcs: z.boolean().optional(),
  duplicates: z.strictObject({ max: z.number().int().min(0) }).optional(),
  /** RFC 3550 fraction lost (0…1) of each stream. */
  fractionLost: z.strictObject({ max: z.number().min(0).max(1) }).optional(),
  /** RFC 3550 interarrival jitter of each stream, in ms; only a transport that measures it has one. */
  jitterMs: z.strictObject({ max: z.number().min(0) }).optional(),
});

export const dubberRefusalSchema = z.strictObject({
  code: errorCodeSchema.optional(),
  /** dub.point fields that differ (S33). */
  fields: z.array(z.string()).optional(),
  messageIncludes: z.string().min(1).optional(),
});

const sharedUserSchema = z.strictObject({
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  timeZone: z.string(),
});
export const accountsExpectSchema = z.record(
  z.string(),
  z.strictObject({
    /** Dubber accounts of this organisation (0 or 1, S15, S18). */
    count: z.number().int().min(0).optional(),
    admins: z.array(z.string()).optional(),
    termsAcceptedBy: z.string().optional(),
    /** S18: exactly what Webex shared with Dubber. */
    customerName: z.string().optional(),
    users: z.array(sharedUserSchema).optional(),
  }),
);

/** The Dubber side of a user, when it differs from Control Hub (S33). */
export const userDubberSchema = z.strictObject({
  dubPoint: z
    .strictObject({
      product: z.string().optional(),
      externalType: z.string().optional(),
      serviceProvider: z.string().optional(),
      externalGroup: z.string().optional(),
      externalIdentifier: z.string().optional(),
    })
    .optional(),
});

export type TimelineEntry = z.output<typeof timelineEntrySchema>;
export type TimelineExpect = z.output<typeof timelineSchema>;
export type RejectedExpect = z.output<typeof rejectedEntrySchema>;
export type ExpectError = z.output<typeof expectErrorSchema>;
export type SegmentsExpect = z.output<typeof segmentsSchema>;
export type AudioExpect = z.output<typeof audioExpectSchema>;
export type RtpStatsExpect = z.output<typeof rtpStatsSchema>;
export type DubberRefusalExpect = z.output<typeof dubberRefusalSchema>;
export type AccountsExpect = z.output<typeof accountsExpectSchema>;
