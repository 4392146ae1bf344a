/**
 * How the gateway talks to one department subgraph: a keep-alive HTTP pool
 * (the default fetcher opens a connection per request and was the gateway's
 * main cost), a per-subgraph timeout, the request id passed on, latency and
 * failures measured — and a department that does not answer turned into a
 * `DEPARTMENT_UNAVAILABLE` error (and, for entity fetches, null fields: see
 * unanswered-entities.ts) so the rest of the graph still answers.
 *
 * Around the fetch: the entity cache (cache/entity-cache.ts) answers what it
 * can of an `_entities` fetch and sends the subgraph only the rest; identical
 * requests in flight to one subgraph are merged into one; and a write's
 * `extensions.invalidatedSubjects` is applied and broadcast before the
 * gateway answers the client.
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { Agent, fetch as undiciFetch } from 'undici';
import { Counter, Histogram, type Registry } from 'prom-client';
import { DEPARTMENTS } from '../lib/departments';
import { LATENCY_BUCKETS } from '../lib/metrics';
import { REQUEST_ID_HEADER } from '../lib/logger';
import type { GatewayContext } from './context';
import { unansweredEntities } from './unanswered-entities';
import { IDENTITY_HEADER, signIdentity } from '../lib/auth/identity-header';
import { PUBLIC_IDENTITY } from '../lib/auth/credentials';
import type { CachePolicy } from './cache/policy';
import type { EntityCache } from './cache/entity-cache';

export interface SubgraphMetrics {
  duration: Histogram<'subgraph'>;
  failures: Counter<'subgraph' | 'reason'>;
}

export function createSubgraphMetrics(registry: Registry): SubgraphMetrics {
  return {
    duration: new Histogram({
      name: 'subgraph_request_duration_seconds',
      help: 'Latency of gateway requests to each subgraph',
      labelNames: ['subgraph'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    failures: new Counter({
      name: 'subgraph_failures_total',
      help: 'Subgraph requests that got no usable answer (timeout, refused, HTTP error)',
      labelNames: ['subgraph', 'reason'],
      registers: [registry],
    }),
  };
}

/** The `Department` enum value for a subgraph; a subgraph of another supergraph is named as it is. */
export function departmentName(subgraph: string): string {
  return DEPARTMENTS.find((d) => d.name === subgraph)?.department ?? subgraph.toUpperCase();
}

/** One connection pool for all subgraphs of a gateway process. */
export function createKeepAliveFetcher(timeoutMs: number): { fetcher: Fetcher; close(): Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections: 64 });
  const fetcher = ((url: string, init?: Record<string, unknown>) =>
    undiciFetch(url, { ...(init as object), dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
  // Called once the HTTP server has drained, so nothing is in flight: sockets
  // left to a hung subgraph must not hold the process open (close() would wait on them).
  return { fetcher, close: () => agent.destroy() };
}

export interface DepartmentSourceOptions {
  name: string;
  url: string;
  fetcher: Fetcher;
  timeoutMs: number;
  metrics: SubgraphMetrics;
  /** Cache hints of the supergraph: which fetches may be merged and cached. */
  policy?: CachePolicy;
  /** The entity cache; absent when the cache is off. */
  entityCache?: EntityCache;
  /** Applies the subject codes a subgraph reports as changed by a write (bump and broadcast). */
  invalidate?: (codes: string[]) => Promise<void>;
  /** IDENTITY_SIGNING_KEY: every request carries the caller's identity, signed, for the subgraph to trust. */
  signingKey: string;
}

function failureReason(error: unknown): string {
  const name = (error as { name?: string })?.name;
  const cause = (error as { cause?: { code?: string; name?: string } })?.cause;
  if (name === 'TimeoutError' || cause?.name === 'TimeoutError') return 'timeout';
  if (cause?.code) return cause.code.toLowerCase();
  return 'error';
}

/**
 * A caller's own copy of a shared answer: the data deep-copied (the gateway merges into it), the
 * errors shared (structuredClone would turn a GraphQLError into a plain Error without extensions).
 */
function copyOf(response: GatewayGraphQLResponse): GatewayGraphQLResponse {
  return { ...response, data: response.data ? structuredClone(response.data) : response.data };
}

export class DepartmentSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly timeoutMs: number;
  private readonly metrics: SubgraphMetrics;
  private readonly policy: CachePolicy | undefined;
  private readonly entityCache: EntityCache | undefined;
  private readonly invalidate: ((codes: string[]) => Promise<void>) | undefined;
  private readonly signingKey: string;
  /** Identical requests in flight (same query, variables and scope) → the one fetch answering them all. */
  private readonly inFlight = new Map<string, Promise<GatewayGraphQLResponse>>();

  constructor(options: DepartmentSourceOptions) {
    super({ url: options.url, fetcher: options.fetcher });
    this.subgraph = options.name;
    this.timeoutMs = options.timeoutMs;
    this.metrics = options.metrics;
    this.policy = options.policy;
    this.entityCache = options.entityCache;
    this.invalidate = options.invalidate;
    this.signingKey = options.signingKey;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context?.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    const caller = context?.caller ?? PUBLIC_IDENTITY;
    request.http?.headers.set(
      IDENTITY_HEADER,
      signIdentity(
        { clientId: caller.clientId, role: caller.role, scopes: [...caller.scopes], purpose: context?.purpose ?? null, requestId: context?.requestId ?? '', department: caller.department ?? null },
        this.signingKey,
      ),
    );
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { query, variables } = options.request;
    const scope = options.context?.scope ?? 'PUBLIC';
    if (this.entityCache && query) {
      const cached = await this.entityCache.resolve(this.subgraph, query, variables, scope, (representations) =>
        this.merged({ ...options, request: { ...options.request, variables: { ...variables, representations } } }),
      );
      if (cached) return cached;
    }
    return this.merged(options);
  }

  /**
   * Merges identical in-flight requests: only reads the schema marks
   * cacheable (TTL > 0), since those answer the same to everyone in the
   * scope; never a mutation, nor a creditCheck (each records a check). Each
   * caller gets its own copy, as the gateway merges answers into its result.
   */
  private async merged(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { query, variables } = options.request;
    if (!this.policy || !query || this.policy.fetch(query).maxTtl <= 0) return this.fetchOnce(options);
    const key = `${options.context?.scope ?? 'PUBLIC'}\u0000${query}\u0000${JSON.stringify(variables ?? {})}`;
    const pending = this.inFlight.get(key);
    if (pending) return copyOf(await pending);
    const fetching = this.fetchOnce(options);
    this.inFlight.set(key, fetching);
    try {
      return copyOf(await fetching);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** One request to the subgraph: timed, failures turned into DEPARTMENT_UNAVAILABLE, reported writes applied. */
  private async fetchOnce(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const stopTimer = this.metrics.duration.startTimer({ subgraph: this.subgraph });
    let response: GatewayGraphQLResponse;
    try {
      response = await super.process(options);
    } catch (error) {
      const reason = failureReason(error);
      this.metrics.failures.inc({ subgraph: this.subgraph, reason });
      const department = departmentName(this.subgraph);
      const detail = reason === 'timeout' ? `no answer within ${this.timeoutMs} ms` : (error as Error).message;
      const unavailable = new GraphQLError(`department ${department} did not answer: ${detail}`, {
        extensions: { code: 'DEPARTMENT_UNAVAILABLE', department, subgraph: this.subgraph, reason },
      });
      const entities = unansweredEntities(options.request.query ?? '', options.request.variables);
      if (!entities) throw unavailable;
      return { data: { _entities: entities }, errors: [unavailable] };
    } finally {
      stopTimer();
    }
    // A write's changed subjects: invalidated everywhere before the client hears the write succeeded.
    const changed = response.extensions?.invalidatedSubjects;
    if (this.invalidate && Array.isArray(changed) && changed.length > 0) {
      await this.invalidate(changed.filter((code): code is string => typeof code === 'string'));
    }
    return response;
  }
}
