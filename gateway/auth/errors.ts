/**
 * What a client may learn from an error: the codes of the public contract
 * (API.md) and GraphQL's own request errors pass through as they are; any
 * other error — a subgraph's exception, SQL, a stack — becomes "internal
 * error" with the request id to quote, and is logged in full for operators.
 */
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../lib/logger';

const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'DEPARTMENT_UNAVAILABLE',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export function maskInternalErrors(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      // Subgraph errors arrive with the subgraph's name; the department is what clients are told.
      const { serviceName: _service, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: error, path: formatted.path }, 'internal error masked in the response');
    return { message: 'internal error', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
