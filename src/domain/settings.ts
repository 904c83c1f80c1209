/**
 * Per-user call-recording settings, in the shape of the Webex API's
 * `/v1/people/{personId}/features/callRecording` (see docs/domain.md), with the bounds of Control Hub
 * (seed S20–S29). Changes are validated as a whole: an invalid patch changes nothing.
 */
import { z } from 'zod';
import { SimError } from '../errors.ts';

/** S29: a tone every 20 s by default, adjustable from 10 to 90 s in Control Hub. */
export const REPEAT_TONE_INTERVAL_S = { min: 10, max: 90, default: 20 } as const;

/**
 * The Webex API's own bound for `repeat.interval` ("an integer from 10 to 1800 seconds" in the published
 * description's prose), wider than Control Hub's form (S29).
 */
export const API_REPEAT_TONE_INTERVAL_S = { min: 10, max: 1800, default: 20 } as const;

/** Which bounds a change is checked against: Control Hub's form (S29) or the Webex API's description. */
export type SettingsPath = 'control-hub' | 'webex-api';

const REPEAT_BOUNDS_S: Record<SettingsPath, { readonly min: number; readonly max: number }> = {
  'control-hub': REPEAT_TONE_INTERVAL_S,
  'webex-api': API_REPEAT_TONE_INTERVAL_S,
};

/** The recording modes. "Never" is the default (S20). */
export const RECORD_MODES = [
  'Never',
  'On Demand',
  'Always',
  'Always with Pause/Resume',
  'On Demand with User Initiated Start',
] as const;
export type RecordMode = (typeof RECORD_MODES)[number];

/** S27: how a pause or resume is signalled to all parties. */
export const NOTIFICATION_TYPES = ['None', 'Beep', 'Play Announcement'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface DubPointValues {
  readonly serviceProvider: string;
  readonly externalGroup: string;
  readonly externalIdentifier: string;
}

export interface RecordingSettings extends DubPointValues {
  readonly enabled: boolean;
  readonly record: RecordMode;
  readonly recordVoicemailEnabled: boolean;
  readonly startStopAnnouncementEnabled: boolean;
  readonly startStopAnnouncement: {
    readonly internalCallsEnabled: boolean;
    readonly pstnCallsEnabled: boolean;
  };
  readonly notification: { readonly type: NotificationType; readonly enabled: boolean };
  readonly repeat: { readonly interval: number; readonly enabled: boolean };
}

/** The fields an admin may change; the dub.point values are read-only (assigned by the platform). */
export const READ_ONLY_SETTINGS_FIELDS = ['serviceProvider', 'externalGroup', 'externalIdentifier'] as const;

const patchSchemaFor = (bounds: { readonly min: number; readonly max: number }) =>
  z.strictObject({
    enabled: z.boolean().optional(),
    record: z.enum(RECORD_MODES).optional(),
    recordVoicemailEnabled: z.boolean().optional(),
    startStopAnnouncementEnabled: z.boolean().optional(),
    startStopAnnouncement: z
      .strictObject({
        internalCallsEnabled: z.boolean().optional(),
        pstnCallsEnabled: z.boolean().optional(),
      })
      .optional(),
    notification: z
      .strictObject({ type: z.enum(NOTIFICATION_TYPES).optional(), enabled: z.boolean().optional() })
      .optional(),
    repeat: z
      .strictObject({
        interval: z.number().int().min(bounds.min).max(bounds.max).optional(),
        enabled: z.boolean().optional(),
      })
      .optional(),
  });

const PATCH_SCHEMAS = {
  'control-hub': patchSchemaFor(REPEAT_BOUNDS_S['control-hub']),
  'webex-api': patchSchemaFor(REPEAT_BOUNDS_S['webex-api']),
} as const;

export type RecordingSettingsPatch = z.input<(typeof PATCH_SCHEMAS)['control-hub']>;

/** The settings of a user for whom recording has never been turned on, or has been turned off (S14, S20). */
export function defaultRecordingSettings(dubPoint: DubPointValues): RecordingSettings {
  return {
    enabled: false,
    record: 'Never',
    recordVoicemailEnabled: false,
    startStopAnnouncementEnabled: false,
    startStopAnnouncement: { internalCallsEnabled: true, pstnCallsEnabled: true },
    notification: { type: 'None', enabled: false },
    repeat: { interval: REPEAT_TONE_INTERVAL_S.default, enabled: false },
    serviceProvider: dubPoint.serviceProvider,
    externalGroup: dubPoint.externalGroup,
    externalIdentifier: dubPoint.externalIdentifier,
  };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const repeatRangeText = (path: SettingsPath) =>
  `a whole number of seconds from ${REPEAT_BOUNDS_S[path].min} to ${REPEAT_BOUNDS_S[path].max}`;

function allowedFor(issue: z.core.$ZodIssue, path: SettingsPath): string {
  if (issue.path.at(-1) === 'interval') return repeatRangeText(path);
  switch (issue.code) {
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `at least ${issue.minimum}`;
    case 'too_big':
      return `at most ${issue.maximum}`;
    case 'invalid_type':
      return `a ${issue.expected}`;
    case 'unrecognized_keys':
      return 'no such field';
    default:
      return issue.message;
  }
}

/** One problem of a settings patch: which field, what was given, what is allowed. */
export interface SettingsProblem {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
}

/** Lists every problem of `patch` without changing anything. */
export function findSettingsProblems(patch: unknown, path: SettingsPath = 'control-hub'): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  if (patch !== null && typeof patch === 'object') {
    for (const field of READ_ONLY_SETTINGS_FIELDS) {
      if (field in patch) {
        problems.push({
          field,
          value: (patch as Record<string, unknown>)[field],
          allowed: 'read-only (assigned by the platform; shown under "View call recording platform info")',
        });
      }
    }
  }
  const readOnlyStripped =
    patch !== null && typeof patch === 'object'
      ? Object.fromEntries(
          Object.entries(patch).filter(
            ([k]) => !(READ_ONLY_SETTINGS_FIELDS as readonly string[]).includes(k),
          ),
        )
      : patch;
  const parsed = PATCH_SCHEMAS[path].safeParse(readOnlyStripped);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const path = [...issue.path, key];
          problems.push({ field: path.join('.'), value: valueAt(patch, path), allowed: 'no such field' });
        }
        continue;
      }
      problems.push({
        field: issue.path.length === 0 ? '(settings)' : issue.path.join('.'),
        value: valueAt(patch, issue.path),
        allowed: issue.path.length === 0 ? 'an object of recording settings' : allowedFor(issue, path),
      });
    }
  }
  return problems;
}

/**
 * Applies a patch to the current settings, validating it as a whole. Throws `SIM_ERR_INVALID_SETTINGS`
 * naming every bad field, its value and what is allowed; on error the current settings are untouched.
 */
export function applySettingsPatch(
  current: RecordingSettings,
  patch: unknown,
  path: SettingsPath = 'control-hub',
): RecordingSettings {
  const problems = findSettingsProblems(patch, path);
  if (problems.length > 0) {
    const list = problems
      .map((p) => `${p.field} = ${JSON.stringify(p.value) ?? 'undefined'} (allowed: ${p.allowed})`)
      .join('; ');
    throw new SimError(
      'SIM_ERR_INVALID_SETTINGS',
      `Invalid call-recording settings, nothing was changed: ${list}.`,
      {
        details: { problems },
      },
    );
  }
  const p = PATCH_SCHEMAS[path].parse(patch);
  return {
    ...current,
    ...(p.enabled === undefined ? {} : { enabled: p.enabled }),
    ...(p.record === undefined ? {} : { record: p.record }),
    ...(p.recordVoicemailEnabled === undefined ? {} : { recordVoicemailEnabled: p.recordVoicemailEnabled }),
    ...(p.startStopAnnouncementEnabled === undefined
      ? {}
      : { startStopAnnouncementEnabled: p.startStopAnnouncementEnabled }),
    startStopAnnouncement: {
      internalCallsEnabled:
        p.startStopAnnouncement?.internalCallsEnabled ?? current.startStopAnnouncement.internalCallsEnabled,
      pstnCallsEnabled:
        p.startStopAnnouncement?.pstnCallsEnabled ?? current.startStopAnnouncement.pstnCallsEnabled,
    },
    notification: {
      type: p.notification?.type ?? current.notification.type,
      enabled: p.notification?.enabled ?? current.notification.enabled,
    },
    repeat: {
      interval: p.repeat?.interval ?? current.repeat.interval,
      enabled: p.repeat?.enabled ?? current.repeat.enabled,
    },
  };
}

/** Which of the user's controls each mode allows (facts.md: Webex call-control API + BroadWorks). */
export function allowedCommands(mode: RecordMode): {
  start: boolean;
  stop: boolean;
  pause: boolean;
  resume: boolean;
} {
  switch (mode) {
    case 'Never':
    case 'Always':
      return { start: false, stop: false, pause: false, resume: false };
    case 'Always with Pause/Resume':
      return { start: false, stop: false, pause: true, resume: true };
    case 'On Demand':
    case 'On Demand with User Initiated Start':
      return { start: true, stop: true, pause: true, resume: true };
  }
}

/** The scenario (Control Hub) patch schema's node at `path` (optional wrappers removed), or undefined when there is none. */
function patchNodeAt(path: readonly string[]): z.core.$ZodType | undefined {
  let node: z.core.$ZodType | undefined = PATCH_SCHEMAS['control-hub'];
  for (const key of path) {
    while (node instanceof z.ZodOptional) node = node.unwrap() as z.core.$ZodType;
    if (!(node instanceof z.ZodObject)) return undefined;
    node = (node.shape as Record<string, z.core.$ZodType>)[key];
    if (node === undefined) return undefined;
  }
  while (node instanceof z.ZodOptional) node = node.unwrap() as z.core.$ZodType;
  return node;
}

/** The values a settings field takes when it is a list of names (`record`, `notification.type`), read from the schema. */
export function settingsEnumOptions(path: readonly string[]): readonly string[] | undefined {
  const node = patchNodeAt(path);
  return node instanceof z.ZodEnum ? (node.options as string[]) : undefined;
}

/** The field names settings accept at `path` (`[]` for the top level), read from the schema. */
export function settingsFieldNames(path: readonly string[]): readonly string[] {
  const node = patchNodeAt(path);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}
