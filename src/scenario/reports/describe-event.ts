/** One short line per call-log entry, in the words a QA engineer reads in the call semantics doc. */
import type { CallLogEvent } from '../../../machines/call-events.ts';

export function describeEvent(event: CallLogEvent): string {
  switch (event.type) {
    case 'call':
      return `call ${event.phase}`;
    case 'recording':
      return event.reason === undefined
        ? `recording ${event.state}`
        : `recording ${event.state} (${event.reason})`;
    case 'indicator':
      return `indicator ${event.indicator}`;
    case 'media':
      return event.provisional ? `media ${event.action} (provisional)` : `media ${event.action}`;
    case 'announcement': {
      const told = event.reportedToDubber ? 'reported to Dubber' : 'not reported to Dubber';
      return `announcement ${event.kind} (${event.sound}), ${told}`;
    }
    case 'tone':
      return `tone #${event.index}`;
    case 'recorder':
      return `recorder ${event.status}`;
    case 'rejected':
      return `rejected ${event.command}: ${event.reason}`;
  }
}
