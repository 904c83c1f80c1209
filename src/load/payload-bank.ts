/**
 * Pre-encoded G.711 payloads for the live load: a few seconds of a seeded conversation per party, encoded
 * once before the run. Every call reads the bank at its own offset, so the hot path copies 160 bytes per
 * packet and never synthesises or encodes audio.
 */
import { encodeG711, type G711Law } from '../media/g711.ts';
import { PACKET_INTERVAL_MS } from '../media/media-format.ts';
import { createConversation } from '../media/speech-source.ts';
import type { Rng } from '../time/rng.ts';

export interface PayloadBank {
  readonly frames: number;
  readonly user: readonly Uint8Array[];
  readonly remote: readonly Uint8Array[];
}

/** 250 frames = 5 s of audio per party, 80 KB in all. */
export const DEFAULT_BANK_FRAMES = 250;

export function createPayloadBank(rng: Rng, law: G711Law, frames = DEFAULT_BANK_FRAMES): PayloadBank {
  const conversation = createConversation(rng.fork('load/conversation'));
  const encode = (party: 'user' | 'remote'): Uint8Array[] => {
    const source = conversation[party];
    return Array.from({ length: frames }, (_, i) => {
      const atMs = i * PACKET_INTERVAL_MS;
      // Copies: a source's frames are only valid until its next call.
      return Uint8Array.from(source.encodedFrameAt?.(atMs, law) ?? encodeG711(source.frameAt(atMs), law));
    });
  };
  return { frames, user: encode('user'), remote: encode('remote') };
}
