/**
 * Runs a department subgraph in-process against a database of its own on the
 * test run's PostgreSQL server, for the per-subgraph suites.
 *
 * A subgraph answers only requests the gateway signed (lib/subgraph.ts), so
 * the helper plays the gateway: a random IDENTITY_SIGNING_KEY per subgraph,
 * and every request it sends signed as an APPROVAL_SYSTEM caller unless the
 * test asks as someone else (`{ as: { role: 'PUBLIC' } }`).
 */
import crypto from 'node:crypto';
import type { Database } from '../../lib/db';
import { buildSubgraph, openSubgraphDatabase, type SubgraphDefinition } from '../../lib/subgraph';
import { createLogger } from '../../lib/logger';
import { createTestDatabase } from './postgres';
import type { FastifyInstance } from 'fastify';
import { IDENTITY_HEADER, signIdentity, type ForwardedIdentity, type SignedRequest } from '../../lib/auth/identity-header';
import { ROLE_SCOPES, type Role } from '../../lib/auth/roles';

/**
 * Who a request is sent as: a role (its scopes from lib/auth/roles.ts unless
 * given) and optionally the rest of the forwarded identity.
 */
export type CallerOverride = { role: Role | (string & {}) } & Partial<Omit<ForwardedIdentity, 'role'>>;

export interface RequestOptions {
  /** The caller the request is signed as; default DEFAULT_CALLER (APPROVAL_SYSTEM). */
  as?: CallerOverride;
  /** Extra headers, sent last: e.g. `{ [IDENTITY_HEADER]: 'forged' }` replaces the signed identity. */
  headers?: Record<string, string>;
  /** false: no identity header at all (a direct call around the gateway). */
  signed?: boolean;
}

/** The caller every helper request is signed as by default: an approval system (records, no personal data). */
export const DEFAULT_CALLER: CallerOverride = { role: 'APPROVAL_SYSTEM' };

/** The full forwarded identity of a caller override: scopes default to its role's. */
export function forwardedIdentity(as: CallerOverride = DEFAULT_CALLER): ForwardedIdentity {
  const roleScopes = (ROLE_SCOPES as Record<string, readonly string[] | undefined>)[as.role] ?? [];
  return {
    clientId: as.clientId !== undefined ? as.clientId : as.role === 'PUBLIC' ? null : `test-${as.role.toLowerCase()}`,
    role: as.role,
    scopes: as.scopes ?? [...roleScopes],
    purpose: as.purpose !== undefined ? as.purpose : as.role === 'PUBLIC' ? null : 'test',
    requestId: as.requestId ?? 'test-request',
    department: as.department ?? null,
  };
}

export interface SubgraphUnderTest {
  db: Database;
  app: FastifyInstance;
  /** The IDENTITY_SIGNING_KEY this subgraph verifies callers with (random per subgraph unless given). */
  identityKey: string;
  /**
   * A signed identity header value for the caller (default DEFAULT_CALLER), as the gateway would send it
   * for a request to this subgraph: by default POST /graphql with `body` (an object is sent as its JSON).
   */
  sign(as?: CallerOverride, at?: number, request?: Partial<Omit<SignedRequest, 'body'>> & { body?: unknown }): string;
  /** POSTs a GraphQL request signed as `options.as` (default APPROVAL_SYSTEM) and returns the parsed body. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<{ data?: T; errors?: any[] }>;
  /** Resolves `Subject` representations through `_entities`, as the gateway does. */
  entities<T = any>(codes: string[], selection: string, options?: RequestOptions): Promise<T[]>;
  close(): Promise<void>;
}

export interface StartSubgraphOptions {
  /** IDENTITY_SIGNING_KEY of the subgraph; default a fresh random one. */
  identityKey?: string;
}

export async function startSubgraph<L>(definition: SubgraphDefinition<L>, options: StartSubgraphOptions = {}): Promise<SubgraphUnderTest> {
  const database = await createTestDatabase(definition.name);
  const db = await openSubgraphDatabase(definition, { databaseUrl: database.url });
  const identityKey = options.identityKey ?? crypto.randomBytes(32).toString('base64url');
  const { app } = await buildSubgraph(definition, db, createLogger(`test-${definition.name}`, 'warn'), { identityKey });
  await app.ready();
  const sign = (as?: CallerOverride, at?: number, request: Partial<Omit<SignedRequest, 'body'>> & { body?: unknown } = {}) =>
    signIdentity(
      forwardedIdentity(as),
      identityKey,
      {
        audience: request.audience ?? definition.name,
        method: request.method ?? 'POST',
        target: request.target ?? '/graphql',
        body: typeof request.body === 'string' ? request.body : request.body === undefined ? '' : JSON.stringify(request.body),
      },
      at,
    );
  const graphql = async (query: string, variables?: Record<string, unknown>, request: RequestOptions = {}) => {
    const payload = JSON.stringify({ query, variables });
    const headers: Record<string, string> = request.signed === false ? {} : { [IDENTITY_HEADER]: sign(request.as, undefined, { body: payload }) };
    const response = await app.inject({ method: 'POST', url: '/graphql', payload, headers: { 'content-type': 'application/json', ...headers, ...request.headers } });
    return response.json();
  };
  return {
    db,
    app,
    identityKey,
    sign,
    graphql,
    async entities(codes, selection, request) {
      const result = await graphql(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { ${selection} } } }`,
        { r: codes.map((code) => ({ __typename: 'Subject', code })) },
        request,
      );
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data._entities;
    },
    async close() {
      await app.close();
      await db.close();
      await database.drop();
    },
  };
}

/** Counts the statements a database runs while `fn` executes. */
export async function countQueries<T>(db: Database, fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const original = db.query;
  db.query = (<R>(sql: string, params?: readonly unknown[]) => {
    statements.push(sql);
    return original.call(db, sql, params) as Promise<R[]>;
  }) as Database['query'];
  try {
    return { result: await fn(), statements };
  } finally {
    db.query = original;
  }
}
