/**
 * The platform recording client's reconnect, as one XState v5 machine: after a connection drops it waits
 * (backoff on the injected clock), connects again, and once the recordings are reopened resends what no
 * checkpoint covered; after `maxReconnects` failed attempts it gives up. With `automatic: false` a drop
 * leaves it `down` until the caller asks for a reconnect (the one-recording client's `reconnect()`).
 *
 * Effects are `emit`ted and carried out by the client (src/platform/connection.ts): `connect` (open a new
 * socket and reopen the recordings), `resume` (resend the journal and the waiting pings; once per success),
 * `give-up` (fail every recording). The wait before each attempt is the named delay `backoffMs`.
 */
import { assign, emit, setup } from 'xstate';

/** The backoff as data: attempt n waits `min(reconnectDelayMs × 2^(n−1), maxReconnectDelayMs)`. */
export interface ReconnectPolicy {
  /** false: a drop waits for the caller's RECONNECT, with no timer and no bound. */
  readonly automatic: boolean;
  /** Attempts after one drop before giving up; a reconnect that works starts the count again. */
  readonly maxReconnects: number;
  readonly reconnectDelayMs: number;
  readonly maxReconnectDelayMs: number;
}

/** The wait before attempt `attempt` (1, 2, …): reconnectDelayMs, doubling, at most maxReconnectDelayMs. */
export function reconnectDelayMsOf(
  policy: Pick<ReconnectPolicy, 'reconnectDelayMs' | 'maxReconnectDelayMs'>,
  attempt: number,
): number {
  return Math.min(policy.reconnectDelayMs * 2 ** (attempt - 1), policy.maxReconnectDelayMs);
}

export type ReconnectEvent =
  /** The connection dropped in a way another connection may mend (network, shutdown, failed commit). */
  | { type: 'DROPPED' }
  /** The caller asks for a new connection now (manual reconnect; also replaces a live connection). */
  | { type: 'RECONNECT' }
  /** The attempt's socket is open and every recording it reopens has answered. */
  | { type: 'CONNECTED' }
  /** The attempt's socket closed or its upgrade was refused before it was ready. */
  | { type: 'ATTEMPT_FAILED' }
  /** No more reconnecting: the caller ended the connection or it failed for good. */
  | { type: 'STOP' };

export type ReconnectEffect =
  | { type: 'connect'; attempt: number }
  | { type: 'resume'; attempt: number }
  | { type: 'give-up'; attempts: number };

export interface ReconnectContext {
  readonly policy: ReconnectPolicy;
  /** Attempts made since the last drop (0 while connected). */
  readonly attempt: number;
  /** Reconnects that worked. */
  readonly reconnects: number;
}

export const reconnectMachine = setup({
  types: {
    context: {} as ReconnectContext,
    events: {} as ReconnectEvent,
    input: {} as { policy: ReconnectPolicy },
    emitted: {} as ReconnectEffect,
  },
  guards: {
    isAutomatic: ({ context }) => context.policy.automatic,
    attemptsLeft: ({ context }) => context.attempt < context.policy.maxReconnects,
  },
  delays: {
    backoffMs: ({ context }) => reconnectDelayMsOf(context.policy, context.attempt),
  },
  actions: {
    countAttempt: assign({ attempt: ({ context }) => context.attempt + 1 }),
    countReconnect: assign({ attempt: 0, reconnects: ({ context }) => context.reconnects + 1 }),
    forgetAttempts: assign({ attempt: 0 }),
    connect: emit(({ context }) => ({ type: 'connect' as const, attempt: context.attempt })),
    resume: emit(({ context }) => ({ type: 'resume' as const, attempt: context.attempt })),
    giveUp: emit(({ context }) => ({ type: 'give-up' as const, attempts: context.attempt })),
  },
}).createMachine({
  id: 'reconnect',
  context: ({ input }) => ({ policy: input.policy, attempt: 0, reconnects: 0 }),
  initial: 'connected',
  on: { STOP: '.stopped' },
  states: {
    connected: {
      on: {
        DROPPED: [{ guard: 'isAutomatic', target: 'waiting', actions: 'countAttempt' }, { target: 'down' }],
        RECONNECT: { target: 'connecting', actions: 'countAttempt' },
      },
    },
    /** Waiting out the backoff before the next attempt. */
    waiting: {
      after: { backoffMs: 'connecting' },
    },
    /** Dropped, and the caller decides when to reconnect. */
    down: {
      entry: 'forgetAttempts',
      on: { RECONNECT: { target: 'connecting', actions: 'countAttempt' } },
    },
    connecting: {
      entry: 'connect',
      on: {
        CONNECTED: { target: 'connected', actions: ['resume', 'countReconnect'] },
        ATTEMPT_FAILED: [{ guard: 'isAutomatic', target: 'retrying' }, { target: 'down' }],
        RECONNECT: { target: 'connecting', reenter: true, actions: 'countAttempt' },
      },
    },
    /** An automatic attempt failed: wait again, or give up once maxReconnects were made. */
    retrying: {
      always: [{ guard: 'attemptsLeft', target: 'waiting', actions: 'countAttempt' }, { target: 'gaveUp' }],
    },
    gaveUp: { type: 'final', entry: 'giveUp' },
    stopped: { type: 'final' },
  },
});

export type ReconnectStateValue =
  | 'connected'
  | 'waiting'
  | 'down'
  | 'connecting'
  | 'retrying'
  | 'gaveUp'
  | 'stopped';
