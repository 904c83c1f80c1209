/**
 * The provisioning requests of the signed `POST /v1/provision` endpoint (organisations, accounts, users,
 * tier switches, portal tokens), as zod schemas and their input types: what the admin client sends and
 * what the sink's provisioning validates.
 */
import { z } from 'zod';
import { TIERS } from '../domain/subscription.ts';
import { dubPointSchema } from './messages.ts';

const id = z.string().min(1).max(256);
const email = z
  .string()
  .min(3)
  .max(320)
  .regex(/^[^@\s]+@[^@\s]+$/);
const tier = z.enum(TIERS);
const historySchema = z
  .array(z.object({ tier, fromMs: z.number().finite() }))
  .max(1000)
  .readonly();

export const provisionOrgSchema = z.object({ orgId: id, customerName: z.string().min(1).max(256) });
export const provisionAccountSchema = z.object({
  orgId: id,
  termsAcceptedBy: email,
  adminEmails: z.array(email).max(1000).readonly(),
  createdAtMs: z.number().finite().optional(),
});
export const provisionUserSchema = z.object({
  orgId: id,
  userId: id,
  profile: z.object({ timeZone: id, firstName: z.string().max(256), lastName: z.string().max(256), email }),
  dubPoint: dubPointSchema,
  recordingEnabled: z.boolean().default(true),
  /** A whole history (e.g. copied from Control Hub), or… */
  subscription: historySchema.optional(),
  /** …the tier the user is on from now (ignored when `subscription` is given). */
  tier: tier.optional(),
});
export const switchTierSchema = z.object({
  userId: id,
  tier,
  atMs: z.number().finite().optional(),
  /** Also set the dub.point product to the new tier's product, as a migration by the partner does (S9). */
  updateDubPointProduct: z.boolean().default(true),
});
export const setRecordingEnabledSchema = z.object({ userId: id, enabled: z.boolean() });
export const issueTokenSchema = z.union([
  z.object({ orgId: id, userId: id }),
  z.object({ orgId: id, adminEmail: email }),
]);

export type ProvisionOrg = z.input<typeof provisionOrgSchema>;
export type ProvisionAccount = z.input<typeof provisionAccountSchema>;
export type ProvisionUser = z.input<typeof provisionUserSchema>;
export type SwitchTierRequest = z.input<typeof switchTierSchema>;
export type SetRecordingEnabled = z.input<typeof setRecordingEnabledSchema>;
export type IssueTokenRequest = z.input<typeof issueTokenSchema>;
