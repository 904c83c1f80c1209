/** Call logs the media tests replay: small builders over the machine's CallLogEvent contract. */
import type { CallLogEvent, MediaAction } from '../../machines/call-events.ts';

export function media(atMs: number, action: MediaAction, provisional?: boolean): CallLogEvent {
  return provisional === undefined
    ? { atMs, type: 'media', action }
    : { atMs, type: 'media', action, provisional };
}

export function call(atMs: number, phase: 'connected' | 'ended'): CallLogEvent {
  return { atMs, type: 'call', phase };
}

/** S22 Always: recording from connect to hang-up. */
export function alwaysCall(durationMs: number, connectAtMs = 0): CallLogEvent[] {
  return [
    call(connectAtMs, 'connected'),
    media(connectAtMs, 'open'),
    media(connectAtMs + durationMs, 'close'),
    call(connectAtMs + durationMs, 'ended'),
  ];
}
