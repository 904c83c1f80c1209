/**
 * The machine's own documentation: every state has a title, a description and (where it reports one) the
 * API recordingState as a tag that agrees with the selectors; every guard is in the glossary; and the
 * scenario schema's commands are exactly the machine's external events.
 */
import { describe, expect, it } from 'vitest';
import { CALL_COMMANDS, eventTypeOfCommand } from '../../machines/call-commands.ts';
import { callMachine } from '../../machines/call-machine.ts';
import { GUARD_DOCS, STATE_DOCS } from '../../machines/call-state-docs.ts';
import { listStateNodes, listTransitions } from '../../src/call/machine-graph.ts';
import { guardRows, regionMermaid, stateRows } from '../../src/call/machine-regions.ts';
import { CALL_ACTIONS } from '../../src/scenario/schema.ts';

describe('call machine docs', () => {
  it('every state carries an XState description and a title, and no doc names a state that is gone', () => {
    const paths = listStateNodes(callMachine)
      .filter((n) => n.path.length > 0)
      .map((n) => n.path.join('.'));
    expect(paths.filter((p) => STATE_DOCS[p] === undefined)).toEqual([]);
    expect(Object.keys(STATE_DOCS).filter((p) => !paths.includes(p))).toEqual([]);
    const undescribed = listStateNodes(callMachine).filter((n) => n.path.length > 0 && !n.description);
    expect(undescribed.map((n) => n.id)).toEqual([]);
  });

  it("a state's api: tag is the recordingState the selectors report there", () => {
    for (const row of stateRows(callMachine)) {
      const tag = row.tags.find((t) => t.startsWith('api:'));
      if (tag === undefined) continue;
      expect(row.recordingState?.split(' ')[0], row.path).toBe(tag.slice('api:'.length));
    }
  });

  it('snapshots expose the tags (hasTag), as XState tags', () => {
    const connecting = callMachine.root.states.live?.states.recording?.states.connecting;
    expect(connecting?.tags).toContain('api:pending');
  });

  it('every guard used by a transition has a glossary entry, and every entry is used', () => {
    const used = new Set(listTransitions(callMachine).flatMap((t) => (t.guard === null ? [] : [t.guard])));
    expect([...used].filter((g) => GUARD_DOCS[g] === undefined)).toEqual([]);
    expect(Object.keys(GUARD_DOCS).filter((g) => !used.has(g))).toEqual([]);
    expect(guardRows(callMachine).every((g) => g.meaning.length > 0 && g.usedOn.length > 0)).toBe(true);
  });

  it('region diagrams use readable titles, not internal ids', () => {
    const recording = regionMermaid(callMachine, 'live.recording');
    expect(recording).toContain('state "Asking the recorder" as connecting');
    expect(recording).not.toContain('live_recording_');
    expect(recording).toContain('connecting --> recording : after recorderAnswerMs [recorderAnswers]');
  });

  it("the scenario schema's commands are the machine's external events", () => {
    expect([...CALL_ACTIONS]).toEqual([...CALL_COMMANDS]);
    const external = callMachine.events.filter(
      (e) => e !== 'END_CALL_AFTER_FAILURE' && e !== 'RETRANSMISSION_ANSWERED' && !e.startsWith('xstate.'),
    );
    expect(CALL_COMMANDS.map(eventTypeOfCommand).sort()).toEqual([...external].sort());
    expect([...CALL_COMMANDS].sort()).toEqual(
      [
        'answer',
        'hang-up',
        'hold',
        'unhold',
        'start',
        'stop',
        'pause',
        'resume',
        'recorder-down',
        'recorder-up',
      ].sort(),
    );
  });
});
