/**
 * The gateway's request pipeline: one ordered list of named plugins
 * (gateway/server.ts builds it), each with one job, around one execution of
 * the operation by @apollo/gateway. The model is The Guild's envelop: a
 * plugin is an object of optional hooks, run in list order; per-request
 * state is one object every hook reads and writes, so the operation is parsed
 * once and the answer is an object until it is serialised once.
 *
 *   onRequest   before execution: credentials, limits, parse and validate,
 *               field access, the cache lookup. `request.respond(...)` ends
 *               the request there (a refusal, a cache hit): later onRequest
 *               hooks and the execution are skipped.
 *   onResult    after execution, on the result object: forbidden fields put
 *               back, errors masked.
 *   onSend      with the serialised answer, before it is written (the cache stores it).
 *   onEnd       after the answer went out, for every request, ended early or
 *               not (audit, metrics); a throwing onEnd is logged, never answered.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, type DocumentNode, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import type { CallerIdentity } from '../lib/auth/credentials';
import { PUBLIC_IDENTITY } from '../lib/auth/credentials';
import type { Logger } from '../lib/logger';
import type { FetchAccess } from './auth/plan-pruning';

/** The JSON of a GraphQL-over-HTTP request (a POST's body, or a GET's query string decoded: graphqlParamsOf). */
export interface GraphQLRequestBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/**
 * The parameters of a GET (GraphQL over HTTP): `query` and `operationName`
 * as they are, `variables` and `extensions` JSON-decoded. A parameter that is
 * not JSON is kept as its text, for parse-validate to refuse by name.
 */
export function graphqlParamsOf(queryString: Record<string, unknown>): GraphQLRequestBody {
  const json = (value: unknown) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  return { query: queryString.query, operationName: queryString.operationName, variables: json(queryString.variables), extensions: json(queryString.extensions) };
}

/** What execution answered, before it is serialised; errors may still be GraphQLError instances. */
export interface ExecutionOutcome {
  data?: Record<string, unknown> | null;
  errors?: (GraphQLError | GraphQLFormattedError)[];
  extensions?: Record<string, unknown>;
}

/** One request's state, shared by every plugin and by the execution. */
export interface GatewayRequest {
  /** The request id the gateway made (plugins/request-id.ts): in logs, the audit entry, the x-request-id answer header, forwarded to subgraphs. */
  id: string;
  /** The client's own x-request-id, when it sent a plain one (kept beside the gateway's in the audit entry). */
  clientRequestId: string | null;
  readonly startedAt: bigint;
  readonly headers: FastifyRequest['headers'];
  readonly ip: string;
  /** GET (a query string, queries only) or POST (a JSON body). */
  readonly method: 'GET' | 'POST';
  readonly body: GraphQLRequestBody;
  /** The POST body was a JSON array (a batch of operations), which this gateway does not run. */
  readonly batched: boolean;
  /** The JSON body as it came (an array for a batch, which `body` does not describe). */
  readonly rawBody: unknown;
  /** Who is calling (plugins/credentials.ts); PUBLIC until then. */
  caller: CallerIdentity;
  /** X-Purpose (plugins/purpose.ts). */
  purpose: string | null;
  /** The scopes the operation is checked against; narrowed per subject for a bank (plugins/subject-authorisation.ts). */
  scopes: Set<string>;
  /** Scopes at a place in the answer, when they depend on it (a bank's per-subject authorisation). */
  scopesAt?: (path: readonly (string | number)[]) => ReadonlySet<string>;
  /** The query text as the client sent it. */
  source?: string;
  operationName: string | null;
  /** The variables as sent (an object): what the gateway executes with. */
  variables: Record<string, unknown>;
  /** The variables coerced by the operation's definitions, defaults applied (for @skip/@include and the like). */
  variableValues?: Record<string, unknown>;
  /** Parsed once and validated against the API schema (plugins/parse-validate.ts). */
  document?: DocumentNode;
  operation?: OperationDefinitionNode;
  /** The hash of the query text: with the operation name, the key of its query plan. */
  queryHash: string;
  /**
   * What execution shapes the answer by (the client's document, or it without
   * the forbidden fields) and, when field access forbade any, what the plan's
   * fetches may ask for (plugins/field-access.ts). The plan is always the
   * client's document's (execution.ts).
   */
  executable?: { document: DocumentNode; access?: FetchAccess };
  /** Set by execution (or by a plugin answering in its place). */
  result?: ExecutionOutcome;
  /**
   * The subject codes the answer held before natural persons were masked in it
   * (plugins/personal-data.ts), or that a cached answer held when it was stored:
   * a masked number is no code, so the audit's subjects and the cache's
   * dependencies are taken from these, not from the masked text alone.
   */
  answerSubjects?: ReadonlySet<string>;
  /** Aborted when the request's execution deadline passes (plugins/complexity.ts): its subgraph fetches stop waiting. */
  signal?: AbortSignal;
  /** The answer's status and headers. */
  status: number;
  readonly responseHeaders: Record<string, string>;
  /** The serialised answer, once there is one. */
  responseText?: string;
  /** For the audit entry: what happened (UNAUTHENTICATED, FORBIDDEN, PARTIAL, ...); derived from the status when unset. */
  outcome?: string;
  /** Whether a plugin answered before execution. */
  ended: boolean;
  /** Ends the request with this answer: errors (public codes only) or a ready body (a cache hit). */
  respond(status: number, answer: { errors: GraphQLFormattedError[] } | { text: string }): void;
  log: Logger;
}

export interface GatewayPlugin {
  readonly name: string;
  onRequest?(request: GatewayRequest): void | Promise<void>;
  onResult?(request: GatewayRequest, result: ExecutionOutcome): void | Promise<void>;
  onSend?(request: GatewayRequest, text: string): void | Promise<void>;
  onEnd?(request: GatewayRequest): void | Promise<void>;
}

/** Executes the operation the plugins prepared (request.executable). */
export type Execute = (request: GatewayRequest) => Promise<ExecutionOutcome>;

/** A refusal's error: the message the client reads and the contract's code. */
export function requestError(code: string, message: string, extensions: Record<string, unknown> = {}): GraphQLFormattedError {
  return { message, extensions: { ...extensions, code } };
}

export function serialise(result: ExecutionOutcome): string {
  const errors = result.errors?.map((error) => (error instanceof GraphQLError ? error.toJSON() : error));
  return JSON.stringify({
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.extensions !== undefined ? { extensions: result.extensions } : {}),
  });
}

/** A new request's state, PUBLIC until a plugin says otherwise. */
export function createGatewayRequest(init: { id: string; headers: FastifyRequest['headers']; ip: string; method?: 'GET' | 'POST'; body: unknown; log: Logger }): GatewayRequest {
  const body = (typeof init.body === 'object' && init.body !== null && !Array.isArray(init.body) ? init.body : {}) as GraphQLRequestBody;
  const request: GatewayRequest = {
    id: init.id,
    clientRequestId: null,
    startedAt: process.hrtime.bigint(),
    headers: init.headers,
    ip: init.ip,
    method: init.method ?? 'POST',
    body,
    batched: Array.isArray(init.body),
    rawBody: init.body,
    caller: PUBLIC_IDENTITY,
    purpose: null,
    scopes: new Set(PUBLIC_IDENTITY.scopes),
    operationName: typeof body.operationName === 'string' && body.operationName !== '' ? body.operationName : null,
    queryHash: '',
    variables: {},
    status: 200,
    responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
    ended: false,
    respond(status, answer) {
      request.ended = true;
      request.status = status;
      if ('text' in answer) request.responseText = answer.text;
      else request.result = { errors: answer.errors };
    },
    log: init.log,
  };
  return request;
}

/** The errors execution answered (a subgraph's, the planner's, the executor's), as opposed to the plugins' own. */
const executionErrors = new WeakSet<object>();

/** Whether an error came from execution: its text and locations are not the client's, its extensions not the contract's. */
export function fromExecution(error: GraphQLError | GraphQLFormattedError): boolean {
  return executionErrors.has(error);
}

/** Runs one request through the plugins and the execution; returns the answer's text. */
export async function runPipeline(plugins: readonly GatewayPlugin[], execute: Execute, request: GatewayRequest): Promise<string> {
  for (const plugin of plugins) {
    if (request.ended) break;
    await plugin.onRequest?.(request);
  }
  if (!request.ended) {
    try {
      request.result = await execute(request);
    } catch (error) {
      // Planner and executor failures: a GraphQL error for the masking plugin to judge.
      request.result = { errors: [error instanceof GraphQLError ? error : new GraphQLError((error as Error)?.message ?? String(error), { originalError: error as Error })] };
    }
    for (const error of request.result.errors ?? []) executionErrors.add(error);
  }
  if (request.responseText === undefined) {
    const result = request.result ?? { errors: [requestError('INTERNAL_SERVER_ERROR', 'internal error')] };
    for (const plugin of plugins) await plugin.onResult?.(request, result);
    request.result = result;
    request.responseText = serialise(result);
  }
  await sendPipeline(plugins, request);
  return request.responseText;
}

/** onSend of every plugin, with the answer's text (a plugin may replace it, e.g. the audit failing closed). */
async function sendPipeline(plugins: readonly GatewayPlugin[], request: GatewayRequest): Promise<void> {
  for (const plugin of plugins) await plugin.onSend?.(request, request.responseText!);
}

/** The audit outcome of an answer Fastify gave before the pipeline ran (an unreadable body, 413, 415). */
function outcomeOfStatus(status: number): string {
  return status === 413 ? 'REQUEST_TOO_LARGE' : status >= 500 ? 'ERROR' : 'BAD_USER_INPUT';
}

/** onEnd of every plugin, after the answer went out. */
export async function endPipeline(plugins: readonly GatewayPlugin[], request: GatewayRequest): Promise<void> {
  for (const plugin of plugins) {
    try {
      await plugin.onEnd?.(request);
    } catch (error) {
      request.log.error({ err: error, plugin: plugin.name }, 'a plugin failed after the answer went out');
    }
  }
}

/**
 * The Fastify route parts of /graphql (POST, and GET with a query string):
 * the handler runs the pipeline and answers; onSend sees the answers Fastify
 * gave before the handler ran (a body it could not read or that was too large)
 * and runs them through the plugins' onSend too, so they are audited like any
 * refusal; onResponse (Fastify calls it for every answer, also when the client
 * went away) runs onEnd.
 */
export function pipelineRoute(plugins: readonly GatewayPlugin[], execute: Execute, logger: Logger, addressOf: (http: FastifyRequest) => string = (http) => http.ip) {
  const states = new WeakMap<FastifyRequest, GatewayRequest>();
  async function handler(http: FastifyRequest, reply: FastifyReply): Promise<void> {
    const method = http.method === 'GET' ? 'GET' : 'POST';
    const body = method === 'GET' ? graphqlParamsOf((http.query ?? {}) as Record<string, unknown>) : http.body;
    const request = createGatewayRequest({ id: http.id, headers: http.headers, ip: addressOf(http), method, body, log: logger });
    states.set(http, request);
    let text: string;
    try {
      text = await runPipeline(plugins, execute, request);
    } catch (error) {
      logger.error({ err: error, requestId: request.id }, 'the request pipeline failed');
      request.status = 500;
      request.outcome = 'ERROR';
      request.result = { errors: [requestError('INTERNAL_SERVER_ERROR', `internal error (request ${request.id})`)] };
      request.responseText = serialise(request.result);
      try {
        await sendPipeline(plugins, request);
      } catch (failure) {
        logger.error({ err: failure, requestId: request.id }, 'a plugin failed on a failed request');
      }
      text = request.responseText;
    }
    await reply.code(request.status).headers(request.responseHeaders).send(text);
  }
  async function onSend(http: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    if (states.has(http)) return payload;
    const request = createGatewayRequest({ id: http.id, headers: http.headers, ip: addressOf(http), body: undefined, log: logger });
    states.set(http, request);
    request.ended = true;
    request.status = reply.statusCode;
    request.outcome = outcomeOfStatus(reply.statusCode);
    request.responseText = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    await sendPipeline(plugins, request);
    if (request.status !== reply.statusCode) reply.code(request.status);
    return request.responseText;
  }
  async function onResponse(http: FastifyRequest): Promise<void> {
    const request = states.get(http);
    if (request) await endPipeline(plugins, request);
  }
  return { handler, onSend, onResponse };
}
