/**
 * Resolver maps written per module (one per workflow or concern) and merged
 * into one subgraph definition. Two modules defining the same field is a
 * mistake that would otherwise silently keep the last one.
 */
import type { ResolverMap } from './subgraph';

export function mergeResolverMaps(...maps: ResolverMap[]): ResolverMap {
  const merged: ResolverMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      const target = (merged[type] ??= {});
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in target) throw new Error(`resolver ${type}.${field} is defined twice`);
        target[field] = resolver;
      }
    }
  }
  return merged;
}
