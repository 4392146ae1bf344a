/**
 * Error masking: what a client may learn from an error. Only the extension
 * keys of the contract and of our own errors pass (code, reason, field,
 * department, ...: PUBLIC_EXTENSIONS); anything else a subgraph put there
 * (`sql`, `stacktrace`, `serviceName`, `exception`, a hint) is dropped.
 * The contract's codes (API.md) and GraphQL's own request errors pass as
 * they are; any other error (a subgraph's, the query planner's) keeps its
 * message when the message carries no internal detail, and becomes
 * "internal error" with the request id to quote when it does (a stack, SQL
 * or a database's words, a file path, a JavaScript runtime error), logged in
 * full for operators.
 *
 * Errors that came from execution (pipeline.ts fromExecution) are never
 * about the client's text: their locations point into a subgraph's query and
 * are dropped, and one that says a text was malformed or invalid (a
 * subgraph's GRAPHQL_VALIDATION_FAILED) is the gateway's fault, so it is an
 * internal error, logged, never the client's.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { fromExecution, type GatewayPlugin } from '../pipeline';

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

/** The codes that say the client's text was wrong: only the gateway's own checks can say so. */
const CLIENT_TEXT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND']);

/** Extension keys a client may read: the contract's and what our gateway and subgraphs put in their errors. */
export const PUBLIC_EXTENSIONS = new Set([
  'code',
  'reason', // BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, DEPARTMENT_UNAVAILABLE: which kind
  'figure', // QUERY_TOO_COMPLEX: what the operation measured (beside `limit`)
  'field', // the input field or the `Type.field` refused
  'input',
  'index',
  'limit',
  'problems',
  'operation', // the mutation refused
  'repairId',
  'version', // a measures catalogue version that does not exist
  'department',
  'departments',
  'requiredScopes',
  // The credit office's refusals say what in the record decided them (API.md: RECORD_MISMATCH, NOT_ELIGIBLE_YET, RECORD_WITHDRAWN, ...).
  'recordValue',
  'recordSince',
  'checkedOn', // a commitment dated before the check it backs (SINCE_BEFORE_RECORD)
  'commitmentId', // CHECK_ALREADY_USED: the commitment the check's grant backs
  'rectificationOrderId', // ALREADY_OPEN: the order open on the record
  'recordTriggers',
  'eligibleFrom',
  'measureCodes',
  'appliedMeasures',
  'withdrawal',
  'reference',
  'recordId',
  'objectionId',
  'checkId',
  'jointCaseId',
  'trigger',
  'initiatingDepartment',
  'deadline',
  'mutation',
  'status', // INVALID_TRANSITION: the state it is in
]);

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

export function maskError(error: GraphQLError | GraphQLFormattedError, requestId: string, options: { fromExecution?: boolean } = {}): { error: GraphQLFormattedError; masked: boolean } {
  const formatted = error instanceof GraphQLError ? error.toJSON() : error;
  const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([key]) => PUBLIC_EXTENSIONS.has(key)));
  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  const internal = () => ({
    error: { message: `internal error (request ${requestId})`, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    masked: true,
  });
  if (options.fromExecution && code && CLIENT_TEXT_CODES.has(code)) return internal();
  // Locations are the client's only when the gateway's own checks made the error.
  const shown = (shownExtensions: Record<string, unknown>): GraphQLFormattedError => ({
    message: formatted.message,
    ...(formatted.locations && !options.fromExecution ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: shownExtensions,
  });
  if (code && PUBLIC_CODES.has(code)) return { error: shown(extensions), masked: false };
  if (!carriesInternalDetail(formatted.message)) return { error: shown({ code: code ?? 'INTERNAL_SERVER_ERROR' }), masked: false };
  return internal();
}

export function errorMaskingPlugin(): GatewayPlugin {
  return {
    name: 'error-masking',
    onResult(request, result) {
      if (!result.errors || result.errors.length === 0) return;
      result.errors = result.errors.map((error) => {
        const { error: shown, masked } = maskError(error, request.id, { fromExecution: fromExecution(error) });
        if (masked) request.log.error({ err: error, requestId: request.id, path: shown.path }, 'internal error masked in the response');
        return shown;
      });
    },
  };
}
