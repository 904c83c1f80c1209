/** The audio rows a store takes: one packet, a stream's packets in columns, and a stream's counters. */

export interface StreamStatsDelta {
  readonly received: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly minExtSeq: number | null;
  readonly maxExtSeq: number | null;
  readonly endSamples: number;
}

export interface PacketRow {
  readonly ssrc: number;
  readonly extSeq: number;
  readonly timestamp: number;
  readonly positionSamples: number;
  readonly payload: Uint8Array;
}

/**
 * Packets of one stream in columns (no object per packet): the live ingest path hands the store what its
 * accumulators gathered. Payload i is `bytes[offset[i], offset[i] + length[i])`.
 */
export interface PacketBatch {
  readonly count: number;
  readonly extSeq: ArrayLike<number>;
  readonly timestamp: ArrayLike<number>;
  readonly positionSamples: ArrayLike<number>;
  readonly length: ArrayLike<number>;
  readonly offset: ArrayLike<number>;
  readonly bytes: Uint8Array;
}
