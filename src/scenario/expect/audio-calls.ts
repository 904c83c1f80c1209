/** Which calls' stored audio a scenario's expectations read (the call itself and any it must differ from). */
import type { Scenario } from '../schema.ts';

export function callsWithAudioExpectations(scenario: Scenario): Set<string> {
  const ids = new Set<string>();
  for (const [callId, wanted] of Object.entries(scenario.expect.calls ?? {})) {
    if (wanted.audio === undefined) continue;
    ids.add(callId);
    const others = wanted.audio.distinctFrom;
    for (const other of others === undefined ? [] : Array.isArray(others) ? others : [others]) ids.add(other);
  }
  return ids;
}
