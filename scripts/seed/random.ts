/**
 * Seeded randomness for the generator. The streams come from pure-rand; this
 * file only adds the few draws the row builders share, so every choice in the
 * data set traces back to one seed.
 */
import { mersenne } from 'pure-rand/generator/mersenne';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export class Random {
  private constructor(private readonly generator: RandomGenerator) {}

  /** The main stream of a seed. Mersenne Twister spreads neighbouring seeds well, so seeds 1 and 2 differ throughout. */
  static fromSeed(seed: number): Random {
    return new Random(mersenne(seed | 0));
  }

  /**
   * A stream from a saved xoroshiro128+ state. The plan draws one state per
   * department from the main stream, so a department's rows depend on the
   * plan and its own stream only, never on how many draws another made.
   */
  static fromState(state: readonly number[]): Random {
    // xoroshiro's all-zero state is a fixed point; astronomically unlikely, but cheap to rule out.
    return new Random(xoroshiro128plusFromState(state.every((word) => word === 0) ? [1, 0, 0, 0] : state));
  }

  /** A fresh 128-bit state for `fromState`. */
  state(): number[] {
    return [this.generator.next(), this.generator.next(), this.generator.next(), this.generator.next()];
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }

  /** True with probability p (resolution one in a million is plenty for shares of a few per cent). */
  chance(p: number): boolean {
    return this.int(0, 999_999) < p * 1_000_000;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** One of the keys, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let draw = this.int(0, Math.round(total * 1000) - 1) / 1000;
    for (const [key, weight] of entries) {
      if (draw < weight) return key;
      draw -= weight;
    }
    return entries[entries.length - 1]![0];
  }

  /** A rounded amount in [min, max] with `step` granularity (fines and debts are round figures). */
  amount(min: number, max: number, step: number): number {
    return this.int(Math.ceil(min / step), Math.floor(max / step)) * step;
  }
}
