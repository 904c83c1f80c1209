/**
 * A seeded, speech-like conversation: the parties take turns, each turn is a few talk spurts with short
 * pauses, and the listener sometimes answers with a short overlap ("mm-hm"). Cheap enough to feed a
 * one-hour replay: voiced frames come from a small bank built once per party.
 *
 * Turns are generated on demand from the conversation's origin, so it is created with the time its call
 * starts (`originMs`): a read then costs the same on day 0 and on day 120, and the same seed says the same
 * thing at the same time since the origin, whatever the origin.
 */
import type { Rng } from '../time/index.ts';
import type { AudioSource, PartySources } from './audio-source.ts';
import { encodeG711, type G711Law } from './g711.ts';
import { PACKET_INTERVAL_MS, type Party, SAMPLE_RATE_HZ, SAMPLES_PER_PACKET } from './media-format.ts';

export interface TalkSpurt {
  readonly startMs: number;
  /** Exclusive. */
  readonly endMs: number;
}

export interface ConversationOptions {
  /** Virtual time the conversation starts at, in whole ms (default 0). Reads before it are background noise. */
  readonly originMs?: number;
}

export interface Conversation extends PartySources {
  /** The talk spurts of `party` that start before `untilMs` (generated on demand, always the same). */
  spurts(party: Party, untilMs: number): readonly TalkSpurt[];
  isTalking(party: Party, atMs: number): boolean;
}

/**
 * Speech harmonics stop below this so the prompt frequencies (prompt-sounds.ts) stay clear of speech:
 * telephone voices have most of their energy there, and it keeps the S25 test unambiguous.
 */
export const SPEECH_MAX_HZ = 1000;
// Multiples of 50 Hz repeat exactly every 20 ms, so consecutive frames join without clicks.
const PITCHES_HZ: Readonly<Record<Party, readonly number[]>> = { user: [100, 150], remote: [200, 250] };
const BANK_FRAMES = 16;
const NOISE_FRAMES = 4;
const NOISE_PEAK = 40;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function buildVoiceBank(rng: Rng, party: Party): Int16Array[] {
  const bank: Int16Array[] = [];
  for (let f = 0; f < BANK_FRAMES; f++) {
    const pitchHz = rng.pick(PITCHES_HZ[party]);
    const level = 3000 + rng.nextFloat() * 6000;
    const harmonics: [number, number][] = [];
    for (let h = 1; h * pitchHz <= SPEECH_MAX_HZ; h++) harmonics.push([h * pitchHz, rng.nextFloat() / h]);
    const total = harmonics.reduce((sum, [, a]) => sum + a, 0);
    const frame = new Int16Array(SAMPLES_PER_PACKET);
    for (let i = 0; i < SAMPLES_PER_PACKET; i++) {
      let v = 0;
      for (const [hz, a] of harmonics) v += a * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE_HZ);
      frame[i] = Math.round((level * v) / total);
    }
    bank.push(frame);
  }
  return bank;
}

function buildNoiseBank(rng: Rng): Int16Array[] {
  return Array.from({ length: NOISE_FRAMES }, () =>
    Int16Array.from({ length: SAMPLES_PER_PACKET }, () => rng.nextInt(-NOISE_PEAK, NOISE_PEAK)),
  );
}

/** Creates the conversation of one call; the same `rng` seed gives the same conversation. */
export function createConversation(rng: Rng, options: ConversationOptions = {}): Conversation {
  const originMs = options.originMs ?? 0;
  const turnRng = rng.fork('turns');
  const hashSeed = rng.fork('frames').nextUint32();
  const voice: Record<Party, Int16Array[]> = {
    user: buildVoiceBank(rng.fork('voice/user'), 'user'),
    remote: buildVoiceBank(rng.fork('voice/remote'), 'remote'),
  };
  // Each line has its own background noise, so even two silent parties are told apart.
  const noise: Record<Party, Int16Array[]> = {
    user: buildNoiseBank(rng.fork('noise/user')),
    remote: buildNoiseBank(rng.fork('noise/remote')),
  };
  // Spurts, turns and frame hashes are all in ms since the origin; only the public methods see virtual time.
  const spurts: Record<Party, TalkSpurt[]> = { user: [], remote: [] };
  const cursor: Record<Party, number> = { user: 0, remote: 0 };
  let speaker: Party = turnRng.chance(0.5) ? 'user' : 'remote';
  let generatedUntilMs = 0;

  // One turn at a time: spurts of the speaker, maybe one backchannel of the listener inside the turn.
  const generateTurn = (): void => {
    const listener: Party = speaker === 'user' ? 'remote' : 'user';
    const turnMs = clamp(turnRng.exponential(3500), 600, 15000);
    const turnStartMs = generatedUntilMs;
    let t = turnStartMs;
    while (t < turnStartMs + turnMs) {
      const spurtMs = Math.round(clamp(turnRng.exponential(1200), 200, 4000));
      spurts[speaker].push({ startMs: t, endMs: t + spurtMs });
      t += spurtMs + Math.round(clamp(turnRng.exponential(350), 100, 1500));
    }
    const turnEndMs = (spurts[speaker].at(-1) as TalkSpurt).endMs;
    if (turnRng.chance(0.15) && turnEndMs - turnStartMs > 1500) {
      const startMs = turnStartMs + Math.round((turnEndMs - turnStartMs) * (0.3 + 0.4 * turnRng.nextFloat()));
      spurts[listener].push({ startMs, endMs: Math.min(turnEndMs, startMs + turnRng.nextInt(200, 500)) });
    }
    generatedUntilMs = turnEndMs + Math.round(clamp(turnRng.exponential(400), 100, 2000));
    if (turnRng.chance(0.85)) speaker = listener;
  };

  const ensure = (untilMs: number): void => {
    while (generatedUntilMs <= untilMs) generateTurn();
  };

  const isTalkingSince = (party: Party, sinceMs: number): boolean => {
    ensure(sinceMs);
    const list = spurts[party];
    let i = cursor[party];
    // Reads move forward almost always (two streams at the same instants); step back only when asked.
    while (i > 0 && (list[i] as TalkSpurt).startMs > sinceMs) i--;
    while (i < list.length - 1 && (list[i] as TalkSpurt).endMs <= sinceMs) i++;
    cursor[party] = i;
    const spurt = list[i];
    return spurt !== undefined && spurt.startMs <= sinceMs && sinceMs < spurt.endMs;
  };

  // The banks encoded once per law, so a replay copies 160 bytes per packet instead of encoding them.
  type EncodedBank = Record<'voice' | 'noise', Record<Party, Uint8Array[]>>;
  const encodedBanks: Partial<Record<G711Law, EncodedBank>> = {};
  const encodedBank = (law: G711Law) => {
    let bank = encodedBanks[law];
    if (bank === undefined) {
      const encodeAll = (frames: Int16Array[]) => frames.map((f) => encodeG711(f, law));
      bank = {
        voice: { user: encodeAll(voice.user), remote: encodeAll(voice.remote) },
        noise: { user: encodeAll(noise.user), remote: encodeAll(noise.remote) },
      };
      encodedBanks[law] = bank;
    }
    return bank;
  };

  const source = (party: Party, salt: number): AudioSource => {
    const frameHash = (sinceMs: number): number =>
      (Math.imul(Math.floor(sinceMs / PACKET_INTERVAL_MS) ^ hashSeed ^ salt, 0x9e3779b1) >>> 0) >>> 8;
    return {
      frameAt(startMs) {
        const sinceMs = startMs - originMs;
        const h = frameHash(sinceMs);
        return isTalkingSince(party, sinceMs)
          ? (voice[party][h % BANK_FRAMES] as Int16Array)
          : (noise[party][h % NOISE_FRAMES] as Int16Array);
      },
      encodedFrameAt(startMs, law) {
        const sinceMs = startMs - originMs;
        const h = frameHash(sinceMs);
        const bank = encodedBank(law);
        return isTalkingSince(party, sinceMs)
          ? (bank.voice[party][h % BANK_FRAMES] as Uint8Array)
          : (bank.noise[party][h % NOISE_FRAMES] as Uint8Array);
      },
    };
  };

  return {
    user: source('user', 0x5a5a5a5a),
    remote: source('remote', 0x0f0f0f0f),
    isTalking: (party, atMs) => isTalkingSince(party, atMs - originMs),
    spurts(party, untilMs) {
      const untilSinceMs = untilMs - originMs;
      ensure(untilSinceMs);
      return spurts[party]
        .filter((s) => s.startMs < untilSinceMs)
        .map((s) => ({ startMs: originMs + s.startMs, endMs: originMs + s.endMs }));
    },
  };
}
