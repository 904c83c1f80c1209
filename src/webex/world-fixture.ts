/**
 * What a served world starts from: the organisations, admins and users of a scenario file (its steps are
 * not run), or a small built-in organisation when none is given.
 */
import type { Admin, ControlHubState, FailureBehaviour } from '../domain/index.ts';
import { buildWorld } from '../scenario/scenario-world.ts';
import { type Scenario, scenarioSchema } from '../scenario/schema.ts';

export interface WorldFixture {
  readonly hub: ControlHubState;
  readonly admins: ReadonlyMap<string, Admin>;
  readonly recorders: ReadonlyMap<
    string,
    { readonly failureBehaviour: FailureBehaviour; readonly waitMs: number }
  >;
}

export function fixtureFromScenario(scenario: Scenario): WorldFixture {
  const world = buildWorld(scenario);
  return {
    hub: world.hub,
    admins: world.admins,
    recorders: new Map(scenario.orgs.map((o) => [o.id, o.recorder])),
  };
}

/** One organisation (Acme), its customer admin and two Professional users: enough to try the API. */
export const BUILT_IN_SCENARIO: Scenario = scenarioSchema.parse({
  name: 'built-in organisation',
  orgs: [{ id: 'acme', customerName: 'Acme s.r.o.' }],
  admins: [{ email: 'admin@acme.example', role: 'customer-admin', org: 'acme' }],
  users: [
    { id: 'alice', firstName: 'Alice', lastName: 'Novak', email: 'alice@acme.example' },
    { id: 'bob', firstName: 'Bob', lastName: 'Dvorak', email: 'bob@acme.example' },
  ],
  steps: [{ at: '0s', advance: true }],
});
