/**
 * RTP receive statistics of one stream (one SSRC), RFC 3550: sequence extension and validity per A.1
 * (16-bit wrap counted in cycles, a jump of MAX_DROPOUT or more taken only when the next packet confirms
 * it — a sender restart — and then counted as a resync), expected and lost per A.3, interarrival jitter
 * per A.8 (J += (|D| − J) / 16 in timestamp units), plus what A.1 leaves implicit: duplicates (a packet
 * seen again within the last WINDOW sequence numbers) and reordered packets (arriving after a higher
 * one). A pure accumulator: the caller gives each packet's sequence number, RTP timestamp and arrival time.
 *
 * The sink's `extendSequence` (closest extension, for storage keys) is a different rule on purpose: these
 * statistics need A.1's state (cycles, bad_seq) so a source restart is not counted as 60,000 lost packets.
 */

const SEQ_MOD = 0x1_0000;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
/** Duplicates are recognised within this many sequence numbers of the highest (4 KiB per stream). */
const WINDOW = 1024;

export interface RtpReceiveSnapshot {
  /** Every packet accepted, duplicates included. */
  readonly packets: number;
  /** Highest extended sequence number − first + 1 (RFC 3550 A.3), summed over resyncs. */
  readonly expected: number;
  /** Expected − distinct packets received; never negative. */
  readonly lost: number;
  readonly duplicated: number;
  /** Packets that arrived after a higher sequence number (not duplicates). */
  readonly reordered: number;
  /** Packets dropped by A.1's validity check (a jump not confirmed by the next packet). */
  readonly discarded: number;
  /** Times the sequence restarted after a confirmed jump. */
  readonly resyncs: number;
  /** Interarrival jitter, RFC 3550 A.8, in timestamp units and in milliseconds. */
  readonly jitterUnits: number;
  readonly jitterMs: number;
  /** Extended highest sequence number (cycles · 65536 + max_seq), undefined before the first packet. */
  readonly highestSequence?: number;
}

export interface RtpIntervalReport {
  readonly expected: number;
  readonly lost: number;
  /** RFC 3550 A.3 fraction lost in the interval, 0..1 (0 when nothing was expected or more arrived). */
  readonly fractionLost: number;
}

export interface RtpReceiveStats {
  /** One received packet: 16-bit sequence number, 32-bit RTP timestamp, arrival on any ms clock. */
  receive(sequence: number, rtpTimestamp: number, arrivalMs: number): void;
  snapshot(): RtpReceiveSnapshot;
  /** Expected/lost since the previous call (what an RTCP receiver report carries). */
  takeInterval(): RtpIntervalReport;
}

export function createRtpReceiveStats(options: { clockRateHz?: number } = {}): RtpReceiveStats {
  const unitsPerMs = (options.clockRateHz ?? 8000) / 1000;
  let started = false;
  let baseExt = 0;
  let maxSeq = 0;
  let cycles = 0;
  let badSeq = SEQ_MOD + 1;
  let packets = 0;
  let distinct = 0;
  let duplicated = 0;
  let reordered = 0;
  let discarded = 0;
  let resyncs = 0;
  let carriedExpected = 0;
  let carriedDistinct = 0;
  let jitter = 0;
  let lastTransit: number | undefined;
  let priorExpected = 0;
  let priorDistinct = 0;
  const seen = new Float64Array(WINDOW).fill(-1);

  const initSequence = (seq: number) => {
    baseExt = seq;
    maxSeq = seq;
    cycles = 0;
    badSeq = SEQ_MOD + 1;
    seen.fill(-1);
  };

  const expectedNow = () => (started ? cycles + maxSeq - baseExt + 1 : 0);

  const record = (ext: number, rtpTimestamp: number, arrivalMs: number) => {
    packets++;
    const slot = ((ext % WINDOW) + WINDOW) % WINDOW;
    if (seen[slot] === ext) {
      duplicated++;
      return;
    }
    seen[slot] = ext;
    distinct++;
    if (ext < baseExt) baseExt = ext;
    const transit = arrivalMs * unitsPerMs - (rtpTimestamp >>> 0);
    if (lastTransit !== undefined) {
      let d = transit - lastTransit;
      // RTP timestamps wrap at 2^32: take the shorter way round.
      if (d > 2 ** 31) d -= 2 ** 32;
      else if (d < -(2 ** 31)) d += 2 ** 32;
      jitter += (Math.abs(d) - jitter) / 16;
    }
    lastTransit = transit;
  };

  return {
    receive(sequence, rtpTimestamp, arrivalMs) {
      const seq = sequence & 0xffff;
      if (!started) {
        started = true;
        initSequence(seq);
        record(seq, rtpTimestamp, arrivalMs);
        return;
      }
      const udelta = (seq - maxSeq + SEQ_MOD) % SEQ_MOD;
      if (udelta < MAX_DROPOUT) {
        if (seq < maxSeq) cycles += SEQ_MOD;
        maxSeq = seq;
        record(cycles + seq, rtpTimestamp, arrivalMs);
      } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
        if (seq === badSeq) {
          carriedExpected += expectedNow();
          carriedDistinct += distinct;
          distinct = 0;
          resyncs++;
          initSequence(seq);
          lastTransit = undefined;
          record(seq, rtpTimestamp, arrivalMs);
        } else {
          badSeq = (seq + 1) & 0xffff;
          discarded++;
        }
      } else {
        let ext = cycles + seq;
        if (ext > cycles + maxSeq) ext -= SEQ_MOD;
        const before = duplicated;
        record(ext, rtpTimestamp, arrivalMs);
        if (duplicated === before) reordered++;
      }
    },
    snapshot() {
      const expected = carriedExpected + expectedNow();
      const unique = carriedDistinct + distinct;
      const snap = {
        packets,
        expected,
        lost: Math.max(0, expected - unique),
        duplicated,
        reordered,
        discarded,
        resyncs,
        jitterUnits: jitter,
        jitterMs: jitter / unitsPerMs,
      };
      return started ? { ...snap, highestSequence: cycles + maxSeq } : snap;
    },
    takeInterval() {
      const expected = carriedExpected + expectedNow();
      const unique = carriedDistinct + distinct;
      const expectedInterval = expected - priorExpected;
      const receivedInterval = unique - priorDistinct;
      priorExpected = expected;
      priorDistinct = unique;
      const lost = expectedInterval - receivedInterval;
      return {
        expected: expectedInterval,
        lost,
        fractionLost: expectedInterval <= 0 || lost <= 0 ? 0 : lost / expectedInterval,
      };
    },
  };
}
