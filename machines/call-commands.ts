/**
 * The commands a scenario or a test may send a call, derived from the events the call machine accepts:
 * each external event type in kebab-case (`HANG_UP` → `hang-up`). Adding an event to the machine adds
 * the command to the scenario schema; internal events the machine raises itself are not commands.
 */
import type { CallCommand } from './call-events.ts';
import { type CallCommandEvent, type CallMachineEvent, callMachine } from './call-machine.ts';

const INTERNAL_EVENTS: readonly Exclude<CallMachineEvent, CallCommandEvent>['type'][] = [
  'END_CALL_AFTER_FAILURE',
  'RETRANSMISSION_ANSWERED',
];

export function commandOfEventType(type: CallCommandEvent['type']): CallCommand {
  return type.toLowerCase().replace(/_/g, '-') as CallCommand;
}

export function eventTypeOfCommand(command: CallCommand): CallCommandEvent['type'] {
  return command.toUpperCase().replace(/-/g, '_') as CallCommandEvent['type'];
}

/** Every command, in the order the machine first names its event. */
export const CALL_COMMANDS = callMachine.events
  .filter((type) => !type.startsWith('xstate.') && !(INTERNAL_EVENTS as readonly string[]).includes(type))
  .map((type) => commandOfEventType(type as CallCommandEvent['type'])) as unknown as readonly [
  CallCommand,
  ...CallCommand[],
];
