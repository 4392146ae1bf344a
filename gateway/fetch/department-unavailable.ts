/**
 * Department unavailable: a subgraph that did not answer (timeout, refused,
 * HTTP error) becomes a `DEPARTMENT_UNAVAILABLE` error naming the department,
 * and for an entity fetch every entity still resolves with the department's
 * fields null (unanswered-entities.ts), so the rest of the graph answers and
 * the credit office's verdict fails closed (INCONCLUSIVE, naming it).
 */
import { GraphQLError } from 'graphql';
import { DEPARTMENTS } from '../../lib/departments';
import { unansweredEntities } from '../unanswered-entities';
import type { SubgraphLink } from './chain';
import { failureReason } from './metrics';

/** The `Department` enum value for a subgraph; a subgraph of another supergraph is named as it is. */
export function departmentName(subgraph: string): string {
  return DEPARTMENTS.find((d) => d.name === subgraph)?.department ?? subgraph.toUpperCase();
}

export function departmentUnavailableLink(timeoutMs: number): SubgraphLink {
  return {
    name: 'department-unavailable',
    async fetch(call, next) {
      try {
        return await next(call);
      } catch (error) {
        const reason = failureReason(error);
        const department = departmentName(call.subgraph);
        // Said by kind, never with the socket's own words (they name the subgraph's address).
        const detail =
          reason === 'timeout'
            ? `no answer within ${timeoutMs} ms`
            : reason.startsWith('http_')
              ? `it answered HTTP ${reason.slice(5)}`
              : reason === 'econnrefused'
                ? 'the connection was refused'
                : reason === 'error'
                  ? 'no usable answer'
                  : `the connection failed (${reason})`;
        const unavailable = new GraphQLError(`department ${department} did not answer: ${detail}`, {
          extensions: { code: 'DEPARTMENT_UNAVAILABLE', department, subgraph: call.subgraph, reason },
        });
        const entities = unansweredEntities(call.query, call.variables);
        if (!entities) throw unavailable;
        return { data: { _entities: entities }, errors: [unavailable] };
      }
    },
  };
}
