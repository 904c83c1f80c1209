/**
 * A user's dub.point as Dubber holds it: Control Hub's values, except where the scenario gives the
 * user's Dubber side (`users[].dubber.dubPoint`). When the two differ Dubber refuses the call's recording
 * as the recorder answers, naming each field (S33). Without a sink the rule predicts that refusal; with a
 * sink, the sink's own refusal is what the report shows.
 */
import {
  type ControlHubState,
  type DubPoint,
  findDubPointMismatches,
  platformInfo,
} from '../domain/index.ts';
import type { Scenario } from './schema.ts';

export interface PredictedRefusal {
  readonly code: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** The fields the scenario sets on the user's Dubber side (empty when Dubber matches Control Hub). */
export function dubberOverrides(scenario: Scenario, userId: string): Partial<DubPoint> {
  const given = scenario.users.find((u) => u.id === userId)?.dubber?.dubPoint ?? {};
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<DubPoint>;
}

export function dubberSideDubPoint(
  hub: ControlHubState,
  scenario: Scenario,
  userId: string,
  atMs: number,
): DubPoint {
  return { ...platformInfo(hub, userId, atMs), ...dubberOverrides(scenario, userId) };
}

/** Dubber's answer to a recording of `userId` opened at `atMs`, by the rule alone. */
export function predictRefusal(
  hub: ControlHubState,
  scenario: Scenario,
  userId: string,
  atMs: number,
): PredictedRefusal | undefined {
  if (hub.users[userId] === undefined) return undefined;
  const mismatches = findDubPointMismatches(
    platformInfo(hub, userId, atMs),
    dubberSideDubPoint(hub, scenario, userId, atMs),
  );
  if (mismatches.length === 0) return undefined;
  const list = mismatches.map(
    (m) => `${m.field} is "${m.actual}" in Dubber but "${m.expected}" in Control Hub`,
  );
  return {
    code: 'SIM_ERR_DUBPOINT_MISMATCH',
    message: `The dub.point of user "${userId}" does not match: ${list.join('; ')} (S33).`,
    fields: mismatches.map((m) => m.field),
  };
}
