/**
 * The IPC between the load generator and a receiver child process (the sink, or the bench's bare ws
 * receiver): request/reply messages over Node's IPC channel. The child side serves `start`, `stats`,
 * `clock` and `stop`; it stops by itself when the parent goes away or its lifetime runs out, so a crashed
 * generator never leaves a receiver behind.
 */
import { SimError } from '../errors.ts';
import type { ReceiverStats } from './load-target.ts';

export type ParentMessage =
  | {
      readonly type: 'start';
      readonly id: number;
      readonly t0Ms: number;
      readonly tickMs: number;
      readonly warmupTicks: number;
    }
  | { readonly type: 'stats'; readonly id: number }
  | { readonly type: 'clock'; readonly id: number }
  | { readonly type: 'stop'; readonly id: number };

export type ChildMessage =
  | { readonly type: 'ready'; readonly info: Readonly<Record<string, string>> }
  | { readonly type: 'reply'; readonly id: number; readonly body: unknown }
  | { readonly type: 'failed'; readonly message: string };

export interface ReceiverHandlers {
  start(t0Ms: number, tickMs: number, warmupTicks: number): void;
  stats(): ReceiverStats;
  /** Reads the child's wall clock (for the offset between the two processes). */
  nowMs(): number;
  stop(): Promise<void>;
}

/** Child side: announces `info`, then answers the parent until stopped. */
export function serveReceiver(
  info: Readonly<Record<string, string>>,
  handlers: ReceiverHandlers,
  maxLifetimeMs: number,
): void {
  const send = process.send?.bind(process);
  if (send === undefined) {
    throw new SimError('SIM_ERR_USAGE', 'A load receiver runs as a child process with an IPC channel.');
  }
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= handlers.stop().finally(() => {
      clearTimeout(lifetime);
      process.off('message', onMessage);
      if (process.connected) process.disconnect();
    });
    return stopping;
  };
  // Bounded in time whatever happens to the parent.
  const lifetime = setTimeout(() => void stop(), maxLifetimeMs);
  lifetime.unref();
  const onMessage = (raw: unknown) => {
    const message = raw as ParentMessage;
    const reply = (body: unknown) => {
      if (process.connected) send({ type: 'reply', id: message.id, body } satisfies ChildMessage);
    };
    switch (message.type) {
      case 'start':
        handlers.start(message.t0Ms, message.tickMs, message.warmupTicks);
        return reply(null);
      case 'stats':
        return reply(handlers.stats());
      case 'clock':
        return reply(handlers.nowMs());
      case 'stop':
        void stop().then(() => reply(null));
        return;
    }
  };
  process.on('message', onMessage);
  process.once('disconnect', () => void stop());
  send({ type: 'ready', info } satisfies ChildMessage);
}
