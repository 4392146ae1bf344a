/**
 * Entity cache: an `_entities` fetch is answered from the cache for the
 * representations it holds, and the rest of the chain is asked only for the
 * others (gateway/cache/entity-cache.ts has the keys, the TTLs and the
 * invalidation rule).
 */
import type { EntityCache } from '../cache/entity-cache';
import type { SubgraphLink } from './chain';

export function entityCacheLink(cache: EntityCache): SubgraphLink {
  return {
    name: 'entity-cache',
    async fetch(call, next) {
      const answered = await cache.resolve(call.subgraph, call.query, call.variables, call.context?.scope ?? 'PUBLIC', (representations) =>
        next({ ...call, variables: { ...call.variables, representations } }),
      );
      return answered ?? next(call);
    },
  };
}
