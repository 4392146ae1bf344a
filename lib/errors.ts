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
