/**
 * The gateway: Apollo Server running @apollo/gateway over a supergraph file,
 * on Fastify, with the operations endpoints and the offline playground.
 * Cross-cutting concerns are Apollo Server plugins around the one pipeline.
 */
import fs from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import { closeGracefully, createHttpServer } from '../lib/http';
import { createLogger, type Logger } from '../lib/logger';
import { createServiceMetrics } from '../lib/metrics';
import { operationsPlugin } from '../lib/operations';
import type { GatewayConfig } from '../lib/config';
import { createKeepAliveFetcher, createSubgraphMetrics, DepartmentSource } from './department-source';
import { metricsPlugin } from './plugins/metrics';
import { playgroundPlugin } from './playground';
import { scopeOf, type GatewayContext } from './context';
import { subgraphsOf } from './supergraph';
import { auditWriterFromEnvironment, type AuditWriter } from './audit/writer';
import { CachePolicy } from './cache/policy';
import { CacheStore, createCacheMetrics } from './cache/store';
import { EntityCache } from './cache/entity-cache';
import { createResponseCache } from './cache/response-cache';
import { generationsToBump } from '../lib/invalidation';
import type { GraphQLSchema } from 'graphql';
import { identitySigningKey } from '../lib/config';
import { cachedApiKeyVerifier, PUBLIC_IDENTITY, remoteApiKeyVerifier } from '../lib/auth/credentials';
import { createJwtVerifier, jwtConfigFromEnv } from '../lib/auth/jwt';
import { connectRedis, fastFailOptions } from '../lib/redis';
import { accessPolicies } from './auth/field-access';
import { createAuthPipeline, DEFAULT_LIMITS } from './auth/pipeline';
import { remoteAuthorisationLookup } from './auth/credit-office';
import { maskInternalErrors } from './auth/errors';

export interface GatewayServer {
  app: FastifyInstance;
  /** Subgraph name → the URL this gateway calls. */
  subgraphUrls: Record<string, string>;
  /** The audit log's writer (gateway/audit/writer.ts): `audit.record(entry)` once per request; null without IDENTITY_SIGNING_KEY. */
  audit: AuditWriter | null;
  close(): Promise<void>;
}

export const DEFAULT_QUERY = `# Welcome to credit-graph. Send X-Api-Key or Authorization in the headers pane.
query SubjectProfile($code: ID!) {
  subject(code: $code) {
    code
    name
    kind
    lists { kind reason department since until }
    market { registration { entityType status establishedOn } penalties { decisionNumber decidedOn } }
    tax { latestRating { year level } majorViolations { caseNumber nature } }
    courts { dishonestDebtors { caseNumber court performanceStatus listedOn removedOn } }
    environment { latestRating { year level } }
  }
}`;

export async function buildGatewayServer(config: GatewayConfig, logger: Logger = createLogger('gateway', config.logLevel)): Promise<GatewayServer> {
  // Subgraphs answer only requests carrying an identity the gateway signed: without the key there is no graph.
  const signingKey = identitySigningKey();
  if (!signingKey) throw new Error('IDENTITY_SIGNING_KEY is not set: the gateway signs every caller it forwards to the subgraphs with it');
  const supergraphSdl = fs.readFileSync(config.supergraphPath, 'utf8');
  const subgraphUrls = Object.fromEntries(
    subgraphsOf(supergraphSdl).map(({ name, url }) => [name, config.subgraphUrls[name] ?? url]),
  );

  const metrics = createServiceMetrics('gateway');
  const subgraphMetrics = createSubgraphMetrics(metrics.registry);
  const pool = createKeepAliveFetcher(config.subgraphTimeoutMs);
  const audit = auditWriterFromEnvironment(subgraphUrls, logger);

  // The cache (gateway/cache/): hints from the supergraph, an in-process store, Redis when configured.
  const policy = new CachePolicy(supergraphSdl);
  const store = config.cache ? new CacheStore({ redis: config.redis, metrics: createCacheMetrics(metrics.registry), logger }) : undefined;
  const entityCache = store ? new EntityCache(store, policy) : undefined;
  const responseCache = store ? createResponseCache(store, policy) : undefined;
  const invalidate = store ? (codes: string[]) => store.invalidate(generationsToBump(codes)) : undefined;
  logger.info(
    { cache: config.cache ? (config.redis ? (config.redis.clusterNodes ? 'l1+redis-cluster' : 'l1+redis') : 'in-process') : 'off' },
    'gateway cache',
  );

  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name }) =>
      new DepartmentSource({
        name,
        url: subgraphUrls[name]!,
        fetcher: pool.fetcher,
        timeoutMs: config.subgraphTimeoutMs,
        metrics: subgraphMetrics,
        policy,
        entityCache,
        invalidate,
        signingKey,
      }),
  });
  // The client-facing schema, for checking operations before they are planned.
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
    apiSchema = loaded;
  });
  const creditUrl = subgraphUrls.credit;
  if (!creditUrl) throw new Error('the supergraph has no credit subgraph: it holds the API clients and authorisations the gateway checks');
  const jwt = jwtConfigFromEnv();
  const redisForLimits = config.redis ? connectRedis(config.redis, fastFailOptions(100)) : undefined;
  const auth = createAuthPipeline({
    schema: () => apiSchema,
    policies: accessPolicies(supergraphSdl),
    verifyApiKey: cachedApiKeyVerifier(remoteApiKeyVerifier({ creditUrl, signingKey })),
    verifyJwt: jwt ? createJwtVerifier(jwt) : undefined,
    authorisedSubjects: remoteAuthorisationLookup({ creditUrl, signingKey, logger }),
    redis: redisForLimits,
    production: config.production,
    limits: { ...DEFAULT_LIMITS, requestsPerMinute: config.rateLimitPerMinute, maxDepth: config.maxQueryDepth },
    audit,
    logger,
  });

  const app = createHttpServer(logger, { bodyLimit: config.maxBodyBytes });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    includeStacktraceInErrorResponses: false,
    // The process's own close-with-grace handler owns SIGTERM and calls close() below;
    // Apollo's handler would stop the gateway under in-flight requests and re-raise the signal.
    stopOnTerminationSignals: false,
    // No fastifyApolloDrainPlugin: close() drains Fastify itself before stopping Apollo.
    plugins: [ApolloServerPluginLandingPageDisabled(), metricsPlugin(metrics)],
    formatError: maskInternalErrors(logger),
  });
  await apollo.start();

  await app.register(operationsPlugin, {
    metrics,
    readiness: async () => {
      const checks = await Promise.all(
        Object.entries(subgraphUrls).map(async ([name, url]) => {
          try {
            const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(config.subgraphTimeoutMs) });
            return [name, response.ok ? 'ready' : `HTTP ${response.status}`] as const;
          } catch (error) {
            return [name, `unreachable: ${(error as Error).message}`] as const;
          }
        }),
      );
      return { ready: checks.every(([, state]) => state === 'ready'), details: { supergraph: 'loaded', subgraphs: Object.fromEntries(checks) } };
    },
  });
  await app.register(playgroundPlugin, {
    endpoint: '/graphql',
    title: 'credit-graph',
    defaultQuery: DEFAULT_QUERY,
    // In production the playground (and introspection, see auth/pipeline.ts) is for DEVELOPER clients only.
    allow: config.production ? auth.requireDeveloper : undefined,
  });
  app.route({
    url: '/graphql',
    method: ['POST', 'OPTIONS'],
    // auth/pipeline.ts: who and why before the response cache (its key has the caller's scope), the operation checks after it (a hit skips them).
    preHandler: [auth.authenticate, ...(responseCache ? [responseCache.preHandler] : []), auth.checkOperation],
    onSend: [auth.fillForbiddenFields, ...(responseCache ? [responseCache.onSend] : [])],
    onResponse: auth.recordAudit,
    handler: fastifyApolloHandler(apollo, {
      context: async (request) => ({
        requestId: request.id,
        caller: request.auth?.caller ?? PUBLIC_IDENTITY,
        purpose: request.auth?.purpose ?? null,
        scope: scopeOf(request),
      }),
    }),
  });

  return {
    app,
    subgraphUrls,
    audit,
    async close() {
      // HTTP first (in-flight requests finish through the still-running gateway), then the gateway, then the sockets.
      await closeGracefully(app);
      await apollo.stop();
      // Every request has recorded its entry by now: deliver them (or spool them) before the sockets go.
      await audit?.close();
      await pool.close();
      await store?.close();
      redisForLimits?.disconnect();
    },
  };
}
