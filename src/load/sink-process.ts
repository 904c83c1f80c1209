/**
 * Entry script of the sink child process of a live load (`node --import tsx sink-process.ts`, its
 * LoadSinkConfig as JSON in the environment variable CALLREC_LOAD_SINK_CONFIG):
 * starts the load sink, tells the parent its URLs over IPC, answers `start`/`stats`/`clock`/`stop`, and
 * stops by itself if the parent goes away or the lifetime in the config runs out.
 */
import { wallClockEpochMs } from '../time/real-clock.ts';
import { type LoadSinkConfig, SINK_CONFIG_ENV, startLoadSink } from './load-sink.ts';
import { serveReceiver } from './receiver-ipc.ts';

interface SinkProcessConfig extends LoadSinkConfig {
  readonly maxLifetimeMs: number;
}

const config = JSON.parse(process.env[SINK_CONFIG_ENV] ?? '{}') as SinkProcessConfig;
try {
  const sink = await startLoadSink(config);
  serveReceiver(
    { url: sink.server.url, streamUrl: sink.server.streamUrl },
    {
      start: (t0Ms, tickMs, warmupTicks) => sink.start(t0Ms, tickMs, warmupTicks),
      stats: () => sink.stats(true),
      nowMs: wallClockEpochMs,
      stop: () => sink.close(),
    },
    config.maxLifetimeMs,
  );
} catch (error) {
  process.send?.({ type: 'failed', message: (error as Error).message });
  process.disconnect?.();
}
