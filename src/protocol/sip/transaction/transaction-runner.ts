/**
 * Runs one transaction reducer on the project's clock (the virtual clock in tests and virtual replays, the
 * real clock live): `start-timer`/`cancel-timer` effects become clock timers whose firing is fed back as a
 * `timer` input; every other effect goes to `onEffect` (send it, deliver it, report the timeout) with the
 * runner, so a TU can answer a delivered request at once, even the one that started the transaction.
 * Nothing here reads the wall clock.
 */
import type { TimerClock } from '../../../time/clock.ts';
import type { Step, TimerName, TransactionEffect } from './transaction-types.ts';

export interface TransactionRunner<S, I> {
  /** Feeds a message or a TU action. */
  send(input: I): void;
  state(): S;
  readonly terminated: boolean;
}

export function runTransaction<S, I>(
  start: Step<S>,
  step: (state: S, input: I | { type: 'timer'; timer: TimerName }) => Step<S>,
  clock: TimerClock,
  onEffect: (effect: TransactionEffect, runner: TransactionRunner<S, I>) => void,
): TransactionRunner<S, I> {
  let state = start.state;
  let terminated = false;
  const timers = new Map<TimerName, unknown>();

  const cancel = (timer: TimerName) => {
    const id = timers.get(timer);
    if (id !== undefined) clock.clearTimeout(id);
    timers.delete(timer);
  };

  const apply = (effects: readonly TransactionEffect[]) => {
    for (const effect of effects) {
      if (effect.type === 'start-timer') {
        cancel(effect.timer);
        const timer = effect.timer;
        timers.set(
          timer,
          clock.setTimeout(() => {
            timers.delete(timer);
            feed({ type: 'timer', timer });
          }, effect.delayMs),
        );
      } else if (effect.type === 'cancel-timer') cancel(effect.timer);
      else {
        if (effect.type === 'terminated') {
          terminated = true;
          for (const name of [...timers.keys()]) cancel(name);
        }
        onEffect(effect, runner);
      }
    }
  };

  const feed = (input: I | { type: 'timer'; timer: TimerName }) => {
    if (terminated) return;
    const next = step(state, input);
    state = next.state;
    apply(next.effects);
  };

  const runner: TransactionRunner<S, I> = {
    send: (input) => feed(input),
    state: () => state,
    get terminated() {
      return terminated;
    },
  };
  apply(start.effects);
  return runner;
}
