/** When gathered audio commits and what a checkpoint may promise (docs/sink-protocol.md, "Checkpoints"). */
import { describe, expect, it } from 'vitest';
import { createCommitSchedule, createDurabilityMarks } from '../../../src/dubber/ingest/commit-schedule.ts';

describe('commit schedule', () => {
  it('commits every frame by default, even a frame with nothing gathered', () => {
    const s = createCommitSchedule<string>({ mediaCommitFrames: 1 });
    s.admit('a');
    expect(s.frameEnded(1)).toBe(true);
    s.gathered('a', 2);
    expect(s.frameEnded(2)).toBe(true);
    expect(s.take()).toEqual(['a']);
    expect(s.gatheringCount).toBe(0);
  });

  it('with mediaCommitFrames 10, recordings take turns in slices, offset by the connection phase', () => {
    const s = createCommitSchedule<string>({ mediaCommitFrames: 10, commitPhase: 3 });
    for (const r of ['a', 'b', 'c']) s.admit(r);
    for (const r of ['a', 'b', 'c']) s.gathered(r, 1);
    const dueAt: Record<number, readonly string[]> = {};
    for (let frame = 1; frame <= 10; frame++) if (s.frameEnded(frame)) dueAt[frame] = s.take();
    // Two slices of 5 frames: a and c in slot 3, b in slot 8.
    expect(dueAt).toEqual({ 3: ['a', 'c'], 8: ['b'] });
  });

  it('a frame still gathering bounds what is durable; a ping commits everything', () => {
    const s = createCommitSchedule<string>({ mediaCommitFrames: 10 });
    s.admit('a');
    s.admit('b');
    s.gathered('a', 4);
    s.gathered('b', 7);
    expect(s.durableFrames(9)).toBe(3);
    s.sealed('a');
    expect(s.durableFrames(9)).toBe(6);
    s.commitAll();
    expect(s.take()).toEqual(['b']);
    expect(s.durableFrames(9)).toBe(9);
  });

  it('a checkpoint promises only what the finished commit stored, at most every N frames', () => {
    const m = createDurabilityMarks(25);
    m.mark(4, 30);
    expect([m.durableSeq, m.durableFrames, m.checkpointDue()]).toEqual([0, 0, false]);
    m.committed();
    expect([m.durableSeq, m.durableFrames, m.checkpointDue()]).toEqual([4, 30, true]);
    m.checkpointed();
    m.mark(5, 40);
    m.committed();
    expect(m.checkpointDue()).toBe(false);
  });
});
