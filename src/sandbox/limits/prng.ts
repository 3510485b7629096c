// Seeded pseudo-random numbers so a fault scenario replays identically from the same seed and request order.

/** Returns numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: tiny, fast and good enough for test scenarios (not for anything secret). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Turns a numeric or text seed into 32 bits (FNV-1a for text) so config can say `"seed": "demo"`. */
export function seedToNumber(seed: number | string): number {
  if (typeof seed === "number") return Math.trunc(seed) >>> 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
