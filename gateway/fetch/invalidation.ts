/**
 * Invalidation: a write's `extensions.invalidatedSubjects` (lib/invalidation.ts)
 * is applied and broadcast to every gateway before the client hears the
 * write succeeded, so a read after it never sees the old answer.
 */
import type { SubgraphLink } from './chain';

export function invalidationLink(invalidate: (codes: string[]) => Promise<void>): SubgraphLink {
  return {
    name: 'invalidation',
    async fetch(call, next) {
      const response = await next(call);
      const changed = response.extensions?.invalidatedSubjects;
      if (Array.isArray(changed) && changed.length > 0) await invalidate(changed.filter((code): code is string => typeof code === 'string'));
      return response;
    },
  };
}
