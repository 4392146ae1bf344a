/**
 * Input strings: text no department can store — a NUL character, half of a
 * UTF-16 surrogate pair (JSON's `"\ud800"`), bytes that are not UTF-8 — is
 * refused at the gateway, before any department is asked, with 400
 * BAD_USER_INPUT (reason INVALID_STRING) naming where it is: the variable's
 * path, or the literal's place in the client's text. Without this a NUL
 * reached PostgreSQL and a lone surrogate was silently replaced on the way.
 *
 * The JSON body itself is decoded strictly (strictJsonBodyParser): a body
 * that is not UTF-8 is refused before it is parsed, where the default parser
 * would replace the bytes it cannot decode.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { GraphQLError, visit, type DocumentNode, type GraphQLFormattedError, type StringValueNode } from 'graphql';
import type { GatewayPlugin } from '../pipeline';
import { MAX_NESTING } from './parse-validate';

/** NUL, or a surrogate without its other half. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableString(text: string): boolean {
  return !UNSTORABLE.test(text);
}

const MESSAGE = 'holds a character no department can store (a NUL character, or half of a UTF-16 surrogate pair)';

function invalid(message: string, nodes?: StringValueNode): GraphQLFormattedError {
  const formatted = new GraphQLError(message, { nodes }).toJSON();
  return { ...formatted, extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' } };
}

/** Paths (`variables.input.reason`, `variables.codes[3]`) of the unstorable strings in a JSON value, keys included. */
export function unstorableStrings(value: unknown, path: string, found: string[] = [], depth = 0): string[] {
  // Deeper variables never get here (parse-validate refuses them), so every string is looked at.
  if (found.length >= 10 || depth > MAX_NESTING) return found;
  if (typeof value === 'string') {
    if (!isStorableString(value)) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => unstorableStrings(item, `${path}[${index}]`, found, depth + 1));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableString(key)) found.push(`${path} (a key)`);
      else unstorableStrings(item, `${path}.${key}`, found, depth + 1);
    }
  }
  return found;
}

/** The literals of a parsed document that cannot be stored (a parsed document is shared by every request with that text). */
const literalVerdicts = new WeakMap<DocumentNode, StringValueNode[]>();

function unstorableLiterals(document: DocumentNode): StringValueNode[] {
  let found = literalVerdicts.get(document);
  if (!found) {
    const nodes: StringValueNode[] = [];
    visit(document, {
      StringValue(node) {
        if (!isStorableString(node.value)) nodes.push(node);
      },
    });
    found = nodes;
    literalVerdicts.set(document, found);
  }
  return found;
}

export function inputStringsPlugin(): GatewayPlugin {
  return {
    name: 'input-strings',
    onRequest(request) {
      if (!request.document) return;
      const errors = [
        ...unstorableLiterals(request.document).map((node) => invalid(`a string literal ${MESSAGE}`, node)),
        ...unstorableStrings(request.variables, 'variables').map((path) => invalid(`${path} ${MESSAGE}`)),
      ];
      if (errors.length === 0) return;
      request.outcome = 'BAD_USER_INPUT';
      request.respond(400, { errors });
    },
  };
}

/** A 400 error Fastify answers before the pipeline runs. */
function bodyError(message: string): Error & { statusCode: number; code: string } {
  return Object.assign(new Error(message), { statusCode: 400, code: 'INVALID_STRING' });
}

/** Replaces the JSON body parser: the bytes must be UTF-8, then Fastify's own parser (with its prototype-poisoning guard) reads them. */
export function strictJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) return done(bodyError('the request body is not valid UTF-8'), undefined);
    parseJson(request, bytes.toString('utf8'), done);
  });
}
