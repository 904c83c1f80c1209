/**
 * The recording client's reconnect machine on the virtual clock, without sockets: a table of event
 * sequences → the state reached and the effects emitted, and a property over any sequence of drops, failed
 * and successful attempts and checkpoints (pinned seed; a failure prints the seed and path that replay it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  type ReconnectEffect,
  type ReconnectEvent,
  type ReconnectPolicy,
  reconnectDelayMsOf,
  reconnectMachine,
} from '../../machines/reconnect-machine.ts';
import { createJournal } from '../../src/platform/journal.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';

const AUTO: ReconnectPolicy = {
  automatic: true,
  maxReconnects: 3,
  reconnectDelayMs: 100,
  maxReconnectDelayMs: 250,
};
const MANUAL: ReconnectPolicy = { ...AUTO, automatic: false };

/** An event, or `+ms`: move the virtual clock on. */
type Step = ReconnectEvent['type'] | `+${number}`;

function run(policy: ReconnectPolicy, steps: readonly Step[]) {
  const clock = createVirtualClock();
  const actor = createActor(reconnectMachine, { input: { policy }, clock });
  const effects: string[] = [];
  actor.on('*', (effect: ReconnectEffect) => {
    const n = effect.type === 'give-up' ? effect.attempts : effect.attempt;
    effects.push(`${effect.type}#${n}@${clock.nowMs()}`);
  });
  actor.start();
  for (const step of steps) {
    if (step.startsWith('+')) clock.advanceBy(Number(step.slice(1)));
    else actor.send({ type: step } as ReconnectEvent);
  }
  const snapshot = actor.getSnapshot();
  actor.stop();
  return {
    state: snapshot.value,
    effects,
    pending: clock.pendingCount(),
    reconnects: snapshot.context.reconnects,
  };
}

describe('reconnect machine: events → state and effects', () => {
  const rows: {
    name: string;
    policy: ReconnectPolicy;
    steps: Step[];
    state: string;
    effects: string[];
  }[] = [
    { name: 'starts connected, nothing to do', policy: AUTO, steps: [], state: 'connected', effects: [] },
    {
      name: 'a drop waits reconnectDelayMs, then connects',
      policy: AUTO,
      steps: ['DROPPED', '+99'],
      state: 'waiting',
      effects: [],
    },
    {
      name: 'the attempt starts when the backoff is over',
      policy: AUTO,
      steps: ['DROPPED', '+100'],
      state: 'connecting',
      effects: ['connect#1@100'],
    },
    {
      name: 'success resumes once and is connected again',
      policy: AUTO,
      steps: ['DROPPED', '+100', 'CONNECTED'],
      state: 'connected',
      effects: ['connect#1@100', 'resume#1@100'],
    },
    {
      name: 'failed attempts double the wait up to maxReconnectDelayMs, then give up',
      policy: AUTO,
      steps: ['DROPPED', '+100', 'ATTEMPT_FAILED', '+200', 'ATTEMPT_FAILED', '+250', 'ATTEMPT_FAILED'],
      state: 'gaveUp',
      effects: ['connect#1@100', 'connect#2@300', 'connect#3@550', 'give-up#3@550'],
    },
    {
      name: 'a success starts the count again',
      policy: AUTO,
      steps: ['DROPPED', '+100', 'ATTEMPT_FAILED', '+200', 'CONNECTED', 'DROPPED', '+100'],
      state: 'connecting',
      effects: ['connect#1@100', 'connect#2@300', 'resume#2@300', 'connect#1@400'],
    },
    {
      name: 'STOP while waiting cancels the timer',
      policy: AUTO,
      steps: ['DROPPED', 'STOP', '+1000'],
      state: 'stopped',
      effects: [],
    },
    {
      name: 'manual: a drop waits for the caller, with no timer',
      policy: MANUAL,
      steps: ['DROPPED', '+10000'],
      state: 'down',
      effects: [],
    },
    {
      name: 'manual: RECONNECT connects at once; a failure waits for the caller again',
      policy: MANUAL,
      steps: ['DROPPED', 'RECONNECT', 'ATTEMPT_FAILED', '+10000', 'RECONNECT', 'CONNECTED'],
      state: 'connected',
      effects: ['connect#1@0', 'connect#1@10000', 'resume#1@10000'],
    },
    {
      name: 'manual: RECONNECT replaces a live connection',
      policy: MANUAL,
      steps: ['RECONNECT', 'CONNECTED'],
      state: 'connected',
      effects: ['connect#1@0', 'resume#1@0'],
    },
  ];

  it.each(rows)('$name', ({ policy, steps, state, effects }) => {
    const result = run(policy, steps);
    expect(result.state).toBe(state);
    expect(result.effects).toEqual(effects);
    if (state !== 'waiting') expect(result.pending).toBe(0);
  });
});

type Command =
  | { kind: 'drop' }
  | { kind: 'fail' }
  | { kind: 'succeed' }
  | { kind: 'send'; packets: number }
  | { kind: 'checkpoint' }
  | { kind: 'wait'; ms: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.constant<Command>({ kind: 'drop' }),
  fc.constant<Command>({ kind: 'fail' }),
  fc.constant<Command>({ kind: 'succeed' }),
  fc.integer({ min: 1, max: 4 }).map<Command>((packets) => ({ kind: 'send', packets })),
  fc.constant<Command>({ kind: 'checkpoint' }),
  fc.integer({ min: 0, max: 3000 }).map<Command>((ms) => ({ kind: 'wait', ms })),
);

const policyArb: fc.Arbitrary<ReconnectPolicy> = fc
  .record({
    maxReconnects: fc.integer({ min: 1, max: 6 }),
    reconnectDelayMs: fc.integer({ min: 0, max: 300 }),
    extraMs: fc.integer({ min: 0, max: 2000 }),
  })
  .map(({ maxReconnects, reconnectDelayMs, extraMs }) => ({
    automatic: true,
    maxReconnects,
    reconnectDelayMs,
    maxReconnectDelayMs: reconnectDelayMs + extraMs,
  }));

/**
 * Drives the machine as the client does: its `connect` opens an attempt the commands then fail or let
 * succeed, its `resume` resends the journal (the real one), and packets sent while down wait in it.
 */
function checkSequence(policy: ReconnectPolicy, commands: readonly Command[]): void {
  const clock = createVirtualClock();
  const actor = createActor(reconnectMachine, { input: { policy }, clock });
  const journal = createJournal(Number.POSITIVE_INFINITY);
  let up = true;
  let attemptOpen = false;
  let sentOnSocket = 0;
  let nextPacket = 0;
  /** Attempts since the drop; when the current wait began. */
  let attempts = 0;
  let waitStartedMs = 0;
  let gaveUp = false;
  const resent = new Map<number, number>();
  /** Broken promises, found in the machine's effects (an effect run by a timer cannot throw to here). */
  const violations: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) violations.push(`${what} at ${clock.nowMs()} ms`);
  };

  actor.on('connect', (effect) => {
    attempts += 1;
    check(attempts <= policy.maxReconnects, `attempt ${attempts} beyond maxReconnects`);
    check(
      effect.attempt === attempts,
      `the machine counts attempt ${effect.attempt}, the client ${attempts}`,
    );
    const waitedMs = clock.nowMs() - waitStartedMs;
    check(waitedMs === reconnectDelayMsOf(policy, attempts), `attempt ${attempts} after ${waitedMs} ms`);
    check(
      waitedMs >= policy.reconnectDelayMs && waitedMs <= policy.maxReconnectDelayMs,
      `a wait of ${waitedMs} ms outside the policy`,
    );
    attemptOpen = true;
  });
  actor.on('resume', () => {
    const unacked = journal.unackedFrames;
    sentOnSocket = 0;
    resent.clear();
    journal.resend({
      frame: (bytes) => {
        const id = new DataView(bytes.buffer).getUint32(0);
        resent.set(id, (resent.get(id) ?? 0) + 1);
        return ++sentOnSocket;
      },
      text: () => 0,
      keep: () => true,
    });
    // Every packet no checkpoint covered goes again, once; none that one covered.
    check(resent.size === unacked, `${resent.size} packets resent of ${unacked} unacknowledged`);
    for (const [id, count] of resent) check(count === 1, `packet ${id} resent ${count} times`);
    up = true;
  });
  actor.on('give-up', (effect) => {
    check(effect.attempts === policy.maxReconnects, `gave up after ${effect.attempts} attempts`);
    check(attempts === policy.maxReconnects, `gave up after ${attempts} connects`);
    gaveUp = true;
  });
  actor.start();

  for (const command of commands) {
    if (gaveUp) break;
    switch (command.kind) {
      case 'drop':
        if (!up) break;
        up = false;
        attempts = 0;
        waitStartedMs = clock.nowMs();
        journal.forgetSent();
        actor.send({ type: 'DROPPED' });
        break;
      case 'fail':
        if (!attemptOpen) break;
        attemptOpen = false;
        waitStartedMs = clock.nowMs();
        actor.send({ type: 'ATTEMPT_FAILED' });
        break;
      case 'succeed':
        if (!attemptOpen) break;
        attemptOpen = false;
        actor.send({ type: 'CONNECTED' });
        break;
      case 'send':
        for (let i = 0; i < command.packets; i++) {
          const bytes = new Uint8Array(4);
          new DataView(bytes.buffer).setUint32(0, nextPacket++);
          journal.addFrame(bytes, up ? ++sentOnSocket : 0);
        }
        break;
      case 'checkpoint':
        if (up) journal.acknowledge(0, sentOnSocket);
        break;
      case 'wait':
        clock.advanceBy(command.ms);
        break;
    }
    const state = actor.getSnapshot().value;
    check((state === 'connected') === (up && !gaveUp), `state ${String(state)} after ${command.kind}`);
    if (violations.length > 0) break;
  }
  actor.stop();
  if (violations.length > 0) throw new Error(violations.join('; '));
}

describe('reconnect machine: property', () => {
  it('whatever the drops and attempts: attempts within the policy, waits within its bounds, each unacknowledged packet resent once per success', () => {
    fc.assert(
      fc.property(policyArb, fc.array(commandArb, { maxLength: 60, size: 'max' }), (policy, commands) =>
        checkSequence(policy, commands),
      ),
      { seed: 20260412, numRuns: 400 },
    );
  });

  it('fails a broken backoff (the property can fail)', () => {
    const broken = (policy: ReconnectPolicy, commands: readonly Command[]) =>
      checkSequence({ ...policy, maxReconnectDelayMs: policy.reconnectDelayMs - 1 }, commands);
    expect(() =>
      fc.assert(
        fc.property(
          policyArb.filter((p) => p.reconnectDelayMs > 0),
          fc.constant<Command[]>([{ kind: 'drop' }, { kind: 'wait', ms: 5000 }]),
          broken,
        ),
        { seed: 1, numRuns: 20 },
      ),
    ).toThrow(/seed: 1/);
  });
});
