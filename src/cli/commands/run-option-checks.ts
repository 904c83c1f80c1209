/** `callrec run`: options that contradict each other or mean nothing alone are refused before anything runs. */
import { SimError } from '../../errors.ts';

export interface RunOptionFlags {
  readonly sink?: string | boolean;
  readonly sinkKey?: string;
  readonly db?: string;
  readonly live?: boolean;
}

export function checkRunOptions(options: RunOptionFlags): void {
  const refuse = (message: string) => {
    throw new SimError('SIM_ERR_USAGE', message, { details: { options } });
  };
  if (options.sinkKey !== undefined && typeof options.sink !== 'string') {
    refuse('--sink-key is the key of an external sink: give its address with --sink <url> too.');
  }
  if (typeof options.sink === 'string' && options.db !== undefined) {
    refuse("--db is the embedded sink's file; an external sink (--sink) keeps its own: drop one of them.");
  }
  if (options.sink === false && options.db !== undefined) {
    refuse("--db is the embedded sink's file and --no-sink runs without one: drop one of them.");
  }
  if (options.sink === false && options.live === true) {
    refuse('--live streams to a sink; drop --no-sink.');
  }
}
