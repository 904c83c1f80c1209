/**
 * The one place a session's replies are built: each server message numbered (`seq` 1, 2, 3… per
 * connection), answering a client message (`clientseq`) and naming the recording it concerns — on a
 * multiplexed connection, connection-wide replies have id "". An `error` reply carries the fault's code,
 * message and details, fatal or not. The transport only carries the text.
 */
import type { ServerMessage, ServerMessageOf, ServerMessageType } from '../../protocol/messages.ts';
import { serverMessage } from '../../protocol/parse-message.ts';
import type { SinkFault } from '../../protocol/sink-errors.ts';

/** What a reply says about its recording: the id the client chose and the position reached. */
export interface ReplyTarget {
  readonly id: string;
  readonly positionMs: number;
}

export interface Replies {
  send<T extends ServerMessageType>(
    type: T,
    parameters: ServerMessageOf<T>['parameters'],
    target: ReplyTarget | undefined,
    clientseq: number,
  ): void;
  /** Sends an `error` for `fault`. */
  error(fault: SinkFault, fatal: boolean, target: ReplyTarget | undefined, clientseq: number): void;
}

/** The parameters of an `error` reply for `fault`. */
export function errorParameters(fault: SinkFault, fatal: boolean): ServerMessageOf<'error'>['parameters'] {
  return {
    code: fault.code,
    message: fault.message,
    fatal,
    ...(fault.details ? { details: fault.details } : {}),
  };
}

/** Replies handed to `deliver` while `isOpen()`; nothing is numbered once the transport is gone. */
export function createReplies(deliver: (message: ServerMessage) => void, isOpen: () => boolean): Replies {
  let serverSeq = 0;
  const replies: Replies = {
    send(type, parameters, target, clientseq) {
      if (!isOpen()) return;
      serverSeq += 1;
      deliver(
        serverMessage(type, {
          id: target?.id ?? '',
          seq: serverSeq,
          clientseq,
          positionMs: target?.positionMs ?? 0,
          parameters,
        }) as ServerMessage,
      );
    },
    error: (fault, fatal, target, clientseq) =>
      replies.send('error', errorParameters(fault, fatal), target, clientseq),
  };
  return replies;
}
