/**
 * Error masking: what a client may learn from an error. The codes of the
 * public contract (API.md) and GraphQL's own request errors pass as they
 * are; any other error (a subgraph's, the query planner's) keeps its message
 * when the message carries no internal detail, and becomes "internal error"
 * with the request id to quote when it does (a stack, SQL or a database's
 * words, a file path, a JavaScript runtime error), logged in full for
 * operators. Subgraph names, stacks and exception objects never leave.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { GatewayPlugin } from '../pipeline';

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
  // The gateway's own answers of issue 15: a credential that could not be checked now (503), the persisted-query protocol.
  'SERVICE_UNAVAILABLE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Extensions that describe the gateway's or a subgraph's insides. */
const INTERNAL_EXTENSIONS = ['serviceName', 'exception', 'stacktrace'];

const INTERNAL_DETAIL = [
  /\n\s+at\s/, // a stack trace
  /\bat\s+\S+\s+\(?[^\s()]+:\d+:\d+\)?/, // a stack frame
  /node_modules|(?:\/[\w.-]+){2,}\.(?:[cm]?js|ts)\b/, // a file path
  /\b(?:select|insert|update|delete)\b[\s\S]*\b(?:from|into|set|where)\b/i, // SQL
  /\b(?:relation|column|constraint|table)\s+"|syntax error at or near|violates|duplicate key|deadlock|postgres|pg_|sqlstate|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/i, // a database's or a socket's words
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError)\b|Cannot read propert|is not a function|is not defined|undefined is not/, // JavaScript itself
];

export function carriesInternalDetail(message: string): boolean {
  return message.length > 500 || INTERNAL_DETAIL.some((pattern) => pattern.test(message));
}

export function maskError(error: GraphQLError | GraphQLFormattedError, requestId: string): { error: GraphQLFormattedError; masked: boolean } {
  const formatted = error instanceof GraphQLError ? error.toJSON() : error;
  const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([key]) => !INTERNAL_EXTENSIONS.includes(key)));
  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  if (code && PUBLIC_CODES.has(code)) return { error: { ...formatted, extensions }, masked: false };
  if (!carriesInternalDetail(formatted.message)) {
    return { error: { ...formatted, extensions: { code: code ?? 'INTERNAL_SERVER_ERROR' } }, masked: false };
  }
  return {
    error: { message: `internal error (request ${requestId})`, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    masked: true,
  };
}

export function errorMaskingPlugin(): GatewayPlugin {
  return {
    name: 'error-masking',
    onResult(request, result) {
      if (!result.errors || result.errors.length === 0) return;
      result.errors = result.errors.map((error) => {
        const { error: shown, masked } = maskError(error, request.id);
        if (masked) request.log.error({ err: error, requestId: request.id, path: shown.path }, 'internal error masked in the response');
        return shown;
      });
    },
  };
}
