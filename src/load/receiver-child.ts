/**
 * Parent side of a receiver child process: spawns `node --import tsx <entry>`, waits for `ready`, then
 * sends requests and awaits replies over IPC. `stop()` asks the child to stop and waits for it to exit,
 * killing it (by its pid, which we spawned) if it does not within a grace period.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { SimError } from '../errors.ts';
import type { ReceiverStats } from './load-target.ts';
import type { ChildMessage, ParentMessage } from './receiver-ipc.ts';

export interface ReceiverChild {
  /** What the child announced when ready (its URLs). */
  readonly info: Readonly<Record<string, string>>;
  readonly pid: number | undefined;
  start(t0Ms: number, tickMs: number, warmupTicks: number): Promise<void>;
  stats(): Promise<ReceiverStats>;
  /**
   * Offset of the child's wall clock from `parentNowMs` (child − parent), from the IPC round trip with the
   * smallest delay; lateness across processes is only as exact as this.
   */
  clockOffset(
    parentNowMs: () => number,
  ): Promise<{ readonly offsetMs: number; readonly roundTripMs: number }>;
  stop(): Promise<void>;
}

export interface SpawnReceiverOptions {
  /** Absolute path of the entry script (TypeScript, run through tsx). */
  readonly entry: string;
  readonly args: readonly string[];
  /** Extra environment variables for the child (e.g. its configuration). */
  readonly env?: Readonly<Record<string, string>>;
  /** Options for the child's node (V8 flags such as --max-semi-space-size). */
  readonly nodeArgs?: readonly string[];
  readonly readyTimeoutMs?: number;
}

const STOP_GRACE_MS = 5000;

/** A parent message before it gets its id (Omit distributed over the union). */
type ParentRequest = ParentMessage extends infer M
  ? M extends ParentMessage
    ? Omit<M, 'id'>
    : never
  : never;

function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

export function spawnReceiver(options: SpawnReceiverOptions): Promise<ReceiverChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', tsxLoader(), options.entry, ...options.args],
    {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } }),
    },
  );
  let nextId = 1;
  const waiting = new Map<number, { resolve(body: unknown): void; reject(error: unknown): void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      const error = new SimError(
        'SIM_ERR_SINK_UNAVAILABLE',
        `The receiver process ended (${signal ?? `exit code ${code}`}).`,
        { details: { code, signal } },
      );
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
      resolve();
    });
  });

  const request = (message: ParentRequest): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (exited || !child.connected) {
        reject(new SimError('SIM_ERR_SINK_UNAVAILABLE', 'The receiver process is not running.'));
        return;
      }
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ ...message, id } as ParentMessage);
    });

  child.on('message', (raw) => {
    const message = raw as ChildMessage;
    if (message.type !== 'reply') return;
    const w = waiting.get(message.id);
    waiting.delete(message.id);
    w?.resolve(message.body);
  });

  const stop = async (): Promise<void> => {
    if (exited) return;
    if (child.connected) child.send({ type: 'stop', id: 0 } satisfies ParentMessage);
    let guard: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      exit,
      new Promise<void>((resolve) => {
        guard = setTimeout(() => {
          if (!exited) child.kill('SIGKILL');
          resolve();
        }, STOP_GRACE_MS);
      }),
    ]);
    clearTimeout(guard);
    await exit;
  };

  return new Promise<ReceiverChild>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new SimError(
          'SIM_ERR_SINK_UNAVAILABLE',
          'The receiver process did not start within the time allowed.',
        ),
      );
    }, options.readyTimeoutMs ?? 30_000);
    child.once('error', (cause) => {
      clearTimeout(timer);
      reject(
        new SimError('SIM_ERR_SINK_UNAVAILABLE', `Cannot start the receiver process: ${cause.message}`, {
          cause,
        }),
      );
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new SimError('SIM_ERR_SINK_UNAVAILABLE', 'The receiver process ended before it was ready.'));
    });
    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new SimError('SIM_ERR_SINK_UNAVAILABLE', `The receiver process failed: ${message.message}`));
        return;
      }
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve({
        info: message.info,
        pid: child.pid,
        start: async (t0Ms, tickMs, warmupTicks) =>
          void (await request({ type: 'start', t0Ms, tickMs, warmupTicks })),
        stats: async () => (await request({ type: 'stats' })) as ReceiverStats,
        async clockOffset(parentNowMs) {
          let best = { offsetMs: 0, roundTripMs: Number.POSITIVE_INFINITY };
          for (let i = 0; i < 7; i++) {
            const sentMs = parentNowMs();
            const childMs = (await request({ type: 'clock' })) as number;
            const backMs = parentNowMs();
            const roundTripMs = backMs - sentMs;
            if (roundTripMs < best.roundTripMs)
              best = { offsetMs: childMs - (sentMs + backMs) / 2, roundTripMs };
          }
          return best;
        },
        stop,
      });
    });
  });
}
