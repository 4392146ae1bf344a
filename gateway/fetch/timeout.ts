/**
 * Timeout: a subgraph that does not answer within SUBGRAPH_TIMEOUT_MS is given
 * up (a TimeoutError, reported as a missing source), and so is every fetch of
 * a request whose execution deadline passed (the context's signal).
 */
import type { SubgraphLink } from './chain';

export function timeoutLink(timeoutMs: number): SubgraphLink {
  return {
    name: 'timeout',
    fetch(call, next) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const deadline = call.context?.signal;
      return next({ ...call, signal: deadline ? AbortSignal.any([timeout, deadline]) : timeout });
    },
  };
}
