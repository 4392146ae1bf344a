/**
 * Introspection: open to every role in development; in production only to
 * callers with the `introspection` scope (DEVELOPER), anywhere in the
 * operation (a fragment spread at the root included). Others: 403 FORBIDDEN.
 */
import { Kind, visit, type DocumentNode } from 'graphql';
import { requestError, type GatewayPlugin } from '../pipeline';

export const INTROSPECTION_SCOPE = 'introspection';

/** Per parsed document (shared by every request with the same text): whether it selects __schema or __type anywhere. */
const verdicts = new WeakMap<DocumentNode, boolean>();

export function selectsIntrospection(document: DocumentNode): boolean {
  let found = verdicts.get(document);
  if (found !== undefined) return found;
  found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  verdicts.set(document, found);
  return found;
}

export function introspectionPlugin(options: { production: boolean }): GatewayPlugin {
  return {
    name: 'introspection',
    onRequest(request) {
      if (!options.production || !request.document || request.scopes.has(INTROSPECTION_SCOPE)) return;
      if (!selectsIntrospection(request.document)) return;
      request.outcome = 'FORBIDDEN';
      request.respond(403, { errors: [requestError('FORBIDDEN', 'introspection is only for DEVELOPER clients in production')] });
    },
  };
}
