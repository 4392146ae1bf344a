/**
 * The gateway: operations planned and executed over a supergraph file
 * (gateway/execution.ts: @apollo/query-planner and @apollo/gateway's
 * executeQueryPlan), on Fastify, with the operations endpoints and the offline
 * playground. Every request goes through one ordered list of named plugins
 * (gateway/pipeline.ts; each in gateway/plugins/), and every subgraph fetch
 * through one chain of named links (gateway/fetch/).
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { closeGracefully, createHttpServer } from '../lib/http';
import { createLogger, type Logger } from '../lib/logger';
import { createServiceMetrics } from '../lib/metrics';
import { operationsPlugin } from '../lib/operations';
import type { GatewayConfig } from '../lib/config';
import { identitySigningKey } from '../lib/config';
import { cachedApiKeyVerifier, remoteApiKeyVerifier, type CredentialDependencies } from '../lib/auth/credentials';
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
import { subgraphsOf } from './supergraph';
import { auditWriterFromEnvironment, type AuditWriter } from './audit/writer';
import { CachePolicy } from './cache/policy';
import { CacheStore, createCacheMetrics } from './cache/store';
import { EntityCache } from './cache/entity-cache';
import { createResponseCache } from './cache/response-cache';
import { accessPolicies, linksAccessSpec } from './auth/field-access';
import { remoteAuthorisationLookup } from './auth/credit-office';
import { createExecution } from './execution';
import { pipelineRoute, requestError, type GatewayPlugin } from './pipeline';
import { personLookupsPlugin } from './plugins/person-lookups';
import { clientAddress } from '../lib/client-address';
import { requestIdPlugin } from './plugins/request-id';
import { credentialsPlugin } from './plugins/credentials';
import { purposePlugin } from './plugins/purpose';
import { rateLimitPlugin } from './plugins/rate-limit';
import { parseValidatePlugin } from './plugins/parse-validate';
import { complexityPlugin, withExecutionDeadline } from './plugins/complexity';
import { persistedQueriesPlugin } from './plugins/persisted-queries';
import { inputStringsPlugin, strictJsonBodyParser } from './plugins/input-strings';
import { introspectionPlugin } from './plugins/introspection';
import { subjectAuthorisationPlugin } from './plugins/subject-authorisation';
import { fieldAccessPlugin } from './plugins/field-access';
import { responseCachePlugin } from './plugins/response-cache';
import { auditPlugin } from './plugins/audit';
import { metricsPlugin } from './plugins/metrics';
import { errorMaskingPlugin } from './plugins/error-masking';
import { personalDataPlugin } from './plugins/personal-data';

export interface GatewayServer {
  app: FastifyInstance;
  /** Subgraph name → the URL this gateway calls. */
  subgraphUrls: Record<string, string>;
  /** The audit log's writer (gateway/audit/writer.ts): `audit.record(entry)` once per request; null without IDENTITY_SIGNING_KEY. */
  audit: AuditWriter | null;
  /** What this gateway does for its supergraph and configuration, for the start-up line. */
  capabilities: Record<'fieldAccess' | 'apiKeys' | 'bearerTokens' | 'cache' | 'audit', string>;
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

/** What a browser opening /graphql reads in production, where the playground is not served. */
export const PRODUCTION_NOTICE = `This is the credit-graph GraphQL API. The playground is not served in production.

Send GraphQL here with POST (a JSON body: {"query": "...", "variables": {...}}) or, for queries, with GET (?query=...&variables=...). Credentials go in the X-Api-Key or Authorization: Bearer header; introspection is open to DEVELOPER clients.`;

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
  const jwt = jwtConfigFromEnv();
  if (!creditUrl) {
    logger.warn(
      `the supergraph has no ${CREDIT_OFFICE_SUBGRAPH} subgraph, so no register of API clients: API keys are unavailable (an X-Api-Key is refused as such), ${jwt ? 'bearer tokens are verified as usual' : 'and no JWT key is configured (JWT_SECRET, JWT_JWKS_FILE or JWT_JWKS_URL), so every caller is PUBLIC'}; financial institutions are authorised for no subject`,
    );
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
  const cacheMode = config.cache ? (config.redis ? (config.redis.clusterNodes ? 'l1+redis-cluster' : 'l1+redis') : 'in-process') : 'off';

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
  const execution = createExecution({
    supergraphSdl,
    logger,
    dataSource: (name) => new DepartmentSource({ name, url: subgraphUrls[name]! }, fetchSubgraph),
  });
  // The client-facing (API) schema: what operations are validated against and introspection answers.
  const apiSchema: GraphQLSchema = execution.apiSchema;
  const schema = () => apiSchema;
  const execute = withExecutionDeadline(execution.execute, config.budgets);
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
  // how big, introspection, which subjects a bank may see in detail, which fields, the cache, then the records;
  // the answer's errors masked, then its personal data.
  const plugins: GatewayPlugin[] = [
    requestIdPlugin(),
    credentialsPlugin(credentials, authFailureGuard(config.authFailures, redisForLimits)),
    purposePlugin(),
    rateLimitPlugin({ requestsPerMinute: config.rateLimitPerMinute, redis: redisForLimits }),
    persistedQueriesPlugin({ enabled: config.persistedQueries }),
    parseValidatePlugin({ schema }),
    inputStringsPlugin(),
    personLookupsPlugin({ perMinute: config.personLookupsPerMinute, redis: redisForLimits }),
    complexityPlugin({ schema, budgets: config.budgets }),
    introspectionPlugin({ production: config.production }),
    subjectAuthorisationPlugin({ authorisedSubjects: creditUrl ? remoteAuthorisationLookup({ creditUrl, signingKey, logger }) : undefined }),
    fieldAccessPlugin({ schema, policies }),
    ...(responseCache ? [responseCachePlugin({ cache: responseCache })] : []),
    auditPlugin({ audit }),
    metricsPlugin({ metrics }),
    errorMaskingPlugin(),
    // Last: natural persons masked in whatever the answer became (lib/personal-data.ts).
    personalDataPlugin(),
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
  const route = pipelineRoute(plugins, execute, logger, (http) => clientAddress(http.ip, http.headers, config.proxySecret));
  app.route({ url: '/graphql', method: 'POST', handler: route.handler, onSend: route.onSend, onResponse: route.onResponse });
  // Any other method is refused here, not by Fastify's 404, so that it is audited like every refusal (found by the black-box review).
  app.route({
    url: '/graphql',
    method: ['PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    onSend: route.onSend,
    onResponse: route.onResponse,
    handler: async (_http, reply) =>
      reply.code(405).header('allow', 'GET, POST').send({ errors: [requestError('BAD_REQUEST', 'GraphQL is served over GET (queries) and POST; this method is not')] }),
  });
  await app.register(playgroundPlugin, {
    endpoint: '/graphql',
    title: 'credit-graph',
    defaultQuery: DEFAULT_QUERY,
    // GET with a query string is GraphQL over HTTP (queries only), through the same pipeline as a POST.
    graphqlGet: route,
    // No playground in production (nor introspection but for DEVELOPER clients, plugins/introspection.ts): a browser is told how to call the API.
    unavailable: config.production ? PRODUCTION_NOTICE : undefined,
  });

  return {
    app,
    subgraphUrls,
    audit,
    capabilities: {
      fieldAccess: policies ? 'enforced (@access policies of the supergraph)' : 'off (--access open)',
      apiKeys: creditUrl ? `checked with the ${CREDIT_OFFICE_SUBGRAPH} subgraph` : `unavailable (no ${CREDIT_OFFICE_SUBGRAPH} subgraph)`,
      bearerTokens: jwt ? 'verified' : 'unavailable (no JWT key configured)',
      cache: cacheMode,
      audit: audit ? `to the ${CREDIT_OFFICE_SUBGRAPH} subgraph` : `off (no ${CREDIT_OFFICE_SUBGRAPH} subgraph)`,
    },
    async close() {
      // HTTP first (in-flight requests finish through the still-running execution), then the sockets.
      await closeGracefully(app);
      // Every request has recorded its entry by now: deliver them (or spool them) before the sockets go.
      await audit?.close();
      await http.close();
      await store?.close();
      redisForLimits?.disconnect();
      revocations?.close();
    },
  };
}
