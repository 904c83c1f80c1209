/**
 * The scenario format (YAML or JSON), validated with zod. docs/scenarios.md explains it with examples and
 * docs/scenario.schema.json (generated from this file) gives editors completion.
 */
import { z } from 'zod';
import { CALL_COMMANDS } from '../../machines/call-commands.ts';
import { ANNOUNCEMENT_KINDS, ANNOUNCEMENT_SOUNDS, STOP_REASONS } from '../../machines/call-events.ts';
import { LICENCES } from '../domain/organisation.ts';
import { FAILURE_BEHAVIOURS, RECORDER_TRANSPORTS, RECORDER_WAIT_MS } from '../domain/recorder.ts';
import { TIERS } from '../domain/subscription.ts';
import { durationMs } from './duration.ts';
import {
  accountsExpectSchema,
  audioExpectSchema,
  dubberRefusalSchema,
  expectErrorSchema,
  rejectedEntrySchema,
  rtpStatsSchema,
  segmentsSchema,
  timelineSchema,
  userDubberSchema,
} from './expect/expect-schemas.ts';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, dot, dash or underscore');
const statement = z.string().regex(/^S\d{1,2}$/, 'cite seed statements as S1 … S34');

export const orgSchema = z.strictObject({
  id,
  customerName: z.string().min(1),
  partnerEnabled: z.boolean().default(true),
  purchaseChannel: z.enum(['partner', 'webex.com']).default('partner'),
  serviceProvider: z.string().min(1).default('sp-1'),
  recorder: z
    .strictObject({
      failureBehaviour: z.enum(FAILURE_BEHAVIOURS).default('PROCEED_WITH_CALL_NO_ANNOUNCEMENT'),
      waitMs: z
        .number()
        .int()
        .min(RECORDER_WAIT_MS.min)
        .max(RECORDER_WAIT_MS.max)
        .default(RECORDER_WAIT_MS.default),
      /** How the platform reaches the recorder: UDP retransmits the request while it waits, TCP sends one. */
      transport: z.enum(RECORDER_TRANSPORTS).default('udp'),
    })
    .default({
      failureBehaviour: 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT',
      waitMs: RECORDER_WAIT_MS.default,
      transport: 'udp',
    }),
});

export const adminSchema = z.strictObject({
  email: z.string().email(),
  role: z.enum(['customer-admin', 'partner-admin', 'read-only-admin']),
  /** The org of a customer or read-only admin; for a partner admin, the orgs it manages (default: all). */
  org: id.optional(),
  orgs: z.array(id).optional(),
});

export const userSchema = z.strictObject({
  id,
  org: id.optional(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  email: z.string().email().optional(),
  timeZone: z.string().default('Europe/Prague'),
  licence: z.enum(LICENCES).default('Professional'),
  /** What Dubber holds for the user when it differs from Control Hub (S33). */
  dubber: userDubberSchema.optional(),
});

/** The call's commands, derived from the events the call machine accepts (machines/call-commands.ts). */
export const CALL_ACTIONS = CALL_COMMANDS;

const callEventSchema = z.strictObject({ at: durationMs, do: z.enum(CALL_ACTIONS) });

export const impairmentSchema = z.strictObject({
  lossRate: z.number().min(0).max(1).default(0),
  duplicateRate: z.number().min(0).max(1).default(0),
  reorderRate: z.number().min(0).max(1).default(0),
  delayMs: z.number().min(0).default(0),
  jitterMs: z.number().min(0).default(0),
});

export const callSchema = z.strictObject({
  id,
  user: id,
  direction: z.enum(['incoming', 'outgoing']).default('incoming'),
  remote: z.enum(['internal', 'pstn']).default('pstn'),
  voicemail: z.boolean().default(false),
  codec: z.enum(['PCMU', 'PCMA']).default('PCMU'),
  recorder: z
    .strictObject({ answerMs: z.number().int().min(0).default(200), up: z.boolean().default(true) })
    .default({ answerMs: 200, up: true }),
  impairment: impairmentSchema.optional(),
  events: z.array(callEventSchema).min(1),
});

const settingsPatch = z.record(z.string(), z.unknown());

const stepBase = { at: durationMs.optional(), expectError: expectErrorSchema.optional() };
export const stepSchema = z.union([
  z.strictObject({
    ...stepBase,
    enable: z.strictObject({
      user: id,
      by: z.string().email(),
      acceptTerms: z.boolean().default(false),
      tier: z.enum(TIERS).optional(),
      settings: settingsPatch.optional(),
    }),
  }),
  z.strictObject({ ...stepBase, update: z.strictObject({ user: id, settings: settingsPatch }) }),
  z.strictObject({ ...stepBase, disable: z.strictObject({ user: id }) }),
  z.strictObject({ ...stepBase, switchTier: z.strictObject({ user: id, tier: z.enum(TIERS) }) }),
  z.strictObject({ ...stepBase, call: callSchema }),
  z.strictObject({
    ...stepBase,
    checkDubPoint: z.strictObject({
      user: id,
      dubber: z.strictObject({
        product: z.string().optional(),
        externalType: z.string().optional(),
        serviceProvider: z.string().optional(),
        externalGroup: z.string().optional(),
        externalIdentifier: z.string().optional(),
      }),
    }),
  }),
  z.strictObject({ at: durationMs, advance: z.literal(true) }),
]);

const approxMs = z.union([
  durationMs,
  z.strictObject({ value: durationMs, tolerance: durationMs.default(0) }),
]);

export const RECORDING_STATES = ['none', 'pending', 'started', 'paused', 'stopped', 'failed'] as const;
/** How a recordingState timeline entry is written: the state, or `stopped (<reason>)`. */
export const RECORDING_STATE_LABELS = [
  ...RECORDING_STATES,
  ...STOP_REASONS.map((reason) => `stopped (${reason})` as const),
] as const;
/** An announcement is written as its kind (`start`) or its kind and sound (`start:announcement`). */
export const ANNOUNCEMENT_LABELS = [
  ...ANNOUNCEMENT_KINDS,
  ...ANNOUNCEMENT_KINDS.flatMap((kind) => ANNOUNCEMENT_SOUNDS.map((sound) => `${kind}:${sound}` as const)),
] as const;

export const callExpectSchema = z.strictObject({
  recorded: z.boolean().optional(),
  recordings: z.number().int().min(0).optional(),
  recordingStates: z.array(z.enum(RECORDING_STATE_LABELS)).optional(),
  finalState: z.enum(RECORDING_STATES).optional(),
  recordedDuration: approxMs.optional(),
  pauses: z.number().int().min(0).optional(),
  announcements: z.array(z.enum(ANNOUNCEMENT_LABELS)).optional(),
  reportedToDubber: z.array(z.enum(ANNOUNCEMENT_KINDS)).optional(),
  tones: z.number().int().min(0).optional(),
  indicator: z.array(z.enum(['off', 'recording', 'paused'])).optional(),
  rejected: z.array(z.union([z.enum(CALL_ACTIONS), rejectedEntrySchema])).optional(),
  ended: z.boolean().optional(),
  timeline: timelineSchema.optional(),
  segments: segmentsSchema.optional(),
  audio: audioExpectSchema.optional(),
  refusedByDubber: dubberRefusalSchema.optional(),
  streams: z
    .strictObject({
      packetsPerStream: z
        .union([
          z.number().int(),
          z.strictObject({ value: z.number().int(), tolerance: z.number().int().min(0) }),
        ])
        .optional(),
      lost: z
        .strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
        .optional(),
      rtp: rtpStatsSchema.optional(),
    })
    .optional(),
});

const actorSchema = z.strictObject({
  user: id.optional(),
  admin: z.string().email().optional(),
  org: id.optional(),
});

export const expectSchema = z.strictObject({
  calls: z.record(id, callExpectSchema).optional(),
  account: z
    .strictObject({
      exists: z.boolean().optional(),
      org: id.optional(),
      admins: z.array(z.string().email()).optional(),
      sharedUserFields: z.array(z.string()).optional(),
    })
    .optional(),
  access: z
    .array(
      z.strictObject({
        recording: z.string(),
        at: durationMs.optional(),
        actor: actorSchema,
        allowed: z.boolean(),
      }),
    )
    .optional(),
  retention: z
    .array(z.strictObject({ recording: z.string(), at: durationMs, state: z.enum(['retained', 'deleted']) }))
    .optional(),
  settings: z.record(id, z.record(z.string(), z.unknown())).optional(),
  accounts: accountsExpectSchema.optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  cites: z.array(statement).default([]),
  /** Free labels for `callrec run --filter` (e.g. smoke, regression, pstn). */
  tags: z
    .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, dot, dash or underscore'))
    .default([]),
  seed: z.union([z.string(), z.number()]).optional(),
  orgs: z.array(orgSchema).min(1),
  admins: z.array(adminSchema).default([]),
  users: z.array(userSchema).default([]),
  steps: z.array(stepSchema).min(1),
  expect: expectSchema.default({}),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];
export type ScenarioCall = z.output<typeof callSchema>;
export type CallExpect = z.output<typeof callExpectSchema>;
export type ScenarioExpect = Scenario['expect'];
