/**
 * The recording connection's own failures with reconnect on, each saying what happened and what to do:
 * reconnecting gave up, the journal bound was reached, the connection was ended mid-reconnect, a recording
 * is not open on the reconnected connection.
 */
import { SimError } from '../errors.ts';
import type { MuxRecording } from './recordings.ts';

export function reconnectGaveUpError(facts: {
  readonly url: string;
  readonly attempts: number;
  readonly unackedFrames: number;
  readonly dropCause: SimError | undefined;
  readonly lastAttemptCause: SimError | undefined;
}): SimError {
  return new SimError(
    'SIM_ERR_SINK_UNAVAILABLE',
    `The multiplexed sink connection dropped (${facts.dropCause?.message}) and ${facts.attempts} reconnect ` +
      `attempts failed (last: ${facts.lastAttemptCause?.message}). Its recordings fail and the ` +
      `${facts.unackedFrames} frames the sink never acknowledged are lost. Check that the sink is running at ` +
      `${facts.url}, then open the recordings again on a new connection (the sink resumes them and drops what ` +
      'it already has); to ride out longer outages raise maxReconnects or maxReconnectDelayMs.',
    {
      details: {
        attempts: facts.attempts,
        unackedFrames: facts.unackedFrames,
        dropCause: facts.dropCause?.toJSON(),
        lastAttemptCause: facts.lastAttemptCause?.toJSON(),
      },
    },
  );
}

export function journalFullError(facts: {
  readonly maxJournalFrames: number;
  readonly durableFrames: number;
  readonly framesSent: number;
  /** Set while the connection is down: the attempt being waited for, of how many. */
  readonly reconnecting: { readonly attempt: number; readonly maxReconnects: number } | undefined;
}): SimError {
  const what = facts.reconnecting
    ? `The connection has been down too long (reconnect attempt ${facts.reconnecting.attempt} of ` +
      `${facts.reconnecting.maxReconnects}): stop sending while \`reconnecting\` is true, or raise maxJournalFrames.`
    : 'The sink has not acknowledged them: ping a recording more often (a ping makes everything sent ' +
      'durable), let the sink checkpoint sooner (its checkpointEveryFrames), or raise maxJournalFrames.';
  return new SimError(
    'SIM_ERR_SINK_UNAVAILABLE',
    `The multiplexed sink connection keeps ${facts.maxJournalFrames} unacknowledged frames for a resend, its ` +
      `maxJournalFrames, and cannot keep another; the connection fails. ${what}`,
    {
      details: {
        maxJournalFrames: facts.maxJournalFrames,
        durableFrames: facts.durableFrames,
        framesSent: facts.framesSent,
      },
    },
  );
}

export function endedWhileReconnectingError(how: 'ended' | 'terminated', unackedFrames: number): SimError {
  return new SimError(
    'SIM_ERR_SINK_UNAVAILABLE',
    `The connection was ${how} while reconnecting to the sink; the ${unackedFrames} frames the sink never ` +
      'acknowledged are lost.',
    { details: { unackedFrames } },
  );
}

export function notOpenAfterReconnectError(rec: MuxRecording): SimError {
  return new SimError(
    'SIM_ERR_SINK_PROTOCOL',
    `Recording "${rec.id}" is not open on the reconnected connection (it is ${rec.status}); open it first.`,
    { details: { recordingId: rec.id, status: rec.status } },
  );
}
