import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { callMachine } from '../../machines/call-machine.ts';
import { listStateNodes, listTransitions } from '../../src/call/machine-graph.ts';
import { callInputArb } from './arbitraries.ts';
import { type CallRun, callRunArb, runAgainstModel } from './call-property.ts';
import { AdvanceClock, SendCommand } from './commands.ts';

describe('transition coverage of the call machine (xstate graph + inspection)', () => {
  it('every state and every transition of the machine is exercised by the property runs', () => {
    const transitions = listTransitions(callMachine);
    const keyOf = new Map(transitions.map((t) => [t.definition, t.key]));
    const taken = new Set<string>();
    const visited = new Set<string>();
    const inspect = (event: InspectionEvent) => {
      if (event.type !== '@xstate.microstep') return;
      for (const definition of event._transitions) {
        const key = keyOf.get(definition);
        if (key !== undefined) taken.add(key);
      }
      const snapshot = event.snapshot as { _nodes?: { id: string }[] };
      for (const node of snapshot._nodes ?? []) visited.add(node.id);
    };
    fc.assert(
      fc.property(callRunArb, (run) => {
        runAgainstModel(run, inspect);
      }),
      { seed: 97, numRuns: 600 },
    );
    // Rare in random runs: an On Demand recorder back between retransmissions (and the same in Always).
    for (const record of ['On Demand', 'Always'] as const) {
      const [input] = fc.sample(callInputArb, { seed: 1, numRuns: 1 }) as [CallRun[0]];
      const recorderDown: CallRun[0] = {
        ...input,
        settings: { ...input.settings, enabled: true, record },
        voicemail: false,
        recorder: { ...input.recorder, waitMs: 5_000, transport: 'udp' },
        recorderAnswerMs: 200,
        recorderUp: false,
      };
      const steps = [
        new SendCommand('answer'),
        new AdvanceClock(2_000),
        new SendCommand('recorder-up'),
        new AdvanceClock(2_000),
        new SendCommand('hang-up'),
      ];
      runAgainstModel([recorderDown, steps] as unknown as CallRun, inspect);
    }
    const missing = transitions.filter((t) => !taken.has(t.key)).map((t) => t.key);
    const states = listStateNodes(callMachine).map((n) => n.id);
    const unvisited = states.filter((id) => !visited.has(id));
    console.info(
      `call machine coverage: ${taken.size}/${transitions.length} transitions, ${states.length - unvisited.length}/${states.length} states`,
    );
    expect(missing).toEqual([]);
    expect(unvisited).toEqual([]);
  });
});
