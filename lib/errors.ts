/**
 * GraphQL errors with the `extensions.code` values of the public contract
 * (API.md). Resolvers throw these; both Mercurius and Apollo Server keep the
 * extensions when they serialise the error.
 */
import { GraphQLError } from 'graphql';
import { validateSubjectCode, type InvalidCodeReason } from './identifiers';

/** `extra` adds detail; it can never replace `code`, which clients branch on. */
export function badUserInput(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extra, code: 'BAD_USER_INPUT' } });
}

export function invalidCode(code: string, reason: InvalidCodeReason, message: string): GraphQLError {
  return badUserInput(`invalid subject code '${code}': ${message}`, { reason, input: code });
}

/**
 * Normalises a batch of subject codes (same order), or throws BAD_USER_INPUT
 * for a batch over `limit` or the first invalid code, naming its index.
 */
export function requireSubjectCodes(codes: readonly string[], limit: number): string[] {
  if (codes.length > limit) throw badUserInput(`a batch may name at most ${limit} codes, got ${codes.length}`, { limit });
  return codes.map((code, index) => {
    const result = validateSubjectCode(code);
    if (!result.valid) {
      throw badUserInput(`invalid subject code '${code}' at codes[${index}]: ${result.message}`, { reason: result.reason, input: code, index });
    }
    return result.code;
  });
}

/** Normalises a subject code or throws BAD_USER_INPUT with the reason. */
export function requireSubjectCode(input: string): string {
  const result = validateSubjectCode(input);
  if (!result.valid) throw invalidCode(input, result.reason, result.message);
  return result.code;
}

/** SQLSTATEs of a string PostgreSQL cannot store (a NUL character, a byte sequence that is not UTF-8). */
const UNSTORABLE_STRING_STATES = new Set(['22021', '22P05']);

/**
 * What a subgraph answers for an error a resolver let through: GraphQL errors
 * as they are; a database error never with its text (it names tables,
 * columns, encodings): a string the database cannot hold is the caller's
 * BAD_USER_INPUT, anything else an internal error (the log has the detail).
 */
export function publicSubgraphError(error: GraphQLError): GraphQLError {
  const original = error.originalError as { code?: unknown; severity?: unknown } | undefined;
  const fromDatabase = original !== undefined && typeof original.code === 'string' && /^[0-9A-Z]{5}$/.test(original.code) && typeof original.severity === 'string';
  if (!fromDatabase) return error;
  const state = original.code as string;
  if (UNSTORABLE_STRING_STATES.has(state)) {
    return new GraphQLError('a string argument holds a character that cannot be stored (a NUL character, or bytes that are not UTF-8)', {
      path: error.path,
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' },
    });
  }
  return new GraphQLError('internal error', { path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
