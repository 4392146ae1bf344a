/**
 * The plumbing every department subgraph shares: a Federation 2 schema from
 * `schema/<name>.graphql` served by Mercurius on Fastify, the department's
 * own database with its migrations, per-request DataLoaders, operations
 * endpoints, metrics and graceful shutdown. A department supplies only its
 * resolvers, loaders and migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { closeGracefully, createHttpServer } from './http';
import mercurius from 'mercurius';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import closeWithGrace from 'close-with-grace';
import { openDatabase, type Database } from './db';
import { migrate, readMigrations } from './migrate';
import { createLogger, type Logger } from './logger';
import { createServiceMetrics, operationLabel, type ServiceMetrics } from './metrics';
import { operationsPlugin } from './operations';
import { identitySigningKey, ROOT_DIR, subgraphConfig, type SubgraphConfig } from './config';
import { IDENTITY_HEADER, type ForwardedIdentity } from './auth/identity-header';
import { keepRawJsonBodies, signedCallers } from './signed-requests';
import type { SubgraphName } from './departments';
import { changedSubjects, withWriteInvalidation } from './invalidation';
import { publicSubgraphError } from './errors';
import { recordStatusRoutes } from './record-status';
import { maskResidentIds, seesPersonalData } from './personal-data';

/** Type name → field name → resolver; resolvers type their own parent, args and context. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ResolverMap = Record<string, Record<string, (...args: any[]) => unknown>>;

export interface SubgraphContext<Loaders> {
  db: Database;
  loaders: Loaders;
  requestId: string;
  log: FastifyBaseLogger;
  /** Who the gateway says is asking, verified (signed with IDENTITY_SIGNING_KEY): what they may see is decided from its scopes. */
  caller: ForwardedIdentity;
}

export interface SubgraphDefinition<Loaders> {
  name: SubgraphName;
  /** Directory of `NNN_name.sql` migrations. */
  migrationsDir: string;
  resolvers: ResolverMap;
  /** Fresh loaders per request: DataLoader caches must not outlive one request. */
  createLoaders(db: Database): Loaders;
  /**
   * A department that discloses its records: it keeps the credit office's
   * decisions about them (dispute marks, withdrawals; lib/record-status.ts)
   * and serves the internal endpoint the credit office sends them to.
   */
  recordStatus?: boolean;
  /** HTTP routes besides /graphql, e.g. the internal endpoints the gateway calls (registered as a Fastify plugin). */
  routes?: (app: FastifyInstance, db: Database) => Promise<void>;
}

export function schemaPath(name: SubgraphName): string {
  return path.join(ROOT_DIR, 'schema', `${name}.graphql`);
}

export function readSubgraphSdl(name: SubgraphName): string {
  return fs.readFileSync(schemaPath(name), 'utf8');
}

/** Opens the department's database and brings its schema up to date. */
export async function openSubgraphDatabase(
  definition: Pick<SubgraphDefinition<unknown>, 'name' | 'migrationsDir'>,
  config: Pick<SubgraphConfig, 'databaseUrl'>,
): Promise<Database> {
  if (!config.databaseUrl) {
    throw new Error(
      `no database for the ${definition.name} subgraph: set ${definition.name.toUpperCase()}_DATABASE_URL or DATABASE_URL, or run it under \`npm start\`, which starts the embedded PostgreSQL in DATA_DIR/postgres`,
    );
  }
  const db = await openDatabase({ schema: definition.name, url: config.databaseUrl });
  try {
    await migrate(db, readMigrations(definition.migrationsDir));
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

export interface SubgraphSecurity {
  /** IDENTITY_SIGNING_KEY: every GraphQL request must carry an identity the gateway signed with it. */
  identityKey: string;
  /** Clock of the freshness check (tests). */
  now?: () => number;
}

/** The GraphQL endpoint: the only route that needs the gateway's signature (operations and internal routes have their own rules). */
const GRAPHQL_PATH = '/graphql';

export interface BuiltSubgraph {
  app: FastifyInstance;
  metrics: ServiceMetrics;
}

/** Builds the Fastify app of a subgraph over an open database (not listening yet). */
export async function buildSubgraph<Loaders>(
  definition: SubgraphDefinition<Loaders>,
  db: Database,
  logger: Logger = createLogger(`subgraph-${definition.name}`),
  security: SubgraphSecurity,
): Promise<BuiltSubgraph> {
  if (!security?.identityKey) throw new Error(`subgraph ${definition.name}: an identityKey (IDENTITY_SIGNING_KEY) is required`);
  const { identityKey } = security;
  const now = security.now ?? Date.now;
  const metrics = createServiceMetrics(`subgraph-${definition.name}`);
  const app = createHttpServer(logger);

  // Only the gateway may ask: a GraphQL request (any method) without an identity signed with the shared
  // key for this subgraph and this very request (method, path, body), fresh and not seen before, is
  // refused before it is executed, in a body a GraphQL client understands.
  keepRawJsonBodies(app);
  const graphqlCallers = signedCallers({
    key: identityKey,
    audience: definition.name,
    now,
    refuse: (request, reply, reason) => {
      request.log.warn({ reason }, 'GraphQL request without a valid gateway identity refused');
      return reply
        .code(401)
        .type('application/json; charset=utf-8')
        .send({
          errors: [
            {
              message: `a ${IDENTITY_HEADER} header signed by the gateway for this request is required (${reason})`,
              extensions: { code: 'UNAUTHENTICATED', reason },
            },
          ],
        });
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url === GRAPHQL_PATH) return graphqlCallers.onRequest(request, reply);
  });
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url === GRAPHQL_PATH) return graphqlCallers.preHandler(request, reply);
  });
  await app.register(operationsPlugin, {
    metrics,
    readiness: async () => {
      await db.ping();
      return { ready: true, details: { database: 'postgres' } };
    },
  });

  const schema = buildSubgraphSchema([
    // Every write records the subjects it changed; they go back in extensions.invalidatedSubjects (below).
    { typeDefs: parse(readSubgraphSdl(definition.name)), resolvers: withWriteInvalidation(definition.resolvers) as GraphQLResolverMap<unknown> },
  ]);
  await app.register(mercurius, {
    schema,
    path: '/graphql',
    graphiql: false,
    jit: 1,
    // Database errors leave as BAD_USER_INPUT or 'internal error', never with PostgreSQL's text (lib/errors.ts).
    errorFormatter: (execution, context) => {
      for (const error of execution.errors ?? []) if (error.originalError && error !== publicSubgraphError(error)) context.reply.log.error({ err: error.originalError }, 'database error');
      return mercurius.defaultErrorFormatter({ ...execution, errors: execution.errors?.map(publicSubgraphError) }, context);
    },
    context: (request): SubgraphContext<Loaders> => {
      const caller = graphqlCallers.callerOf(request);
      // The onRequest hook refused the request otherwise; never answer without a verified caller.
      if (!caller) throw new Error('GraphQL request reached the resolvers without a verified caller');
      return { db, loaders: definition.createLoaders(db), requestId: request.id, log: request.log, caller };
    },
  });

  if (definition.recordStatus) await app.register(async (scope) => recordStatusRoutes(identityKey, definition.name)(scope, db));
  if (definition.routes) {
    const routes = definition.routes;
    await app.register(async (scope) => routes(scope, db));
  }

  app.graphql.addHook('preExecution', async (_schema, document, context) => {
    (context as unknown as { startedAt: bigint }).startedAt = process.hrtime.bigint();
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition');
    (context as unknown as { operation: string }).operation = operationLabel(
      operation && 'name' in operation ? operation.name?.value : undefined,
    );
  });
  app.graphql.addHook('onResolution', async (execution, context) => {
    // A message may echo a record id or code naming a natural person: masked for callers without `personal`.
    const caller = (context as unknown as { caller?: ForwardedIdentity }).caller;
    if (caller && !seesPersonalData(caller)) {
      for (const error of execution.errors ?? []) (error as { message: string }).message = maskResidentIds(error.message);
    }
    // The gateway that carried a write invalidates these subjects in every gateway's cache (lib/invalidation.ts).
    const changed = changedSubjects(context);
    if (changed) execution.extensions = { ...execution.extensions, invalidatedSubjects: changed };
    const { startedAt, operation } = context as unknown as { startedAt?: bigint; operation?: string };
    if (startedAt === undefined || operation === undefined) return;
    metrics.operations.inc({ operation });
    metrics.operationDuration.observe({ operation }, Number(process.hrtime.bigint() - startedAt) / 1e9);
    for (const error of execution.errors ?? []) {
      metrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
    }
  });

  return { app, metrics };
}

/**
 * Entry point of a subgraph process: configuration from the environment,
 * database, HTTP listener, and a graceful stop on SIGTERM/SIGINT (in-flight
 * requests finish, then the database closes).
 */
export async function runSubgraph<Loaders>(definition: SubgraphDefinition<Loaders>): Promise<void> {
  const config = subgraphConfig(definition.name);
  const logger = createLogger(`subgraph-${definition.name}`, config.logLevel);
  // Checked before the database opens: a subgraph without the key could only refuse every request.
  const identityKey = identitySigningKey();
  if (!identityKey) {
    throw new Error(
      `IDENTITY_SIGNING_KEY is not set: subgraph ${definition.name} answers only requests the gateway signed with it; set the same key (e.g. openssl rand -base64 32) on the gateway and every subgraph`,
    );
  }
  const db = await openSubgraphDatabase(definition, config);
  const { app } = await buildSubgraph(definition, db, logger, { identityKey });

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'stopping after an error');
    else logger.info({ signal }, 'draining requests and stopping');
    await closeGracefully(app);
    await db.close();
  });

  await app.listen({ host: config.host, port: config.port });
  logger.info({ port: config.port }, `subgraph ${definition.name} listening`);
}
