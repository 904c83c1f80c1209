/**
 * How the recording connection (connection.ts) reads the sink's text messages on one socket: parse the
 * JSON envelope, then check the server's `seq` (1, 2, 3… per connection and direction). Binary messages
 * from the sink are ignored. What a bad message does is the caller's choice: a one-recording connection
 * keeps the fault for when the socket closes, a multiplexed one fails its recordings.
 */
import type WebSocket from 'ws';
import type { ServerMessage } from '../protocol/messages.ts';
import { checkSeq, parseServerText } from '../protocol/parse-message.ts';
import type { SinkFault } from '../protocol/sink-errors.ts';

/** `parse`: not a valid server message (JSON, schema); `seq`: a gap, repeat or regression of the server seq. */
export type ServerMessageFaultStage = 'parse' | 'seq';

export interface ServerMessageHandlers {
  /** A valid message in sequence. */
  message(message: ServerMessage): void;
  /** A message that cannot be used; the seq is not advanced. The caller decides what happens next. */
  fault(fault: SinkFault, stage: ServerMessageFaultStage): void;
}

/**
 * Reads every text message of `socket`; the seq starts from 0 for each socket, as each connection has
 * its own numbering.
 */
export function readServerMessages(socket: WebSocket, handlers: ServerMessageHandlers): void {
  let serverSeq = 0;
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const parsed = parseServerText(String(data));
    if (!parsed.ok) return handlers.fault(parsed.fault, 'parse');
    const seqFault = checkSeq(serverSeq, parsed.message.seq);
    if (seqFault) return handlers.fault(seqFault, 'seq');
    serverSeq = parsed.message.seq;
    handlers.message(parsed.message);
  });
}
