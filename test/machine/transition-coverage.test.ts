import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { callMachine } from '../../machines/call-machine.ts';
import { listStateNodes, listTransitions } from '../../src/call/machine-graph.ts';
import { callRunArb, runAgainstModel } from './call-property.ts';

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
