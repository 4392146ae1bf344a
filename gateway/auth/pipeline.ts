/**
 * The authorised API as hooks around the one /graphql pipeline (model:
 * envelop): who is calling, why, how often, how big a query, which fields,
 * and the audit entry — each a step with one job, in this order:
 *
 *   authenticate → [response cache] → checkOperation → (Apollo) → fillForbidden → [response cache] → audit
 *
 * - authenticate: the credential (API key or JWT) becomes a caller; none is
 *   PUBLIC, a bad one is refused with UNAUTHENTICATED (never PUBLIC); non-public
 *   roles must say why (X-Purpose); per-client rate limits shared by every
 *   gateway through Redis.
 * - checkOperation: depth, cost and alias limits (QUERY_TOO_COMPLEX),
 *   introspection only for DEVELOPER in production, and field-level access
 *   (field-access.ts): forbidden fields leave the operation here, so no
 *   subgraph is asked for them, and a bank's tax detail is kept only for the
 *   subjects that authorised that bank.
 * - fillForbidden puts them back as null with FORBIDDEN; the audit entry is
 *   recorded after the response went out, so it never slows a request.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, Kind, parse, print, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type ValidationContext } from 'graphql';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { collectSubjectCodes } from '../../lib/invalidation';
import { isRefusal, PUBLIC_IDENTITY, resolveCaller, type CallerIdentity } from '../../lib/auth/credentials';
import type { Logger } from '../../lib/logger';
import type { RedisClient } from '../../lib/redis';
import type { AuditWriter } from '../audit/writer';
import { fillForbidden, planFieldAccess, type AccessPolicies, type ResponsePath } from './field-access';

export interface AuthLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  /** Requests per client (or per address for PUBLIC) per minute. */
  requestsPerMinute: number;
}

export const DEFAULT_LIMITS: AuthLimits = { maxDepth: 10, maxCost: 20_000, maxAliases: 30, requestsPerMinute: 600 };

export interface AuthPipelineOptions {
  /** The client-facing schema, once the gateway has loaded it. */
  schema: () => GraphQLSchema | undefined;
  policies: AccessPolicies;
  verifyApiKey: Parameters<typeof resolveCaller>[1]['verifyApiKey'];
  verifyJwt?: Parameters<typeof resolveCaller>[1]['verifyJwt'];
  /** Which of the codes the financial institution's client is authorised for (the credit office's records). */
  authorisedSubjects: (clientId: string, codes: string[]) => Promise<Set<string>>;
  /** Redis shared by the gateway instances, for rate limits; undefined: per process. */
  redis: RedisClient | undefined;
  production: boolean;
  limits: AuthLimits;
  audit: AuditWriter | null;
  logger: Logger;
}

export const PURPOSE_HEADER = 'x-purpose';

/** What the pipeline knows about a request, from authentication to the audit entry. */
export interface RequestAuth {
  caller: CallerIdentity;
  purpose: string | null;
  /** Set when fields were taken out: how to put them back. */
  access?: { document: DocumentNode; operationName: string | null; scopesAt: (path: ResponsePath) => ReadonlySet<string> };
  /** The parsed operation, for the audit entry. */
  document?: DocumentNode;
  outcome?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: RequestAuth;
  }
}

interface GraphQLBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

function refuse(reply: FastifyReply, status: number, code: string, message: string, extensions: Record<string, unknown> = {}) {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ errors: [{ message, extensions: { ...extensions, code } }] }));
}

/** Where the gateway asks the credit office about a bank's authorisations: the root fields that name subjects. */
const SUBJECT_ROOTS: Record<string, 'code' | 'codes'> = { subject: 'code', subjects: 'codes' };

export function createAuthPipeline(options: AuthPipelineOptions) {
  const { limits, logger } = options;
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: 'cg:rate',
        points: limits.requestsPerMinute,
        duration: 60,
        // Redis down: every gateway limits on its own rather than not at all, or refusing everyone.
        insuranceLimiter: new RateLimiterMemory({ points: limits.requestsPerMinute, duration: 60 }),
      })
    : new RateLimiterMemory({ points: limits.requestsPerMinute, duration: 60 });
  // graphql-armor throws on the first violation by default; reported instead, they come back as validation errors.
  const report = { propagateOnRejection: false, onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)] };
  const complexityRules = [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...report }),
    costLimitRule({ maxCost: limits.maxCost, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
  ];

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const caller = await resolveCaller(request.headers, { verifyApiKey: options.verifyApiKey, verifyJwt: options.verifyJwt });
    const purposeHeader = request.headers[PURPOSE_HEADER];
    const purpose = typeof purposeHeader === 'string' && purposeHeader.trim() !== '' ? purposeHeader.trim().slice(0, 500) : null;
    if (isRefusal(caller)) {
      request.auth = { caller: PUBLIC_IDENTITY, purpose, outcome: 'UNAUTHENTICATED' };
      return refuse(reply, 401, 'UNAUTHENTICATED', `the credential was refused (${caller.refused})`, { reason: caller.refused });
    }
    request.auth = { caller, purpose };
    if (caller.role !== 'PUBLIC' && purpose === null) {
      request.auth.outcome = 'BAD_USER_INPUT';
      return refuse(reply, 400, 'BAD_USER_INPUT', `role ${caller.role} must say why it asks: send the X-Purpose header (e.g. the licence application number)`, {
        reason: 'PURPOSE_REQUIRED',
      });
    }
    try {
      await limiter.consume(caller.clientId ?? `ip:${request.ip}`);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      request.auth.outcome = 'RATE_LIMITED';
      reply.header('retry-after', Math.ceil(error.msBeforeNext / 1000));
      return refuse(reply, 429, 'RATE_LIMITED', `rate limit of ${limits.requestsPerMinute} requests per minute reached; retry in ${Math.ceil(error.msBeforeNext / 1000)} s`);
    }
    return undefined;
  }

  async function checkOperation(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const auth = request.auth;
    const schema = options.schema();
    const body = request.body as GraphQLBody | undefined;
    if (!auth || !schema || !body || typeof body.query !== 'string') return undefined; // Apollo answers malformed requests itself
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch {
      return undefined;
    }
    auth.document = document;
    const complexity = validate(schema, document, complexityRules);
    if (complexity.length > 0) {
      auth.outcome = 'QUERY_TOO_COMPLEX';
      return refuse(reply, 400, 'QUERY_TOO_COMPLEX', complexity.map((e) => e.message.replace(/^Syntax Error: /, '')).join('; '));
    }
    const scopes = new Set(auth.caller.scopes);
    if (options.production && !scopes.has('introspection') && selectsIntrospection(document)) {
      auth.outcome = 'FORBIDDEN';
      return refuse(reply, 403, 'FORBIDDEN', 'introspection is only for DEVELOPER clients in production');
    }

    const operationName = typeof body.operationName === 'string' ? body.operationName : null;
    const variables = (typeof body.variables === 'object' && body.variables !== null ? body.variables : {}) as Record<string, unknown>;
    // A bank holds tax:detail only for the subjects that authorised it: decide per root field (and list position).
    let scopesAt: (path: ResponsePath) => ReadonlySet<string> = () => scopes;
    if (auth.caller.role === 'FINANCIAL_INSTITUTION' && scopes.has('tax:detail')) {
      const named = subjectsNamed(document, operationName, variables);
      const all = [...new Set([...named.values()].flat())];
      const authorised = all.length > 0 && auth.caller.clientId ? await options.authorisedSubjects(auth.caller.clientId, all) : new Set<string>();
      const without = new Set([...scopes].filter((scope) => scope !== 'tax:detail'));
      scopesAt = (path) => {
        const codes = named.get(String(path[0]));
        const code = codes && (codes.length === 1 && typeof path[1] !== 'number' ? codes[0] : typeof path[1] === 'number' ? codes[path[1]] : undefined);
        return code !== undefined && authorised.has(code) ? scopes : without;
      };
      if (authorised.size === 0) scopes.delete('tax:detail');
    }
    const plan = planFieldAccess(schema, document, options.policies, scopes);
    if (plan.forbidden.length > 0 || auth.caller.role === 'FINANCIAL_INSTITUTION') {
      auth.access = { document, operationName, scopesAt };
      if (plan.forbidden.length > 0) body.query = print(plan.document);
    }
    return undefined;
  }

  /** onSend: the forbidden fields back in place, null with FORBIDDEN errors. */
  async function fillForbiddenFields(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const access = request.auth?.access;
    const schema = options.schema();
    if (!access || !schema || typeof payload !== 'string' || reply.getHeader('x-cache') === 'HIT') return payload;
    let body: { data?: Record<string, unknown> | null; errors?: unknown[]; extensions?: unknown };
    try {
      body = JSON.parse(payload) as typeof body;
    } catch {
      return payload;
    }
    if (!body.data) return payload;
    const filled = fillForbidden(schema, access.document, access.operationName, options.policies, access.scopesAt, body.data as never);
    if (filled.errors.length === 0) return payload;
    request.auth!.outcome = 'PARTIAL';
    return JSON.stringify({ ...body, data: filled.data, errors: [...(body.errors ?? []), ...filled.errors.map((e) => e.toJSON())] });
  }

  /** onResponse: one audit entry per request, after the answer went out. */
  function recordAudit(request: FastifyRequest, reply: FastifyReply): void {
    const audit = options.audit;
    const auth = request.auth;
    if (!audit || !auth) return;
    try {
      const body = request.body as GraphQLBody | undefined;
      const document = auth.document;
      const operation = document?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      audit.record({
        requestId: request.id,
        clientId: auth.caller.clientId,
        role: auth.caller.role,
        purpose: auth.purpose,
        operationName: (typeof body?.operationName === 'string' ? body.operationName : operation?.name?.value) ?? null,
        subjects: [...collectSubjectCodes(body?.variables ?? {})].slice(0, 10_000),
        fieldGroups: operation ? fieldGroupsOf(operation) : [],
        outcome: auth.outcome ?? (reply.statusCode >= 500 ? 'ERROR' : reply.statusCode >= 400 ? 'BAD_USER_INPUT' : 'OK'),
      });
    } catch (error) {
      logger.error({ err: error }, 'could not record the audit entry');
    }
  }

  /** The playground in production: DEVELOPER clients only (credentials in the request's headers). */
  async function requireDeveloper(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const caller = await resolveCaller(request.headers, { verifyApiKey: options.verifyApiKey, verifyJwt: options.verifyJwt });
    if (isRefusal(caller) || !caller.scopes.includes('introspection')) {
      return reply.code(403).type('text/plain; charset=utf-8').send('The playground is for DEVELOPER clients in production: send a DEVELOPER X-Api-Key.');
    }
    return undefined;
  }

  return { authenticate, checkOperation, fillForbiddenFields, recordAudit, requireDeveloper };
}

function selectsIntrospection(document: DocumentNode): boolean {
  let found = false;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind === Kind.FIELD && (selection.name.value === '__schema' || selection.name.value === '__type')) found = true;
    }
  }
  return found;
}

/** Response key of each root `subject`/`subjects` field → the codes it names, in order. */
function subjectsNamed(document: DocumentNode, operationName: string | null, variables: Record<string, unknown>): Map<string, string[]> {
  const named = new Map<string, string[]>();
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (operationName ? d.name?.value === operationName : true),
  );
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD) continue;
    const argumentName = SUBJECT_ROOTS[selection.name.value];
    const argument = argumentName && selection.arguments?.find((a) => a.name.value === argumentName);
    if (!argument) continue;
    const value = argument.value;
    const raw =
      value.kind === Kind.VARIABLE
        ? variables[value.name.value]
        : value.kind === Kind.STRING
          ? value.value
          : value.kind === Kind.LIST
            ? value.values.map((v) => (v.kind === Kind.STRING ? v.value : v.kind === Kind.VARIABLE ? variables[v.name.value] : undefined))
            : undefined;
    const codes = (Array.isArray(raw) ? raw : [raw]).map((code) => (typeof code === 'string' ? code.trim().toUpperCase() : ''));
    named.set(selection.alias?.value ?? selection.name.value, codes);
  }
  return named;
}

/** Top-level department groups an operation reads, for the audit entry (market, tax, ... checks, workflows). */
function fieldGroupsOf(operation: OperationDefinitionNode): string[] {
  const groups = new Set<string>();
  const DEPARTMENT_FIELDS = new Set(['market', 'tax', 'courts', 'environment', 'lists']);
  const visitSelections = (selections: OperationDefinitionNode['selectionSet']['selections'], depth: number) => {
    for (const selection of selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const name = selection.name.value;
      if (depth === 0) {
        if (name === 'creditCheck' || name === 'creditChecks') groups.add('checks');
        else if (name === 'listEntries') groups.add('lists');
        else if (operation.operation === 'mutation') groups.add('workflows');
      }
      if (DEPARTMENT_FIELDS.has(name)) groups.add(name);
      if (selection.selectionSet && depth < 2) visitSelections(selection.selectionSet.selections, depth + 1);
    }
  };
  visitSelections(operation.selectionSet.selections, 0);
  return [...groups].sort();
}

export { GraphQLError };
