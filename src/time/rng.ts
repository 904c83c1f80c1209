/**
 * A small, fast, seeded pseudo-random generator (sfc32, seeded through a string hash). Every random
 * choice in the simulator comes from one of these, so a run is reproducible from its seed; `fork(label)`
 * gives an independent stream per concern (per call, per stream) that does not shift when another
 * concern draws more or fewer numbers.
 */
export interface Rng {
  readonly seed: string;
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform float in [0, 1). */
  nextFloat(): number;
  /** Uniform integer in [minIncl, maxIncl]. */
  nextInt(minIncl: number, maxIncl: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Normal deviate (Box-Muller). */
  normal(mean: number, sd: number): number;
  /** Exponential deviate with the given mean. */
  exponential(mean: number): number;
  /** An independent generator derived from this seed and `label`. */
  fork(label: string): Rng;
}

function hash128(text: string): [number, number, number, number] {
  // cyrb128: spreads any string over four 32-bit words.
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export function createRng(seed: string | number): Rng {
  const seedText = String(seed);
  let [a, b, c, d] = hash128(seedText);
  const nextUint32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up so that similar seeds diverge.
  for (let i = 0; i < 12; i++) nextUint32();

  const nextFloat = (): number => nextUint32() / 4294967296;
  let spareNormal: number | undefined;

  const rng: Rng = {
    seed: seedText,
    nextUint32,
    nextFloat,
    nextInt: (minIncl, maxIncl) => minIncl + Math.floor(nextFloat() * (maxIncl - minIncl + 1)),
    chance: (p) => nextFloat() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick() needs at least one item');
      return items[Math.floor(nextFloat() * items.length)] as T;
    },
    normal: (mean, sd) => {
      if (spareNormal !== undefined) {
        const z = spareNormal;
        spareNormal = undefined;
        return mean + sd * z;
      }
      let u = 0;
      while (u === 0) u = nextFloat();
      const v = nextFloat();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return mean + sd * r * Math.cos(2 * Math.PI * v);
    },
    exponential: (mean) => {
      let u = 0;
      while (u === 0) u = nextFloat();
      return -mean * Math.log(u);
    },
    fork: (label) => createRng(`${seedText}/${label}`),
  };
  return rng;
}
