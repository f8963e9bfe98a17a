// Draws from one seeded stream (the benchmarks' synthetic worlds): integers, chances, picks.
export interface Draws {
  /** The stream itself: a number in [0, 1). */
  random: () => number;
  int: (min: number, max: number) => number;
  chance: (p: number) => boolean;
  pick: <T>(list: readonly T[]) => T;
}

export function draws(random: () => number): Draws {
  return {
    random,
    int: (min, max) => min + Math.floor(random() * (max - min + 1)),
    chance: (p) => random() < p,
    pick: <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T,
  };
}
