/**
 * Parse and validate, once per request and before anything rewrites the
 * operation: the client's text is parsed, validated against the API schema
 * with the specification's rules (graphql-js `specifiedRules`), its operation
 * selected and its variables coerced. Every error says what the
 * specification says, with locations in the client's own text:
 * GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, OPERATION_RESOLUTION_FAILURE,
 * BAD_USER_INPUT (variables), BAD_REQUEST (no query, a batch, a mutation in a
 * GET: 405), PERSISTED_QUERY_NOT_FOUND (an automatic persisted query's hash
 * without its text, as the APQ protocol answers it, so a client resends the
 * text; which hashes a gateway knows is the persisted-queries gate's). The parsed document
 * is carried in the request's state for every later plugin and the
 * execution; parse and validation results are kept per text (a client
 * repeats its operations), the schema being fixed for the process.
 */
import { createHash } from 'node:crypto';
import { getOperationAST, getVariableValues, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { requestError, type GatewayPlugin, type GatewayRequest } from '../pipeline';

type Checked = { document: DocumentNode; hash: string } | { status: number; errors: GraphQLFormattedError[] };

const withCode = (error: GraphQLError, code: string): GraphQLFormattedError => {
  const formatted = error.toJSON();
  return { ...formatted, extensions: { ...formatted.extensions, code } };
};

export function parseValidatePlugin(options: { schema: () => GraphQLSchema; cacheSize?: number }): GatewayPlugin {
  const checked = new LRUCache<string, Checked>({ max: options.cacheSize ?? 1000 });

  function check(source: string): Checked {
    const known = checked.get(source);
    if (known) return known;
    let result: Checked;
    try {
      const document = parse(source);
      const errors = validate(options.schema(), document, specifiedRules);
      result = errors.length > 0 ? { status: 400, errors: errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) } : { document, hash: hashOf(source) };
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      result = { status: 400, errors: [withCode(error, 'GRAPHQL_PARSE_FAILED')] };
    }
    checked.set(source, result);
    return result;
  }

  const badRequest = (request: GatewayRequest, message: string, status = 400) => {
    request.outcome = 'BAD_USER_INPUT';
    request.respond(status, { errors: [requestError('BAD_REQUEST', message)] });
  };

  return {
    name: 'parse-validate',
    onRequest(request) {
      if (request.batched) {
        return badRequest(request, 'batched requests (a JSON array of operations) are not supported by this gateway: send one operation per request, as a JSON object');
      }
      const { query, variables, operationName, extensions } = request.body;
      if ((query === undefined || query === null || query === '') && persistedQueryHash(extensions) !== undefined) {
        // The APQ protocol: the client answers this by sending the query text with its hash.
        request.outcome = 'BAD_USER_INPUT';
        request.responseHeaders['cache-control'] = 'private, no-cache, must-revalidate';
        request.respond(200, { errors: [requestError('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound')] });
        return;
      }
      if (typeof query !== 'string' || query.trim() === '') {
        return badRequest(request, request.method === 'GET' ? 'a GET must carry a non-empty `query` parameter' : 'the request must carry a non-empty `query` string');
      }
      if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
        return badRequest(request, request.method === 'GET' ? 'the `variables` parameter must be a JSON object (URL-encoded JSON text)' : '`variables` must be a JSON object');
      }
      if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return badRequest(request, '`operationName` must be a string');
      request.source = query;
      request.variables = (variables ?? {}) as Record<string, unknown>;
      // Before anything walks them: the parser, the validation and every later plugin recurse into
      // the text and the variables, and 2,000 levels overflowed the stack (an internal error, 500).
      const textDepth = nestingOfText(query);
      if (textDepth > MAX_NESTING) {
        request.outcome = 'QUERY_TOO_COMPLEX';
        request.respond(400, { errors: [requestError('QUERY_TOO_COMPLEX', `the operation's text nests ${textDepth} levels of braces, brackets and parentheses; at most ${MAX_NESTING}`, { reason: 'NESTING', figure: textDepth, limit: MAX_NESTING })] });
        return;
      }
      if (nestingOfValue(request.variables, MAX_NESTING) > MAX_NESTING) {
        request.outcome = 'BAD_USER_INPUT';
        request.respond(400, { errors: [requestError('BAD_USER_INPUT', `the variables nest more than ${MAX_NESTING} levels of objects and lists`, { reason: 'NESTING', limit: MAX_NESTING })] });
        return;
      }

      const result = check(query);
      if (!('document' in result)) {
        request.outcome = 'BAD_USER_INPUT';
        request.respond(result.status, { errors: result.errors });
        return;
      }
      const operation = getOperationAST(result.document, request.operationName);
      if (!operation) {
        request.outcome = 'BAD_USER_INPUT';
        const message = request.operationName ? `Unknown operation named "${request.operationName}".` : 'Must provide operation name if query contains multiple operations.';
        request.respond(400, { errors: [requestError('OPERATION_RESOLUTION_FAILURE', message)] });
        return;
      }
      if (operation.operation === 'mutation' && request.method === 'GET') {
        // GraphQL over HTTP: a GET must not change anything (a browser, a proxy or a prefetch may repeat it).
        request.responseHeaders.allow = 'POST';
        return badRequest(request, 'a mutation cannot be sent with GET: send it with POST', 405);
      }
      if (operation.operation === 'subscription') {
        request.outcome = 'BAD_USER_INPUT';
        request.respond(400, { errors: [{ ...withCode(new GraphQLError('subscriptions are not supported by this gateway', { nodes: operation }), 'BAD_REQUEST') }] });
        return;
      }
      const coerced = getVariableValues(options.schema(), operation.variableDefinitions ?? [], request.variables, { maxErrors: 50 });
      if (coerced.errors) {
        request.outcome = 'BAD_USER_INPUT';
        request.respond(400, { errors: coerced.errors.map((e) => withCode(e, 'BAD_USER_INPUT')) });
        return;
      }
      request.variableValues = coerced.coerced;
      request.document = result.document;
      request.operation = operation;
      request.queryHash = result.hash;
      request.executable = { document: result.document };
    },
  };
}

/** The `sha256Hash` of an automatic persisted query's `extensions.persistedQuery`, if the request carries one. */
function persistedQueryHash(extensions: unknown): string | undefined {
  const persisted = typeof extensions === 'object' && extensions !== null ? (extensions as { persistedQuery?: { sha256Hash?: unknown } }).persistedQuery : undefined;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

/** The query plan cache key of a text (the gateway keys its plans by it and the operation name). */
export function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Deepest nesting the gateway reads, in an operation's text and in its variables (no operation of this graph comes near it). */
export const MAX_NESTING = 64;

/** The deepest nesting of `{`, `[` and `(` in a GraphQL text, outside strings and comments. */
export function nestingOfText(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '"') {
      if (text.startsWith('"""', i)) {
        let end = text.indexOf('"""', i + 3);
        // \""" inside a block string is an escaped quote, not its end.
        while (end > 0 && text[end - 1] === '\\') end = text.indexOf('"""', end + 3);
        // An unterminated block string: the parser says so.
        if (end < 0) return deepest;
        i = end + 2;
      } else {
        for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === '}' || c === ']' || c === ')') {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/** How deep objects and lists nest in a JSON value, counted without recursion and up to `limit` + 1. */
export function nestingOfValue(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) if (typeof child === 'object' && child !== null) stack.push([child, level]);
  }
  return deepest;
}
