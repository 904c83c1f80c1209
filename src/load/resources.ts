/**
 * CPU and memory of this process over a measured interval: CPU as cores busy (user + system CPU time per
 * wall-clock time, so 1.0 is one core fully used) and resident set size, for the "RSS per call" figure.
 */

export interface ResourceSample {
  /** Average cores busy since the meter started. */
  readonly cpuCores: number;
  readonly cpuMs: number;
  readonly rssBytes: number;
  /** RSS growth since the meter started (what the calls added), bytes. */
  readonly rssGrowthBytes: number;
}

export interface ResourceMeter {
  sample(): ResourceSample;
}

/** `nowMs` is the caller's wall clock (the load run's), so CPU and wall time cover the same interval. */
export function startResourceMeter(
  nowMs: () => number,
  rssBaselineBytes = process.memoryUsage.rss(),
): ResourceMeter {
  const cpuStart = process.cpuUsage();
  const wallStart = nowMs();
  return {
    sample() {
      const cpu = process.cpuUsage(cpuStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const wallMs = Math.max(1, nowMs() - wallStart);
      const rssBytes = process.memoryUsage.rss();
      return { cpuCores: cpuMs / wallMs, cpuMs, rssBytes, rssGrowthBytes: rssBytes - rssBaselineBytes };
    },
  };
}
