/** Timeout: a subgraph that does not answer within SUBGRAPH_TIMEOUT_MS is given up (a TimeoutError, reported as a missing source). */
import type { SubgraphLink } from './chain';

export function timeoutLink(timeoutMs: number): SubgraphLink {
  return {
    name: 'timeout',
    fetch(call, next) {
      return next({ ...call, signal: AbortSignal.timeout(timeoutMs) });
    },
  };
}
