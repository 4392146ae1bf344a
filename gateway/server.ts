/**
 * The gateway: @apollo/gateway plans and executes operations over a
 * supergraph file, on Fastify, with the operations endpoints and the offline
 * playground. Every request goes through one ordered list of named plugins
 * (gateway/pipeline.ts; each in gateway/plugins/), and every subgraph fetch
 * through one chain of named links (gateway/fetch/).
 */
import fs from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { FastifyInstance } from 'fastify';
import { getOperationAST, type GraphQLSchema } from 'graphql';
import { closeGracefully, createHttpServer } from '../lib/http';
import { createLogger, type Logger } from '../lib/logger';
import { createServiceMetrics } from '../lib/metrics';
import { operationsPlugin } from '../lib/operations';
import type { GatewayConfig } from '../lib/config';
import { identitySigningKey } from '../lib/config';
import { cachedApiKeyVerifier, isRefusal, remoteApiKeyVerifier, resolveCaller, type CredentialDependencies } from '../lib/auth/credentials';
import { authFailureGuard } from '../lib/auth/auth-failures';
import { subscribeToRevocations } from '../lib/auth/revocations';
import { createJwtVerifier, jwtConfigFromEnv } from '../lib/auth/jwt';
import { connectRedis, fastFailOptions } from '../lib/redis';
import { generationsToBump } from '../lib/invalidation';
import { DepartmentSource } from './department-source';
import { composeLinks, type SubgraphLink } from './fetch/chain';
import { createHttpSender } from './fetch/http';
import { identityLink } from './fetch/identity';
import { requestIdLink } from './fetch/request-id';
import { timeoutLink } from './fetch/timeout';
import { createSubgraphMetrics, metricsLink } from './fetch/metrics';
import { departmentUnavailableLink } from './fetch/department-unavailable';
import { invalidationLink } from './fetch/invalidation';
import { inFlightLink } from './fetch/in-flight';
import { entityCacheLink } from './fetch/entity-cache';
import { playgroundPlugin } from './playground';
import { scopeOfCaller, type GatewayContext } from './context';
import { subgraphsOf } from './supergraph';
import { auditWriterFromEnvironment, type AuditWriter } from './audit/writer';
import { CachePolicy } from './cache/policy';
import { CacheStore, createCacheMetrics } from './cache/store';
import { EntityCache } from './cache/entity-cache';
import { createResponseCache } from './cache/response-cache';
import { accessPolicies, linksAccessSpec } from './auth/field-access';
import { remoteAuthorisationLookup } from './auth/credit-office';
import { pipelineRoute, type Execute, type GatewayPlugin } from './pipeline';
import { requestIdPlugin } from './plugins/request-id';
import { credentialsPlugin } from './plugins/credentials';
import { purposePlugin } from './plugins/purpose';
import { rateLimitPlugin } from './plugins/rate-limit';
import { parseValidatePlugin } from './plugins/parse-validate';
import { complexityPlugin, withExecutionDeadline } from './plugins/complexity';
import { persistedQueriesPlugin } from './plugins/persisted-queries';
import { inputStringsPlugin, strictJsonBodyParser } from './plugins/input-strings';
import { INTROSPECTION_SCOPE, introspectionPlugin } from './plugins/introspection';
import { subjectAuthorisationPlugin } from './plugins/subject-authorisation';
import { fieldAccessPlugin } from './plugins/field-access';
import { responseCachePlugin } from './plugins/response-cache';
import { auditPlugin } from './plugins/audit';
import { metricsPlugin } from './plugins/metrics';
import { errorMaskingPlugin } from './plugins/error-masking';

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

/** The subgraph holding the API clients, the bank authorisations and the audit log. */
export const CREDIT_OFFICE_SUBGRAPH = 'credit';

export async function buildGatewayServer(config: GatewayConfig, logger: Logger = createLogger('gateway', config.logLevel)): Promise<GatewayServer> {
  // Subgraphs answer only requests carrying an identity the gateway signed: without the key there is no graph.
  const signingKey = identitySigningKey();
  if (!signingKey) throw new Error('IDENTITY_SIGNING_KEY is not set: the gateway signs every caller it forwards to the subgraphs with it');
  const supergraphSdl = fs.readFileSync(config.supergraphPath, 'utf8');
  const subgraphUrls = Object.fromEntries(
    subgraphsOf(supergraphSdl).map(({ name, url }) => [name, config.subgraphUrls[name] ?? url]),
  );
  // Field-level authorisation needs the policies the supergraph declares; serving one without them is said out loud.
  const policies = config.access === 'open' ? null : linksAccessSpec(supergraphSdl) ? accessPolicies(supergraphSdl) : undefined;
  if (policies === undefined) {
    throw new Error(
      `${config.supergraphPath} does not link the access spec (@link(url: "https://credit-graph.dev/access/v0.1")), so it declares no field policies and every field would be forbidden: pass --access open (or ACCESS=open) to serve it with field-level authorisation off`,
    );
  }
  if (policies === null) logger.warn('field-level authorisation is OFF (--access open): every caller may read every field');
  const creditUrl = subgraphUrls[CREDIT_OFFICE_SUBGRAPH];
  if (!creditUrl) {
    logger.warn('the supergraph has no credit subgraph: API keys are unavailable (bearer tokens still work), banks are authorised for no subject, and requests are not audited');
  }

  const metrics = createServiceMetrics('gateway');
  const subgraphMetrics = createSubgraphMetrics(metrics.registry);
  const http = createHttpSender();
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

  // The subgraph chain (gateway/fetch/), outermost first.
  const links: SubgraphLink[] = [
    ...(entityCache ? [entityCacheLink(entityCache)] : []),
    inFlightLink(policy),
    departmentUnavailableLink(config.subgraphTimeoutMs),
    ...(invalidate ? [invalidationLink(invalidate)] : []),
    metricsLink(subgraphMetrics),
    requestIdLink(),
    identityLink(signingKey),
    timeoutLink(config.subgraphTimeoutMs),
  ];
  const fetchSubgraph = composeLinks(links, http.send);
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name }) => new DepartmentSource({ name, url: subgraphUrls[name]! }, fetchSubgraph),
  });
  const loaded = await gateway.load();
  // The client-facing (API) schema: what operations are validated against and introspection answers.
  const apiSchema: GraphQLSchema = loaded.schema;
  const schema = () => apiSchema;
  const execute = withExecutionDeadline(executeWith(loaded.executor, apiSchema, logger), config.budgets);

  const jwt = jwtConfigFromEnv();
  const apiKeys = creditUrl ? cachedApiKeyVerifier(remoteApiKeyVerifier({ creditUrl, signingKey })) : undefined;
  const credentials: CredentialDependencies = {
    verifyApiKey: apiKeys,
    knowsApiKey: apiKeys?.knows,
    verifyJwt: jwt ? createJwtVerifier(jwt) : undefined,
  };
  // A revoked client's keys leave every gateway's cache at once when the revocation is announced (5 s at most otherwise).
  const revocations = apiKeys && config.redis ? subscribeToRevocations(config.redis, (clientId) => apiKeys.forgetClient(clientId), logger) : undefined;
  const redisForLimits = config.redis ? connectRedis(config.redis, fastFailOptions(100)) : undefined;

  // The pipeline, in order (gateway/pipeline.ts): who and why, how often, which text (a persisted query's hash
  // becomes its text, judged like any other), what (parsed and validated once), strings a department can store,
  // how big, introspection, which subjects a bank may see in detail, which fields, the cache, then the records.
  const plugins: GatewayPlugin[] = [
    requestIdPlugin(),
    credentialsPlugin(credentials, authFailureGuard(config.authFailures, redisForLimits)),
    purposePlugin(),
    rateLimitPlugin({ requestsPerMinute: config.rateLimitPerMinute, redis: redisForLimits }),
    persistedQueriesPlugin({ enabled: config.persistedQueries }),
    parseValidatePlugin({ schema }),
    inputStringsPlugin(),
    complexityPlugin({ schema, budgets: config.budgets }),
    introspectionPlugin({ production: config.production }),
    subjectAuthorisationPlugin({ authorisedSubjects: creditUrl ? remoteAuthorisationLookup({ creditUrl, signingKey, logger }) : undefined }),
    fieldAccessPlugin({ schema, policies }),
    ...(responseCache ? [responseCachePlugin({ cache: responseCache })] : []),
    auditPlugin({ audit }),
    metricsPlugin({ metrics }),
    errorMaskingPlugin(),
  ];

  // The gateway names requests itself (a client's x-request-id is kept beside, plugins/request-id.ts) and reads bodies as strict UTF-8.
  const app = createHttpServer(logger, { bodyLimit: config.maxBodyBytes, ownRequestIds: true });
  strictJsonBodyParser(app);
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
    // In production the playground (and introspection, plugins/introspection.ts) is for DEVELOPER clients only.
    allow: config.production ? requireDeveloper(credentials) : undefined,
  });
  const route = pipelineRoute(plugins, execute, logger);
  app.route({ url: '/graphql', method: 'POST', handler: route.handler, onSend: route.onSend, onResponse: route.onResponse });

  return {
    app,
    subgraphUrls,
    audit,
    async close() {
      // HTTP first (in-flight requests finish through the still-running gateway), then the gateway, then the sockets.
      await closeGracefully(app);
      await gateway.stop();
      // Every request has recorded its entry by now: deliver them (or spool them) before the sockets go.
      await audit?.close();
      await http.close();
      await store?.close();
      redisForLimits?.disconnect();
      revocations?.close();
    },
  };
}

/** The execution step of the pipeline: the gateway's planner and executor on the document the plugins prepared. */
function executeWith(executor: GatewayExecutor, schema: GraphQLSchema, logger: Logger): Execute {
  return async (request) => {
    const executable = request.executable!;
    const operation = getOperationAST(executable.document, request.operationName)!;
    const context: GatewayContext = { requestId: request.id, caller: request.caller, purpose: request.purpose, scope: scopeOfCaller(request.caller), signal: request.signal };
    const requestContext = {
      logger,
      schema,
      request: { query: request.source, operationName: request.operationName ?? undefined, variables: request.variables },
      response: { http: { headers: new Map(), status: undefined } },
      context,
      cache: undefined,
      document: executable.document,
      source: request.source!,
      queryHash: executable.hash,
      operationName: operation.name?.value ?? null,
      operation,
      metrics: {},
      overallCachePolicy: undefined,
    } as unknown as GatewayGraphQLRequestContext<GatewayContext>;
    const result = await executor(requestContext);
    return result as Awaited<ReturnType<Execute>>;
  };
}

/** The playground in production: DEVELOPER clients only (credentials in the request's headers). */
function requireDeveloper(credentials: CredentialDependencies) {
  return async (request: { headers: Record<string, string | string[] | undefined> }, reply: { code(status: number): { type(t: string): { send(body: string): unknown } } }): Promise<unknown> => {
    const caller = await resolveCaller(request.headers, credentials);
    if (isRefusal(caller) || !caller.scopes.includes(INTROSPECTION_SCOPE as never)) {
      return reply.code(403).type('text/plain; charset=utf-8').send('The playground is for DEVELOPER clients in production: send a DEVELOPER X-Api-Key.');
    }
    return undefined;
  };
}
