/** The same scenario gives the same verdict with and without the sink: the impairment applies in both. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkTarget } from '../../src/platform/sink-target.ts';
import { startEmbeddedSink } from '../../src/scenario/embedded-sink.ts';
import { parseScenarioText } from '../../src/scenario/load-scenario.ts';
import { runScenarios, runScenariosWithSink } from '../../src/scenario/run-scenarios.ts';

const text = (lost: string) => `
name: lossy network
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }]
steps:
  - enable: { user: alice, by: it@acme.example, acceptTerms: true, settings: { record: Always } }
  - call:
      id: c1
      user: alice
      impairment: { lossRate: 0.05 }
      events: [{ at: 0s, do: answer }, { at: 20s, do: hang-up }]
expect:
  calls:
    c1: { streams: { lost: ${lost} } }
`;

let sink: SinkTarget;
beforeAll(async () => {
  sink = await startEmbeddedSink(':memory:');
});
afterAll(async () => {
  await sink.close();
});

describe('impairment with and without --no-sink', () => {
  it.each([
    ['expects loss', '{ min: 1 }'],
    ['expects none', '{ max: 0 }'],
  ])('%s: the same verdict and the same counts in both', async (_name, lost) => {
    const loaded = [{ file: 'lossy.yaml', scenario: parseScenarioText(text(lost), 'lossy.yaml') }];
    const without = runScenarios(loaded, { seed: 's' }).scenarios[0];
    const withSink = (await runScenariosWithSink(loaded, { seed: 's', sink })).scenarios[0];
    const streams = (r: typeof without) =>
      r?.calls[0]?.recordings[0]?.streams.map((s) => [s.packets, s.lost]);
    expect(streams(without)).toEqual(streams(withSink));
    expect(without?.passed).toBe(withSink?.passed);
    expect(streams(withSink)?.every(([, l]) => (l ?? 0) > 0)).toBe(true);
  });
});
