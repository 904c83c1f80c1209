/**
 * Puts timed commands on the clock before the call runs. Because the clock runs things due at the same
 * instant in the order they were scheduled, a command always wins over a machine timer due at the same
 * millisecond (a hang-up at 3,600 s cancels the tone due at 3,600 s).
 */
import type { CallCommand } from '../../machines/call-events.ts';
import type { TimerClock } from '../time/clock.ts';
import type { CallRun } from './call-run.ts';

export function scheduleCommands(
  clock: TimerClock & { nowMs(): number },
  call: Pick<CallRun, 'send'>,
  steps: readonly (readonly [atMs: number, command: CallCommand])[],
): void {
  const startMs = clock.nowMs();
  for (const [atMs, command] of steps)
    clock.setTimeout(() => call.send(command), Math.max(0, atMs - startMs));
}
