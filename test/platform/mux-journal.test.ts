/**
 * The pure parts of the multiplexed client's reconnect, without sockets: the journal (acknowledged per
 * connection, resent in the original order, bounded) and the attempts' backoff on the virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { reconnectMachine } from '../../machines/reconnect-machine.ts';
import { createJournal as createMuxJournal, type JournalText } from '../../src/platform/journal.ts';
import {
  DEFAULT_MUX_RECONNECT,
  machinePolicyOf,
  muxReconnectPolicy,
  reconnectDelayMsOf,
  reconnectsAfterClose,
  reconnectsAfterFault,
} from '../../src/platform/reconnect-policy.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';

const frame = (n: number) => new Uint8Array([n]);
const closeOf = (id: string): JournalText => ({
  id,
  type: 'close',
  positionMs: 0,
  parameters: { reason: 'end' },
});

/** Resends into a list of what went out, numbering frames and seqs from 1 as a new connection does. */
function resendAll(
  journal: ReturnType<typeof createMuxJournal>,
  keep: (t: JournalText) => boolean = () => true,
) {
  const sent: string[] = [];
  let frames = 0;
  let seq = 0;
  journal.resend({
    frame: (bytes) => {
      sent.push(`f${bytes[0]}`);
      return ++frames;
    },
    text: (t) => {
      sent.push(`close:${t.id}`);
      return ++seq;
    },
    keep,
  });
  return sent;
}

describe('mux journal', () => {
  it('drops what a checkpoint covers and resends the rest in the original order', () => {
    const journal = createMuxJournal(100);
    journal.addFrame(frame(1), 1);
    journal.addFrame(frame(2), 2);
    journal.addText(closeOf('a'), 3);
    journal.addFrame(frame(3), 3);
    journal.addFrame(frame(4), 0); // queued while the connection was down
    journal.acknowledge(2, 1); // seq 2 covers no close; frame 1 is durable
    expect(journal.unackedFrames).toBe(3);
    expect(journal.durableFrames).toBe(1);
    journal.forgetSent();
    expect(resendAll(journal)).toEqual(['f2', 'close:a', 'f3', 'f4']);
    journal.acknowledge(1, 3); // on the new connection: seq 1 (the close) and frames 1–3
    expect(journal.unackedFrames).toBe(0);
    expect(journal.durableFrames).toBe(4);
    expect(resendAll(journal)).toEqual([]);
  });

  it('leaves out closes of recordings that are not reopened', () => {
    const journal = createMuxJournal(100);
    journal.addText(closeOf('gone'), 1);
    journal.addFrame(frame(1), 1);
    journal.addText(closeOf('kept'), 2);
    journal.forgetSent();
    expect(resendAll(journal, (t) => t.id === 'kept')).toEqual(['f1', 'close:kept']);
    journal.forgetSent();
    expect(resendAll(journal)).toEqual(['f1', 'close:kept']);
  });

  it('drops its frames when no recording they carry is open any more, and keeps the texts', () => {
    const journal = createMuxJournal(100);
    journal.addFrame(frame(1), 1);
    journal.addText(closeOf('a'), 2);
    journal.addFrame(frame(2), 2);
    journal.forgetSent();
    journal.dropFrames();
    expect(journal.unackedFrames).toBe(0);
    expect(journal.isFull).toBe(false);
    expect(resendAll(journal)).toEqual(['close:a']);
  });

  it('is full at maxJournalFrames unacknowledged frames', () => {
    const journal = createMuxJournal(2);
    journal.addFrame(frame(1), 1);
    expect(journal.isFull).toBe(false);
    journal.addFrame(frame(2), 2);
    expect(journal.isFull).toBe(true);
    journal.acknowledge(0, 1);
    expect(journal.isFull).toBe(false);
  });
});

describe('mux reconnect policy and attempts', () => {
  it('doubles the wait from reconnectDelayMs up to maxReconnectDelayMs', () => {
    const policy = muxReconnectPolicy({ reconnectDelayMs: 100, maxReconnectDelayMs: 500 });
    expect([1, 2, 3, 4, 5].map((n) => reconnectDelayMsOf(policy, n))).toEqual([100, 200, 400, 500, 500]);
    expect(muxReconnectPolicy({})).toEqual(DEFAULT_MUX_RECONNECT);
  });

  it('reconnects after a drop, a shutdown or a failed commit, not after what the sink would refuse again', () => {
    expect(reconnectsAfterClose(1006)).toBe(true);
    expect(reconnectsAfterClose(1001)).toBe(true);
    expect(reconnectsAfterClose(1009)).toBe(false);
    expect(reconnectsAfterClose(1002)).toBe(false);
    expect(reconnectsAfterFault('SINK_ERR_SHUTDOWN')).toBe(true);
    expect(reconnectsAfterFault('SINK_ERR_STORAGE')).toBe(true);
    expect(reconnectsAfterFault('SINK_ERR_SEQ')).toBe(false);
    expect(reconnectsAfterFault(undefined)).toBe(false);
  });

  it('makes at most maxReconnects attempts on the clock, then gives up; success starts the count again', () => {
    const clock = createVirtualClock();
    const policy = muxReconnectPolicy({ reconnectDelayMs: 10, maxReconnectDelayMs: 40, maxReconnects: 3 });
    const at: number[] = [];
    let gaveUp = 0;
    const start = () => {
      const actor = createActor(reconnectMachine, { input: { policy: machinePolicyOf(policy) }, clock });
      actor.on('connect', () => at.push(clock.nowMs()));
      actor.on('give-up', () => {
        gaveUp += 1;
      });
      return actor.start();
    };
    const attempts = start();
    attempts.send({ type: 'DROPPED' });
    for (let i = 0; i < 3; i++) {
      clock.advanceBy(1000);
      attempts.send({ type: 'ATTEMPT_FAILED' });
    }
    expect(at).toEqual([10, 1020, 2040]); // each attempt fails; the waits were 10, 20, 40 virtual ms
    expect(gaveUp).toBe(1);
    const again = start();
    again.send({ type: 'DROPPED' });
    clock.advanceBy(10);
    again.send({ type: 'CONNECTED' }); // success starts the count again
    again.send({ type: 'DROPPED' });
    expect(clock.nextDueMs()).toBe(clock.nowMs() + 10);
    again.send({ type: 'STOP' });
    expect(clock.pendingCount()).toBe(0);
  });
});
