/**
 * In-flight merging: identical requests (same query, variables and scope) in
 * flight to one subgraph are one request. Only reads the schema marks
 * cacheable (TTL > 0: they answer the same to everyone in the scope); never a
 * mutation, nor a creditCheck (each records a check). Each caller gets its
 * own copy of the data, as the gateway merges answers into its result.
 */
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { CachePolicy } from '../cache/policy';
import type { SubgraphLink } from './chain';

/**
 * A caller's own copy of a shared answer: the data deep-copied, the errors
 * shared (structuredClone would turn a GraphQLError into a plain Error without extensions).
 */
function copyOf(response: GatewayGraphQLResponse): GatewayGraphQLResponse {
  return { ...response, data: response.data ? structuredClone(response.data) : response.data };
}

export function inFlightLink(policy: CachePolicy): SubgraphLink {
  const inFlight = new Map<string, Promise<GatewayGraphQLResponse>>();
  return {
    name: 'in-flight',
    async fetch(call, next) {
      if (policy.fetch(call.query).maxTtl <= 0) return next(call);
      const key = `${call.subgraph}\u0000${call.context?.scope ?? 'PUBLIC'}\u0000${call.query}\u0000${JSON.stringify(call.variables ?? {})}`;
      const pending = inFlight.get(key);
      if (pending) return copyOf(await pending);
      const fetching = next(call);
      inFlight.set(key, fetching);
      try {
        return copyOf(await fetching);
      } finally {
        inFlight.delete(key);
      }
    },
  };
}
