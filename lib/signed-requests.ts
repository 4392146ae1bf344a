/**
 * The receiving side of signed requests (lib/auth/identity-header.ts), for
 * every service of the graph: a subgraph's /graphql (lib/subgraph.ts), the
 * credit office's internal endpoints, a department's record-status endpoint.
 * A token is checked against the request it arrived with — this service,
 * this method and path, these body bytes — and accepted once: its header
 * before the body is read (a caller without one costs no parsing), its body
 * and nonce once the body is in.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkBody, IDENTITY_HEADER, ReplayGuard, verifyIdentityHeader, type ForwardedIdentity, type IdentityRefusal, type VerifiedHeader } from './auth/identity-header';
import { GATEWAY_SERVICE_ROLE } from './auth/roles';

const rawBodies = new WeakMap<object, Buffer>();
const EMPTY = Buffer.alloc(0);

/** One per process: a nonce accepted by any route of any service in it is not accepted again. */
export const replays = new ReplayGuard();

/**
 * Parses JSON bodies as Fastify does (its own parser, prototype-poisoning
 * guard included) and keeps their bytes, so a signature can be checked
 * against exactly what was sent.
 */
export function keepRawJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    rawBodies.set(request, body as Buffer);
    parseJson(request, (body as Buffer).toString('utf8'), done);
  });
}

/** The bytes of the request's body (empty when it had none). */
export function rawBodyOf(request: FastifyRequest): Buffer {
  return rawBodies.get(request) ?? EMPTY;
}

export type SignedCallerRefusal = IdentityRefusal | 'NOT_GATEWAY';

export interface SignedCallerOptions {
  /** IDENTITY_SIGNING_KEY. */
  key: string;
  /** This service's name: tokens made for another are refused. */
  audience: string;
  /** Only the gateway's own identity (role GATEWAY): the internal endpoints. */
  gatewayOnly?: boolean;
  /** The answer to a refused caller, in the route's own shape. */
  refuse(request: FastifyRequest, reply: FastifyReply, reason: SignedCallerRefusal): unknown;
  now?: () => number;
}

/** Route hooks that admit only signed callers, and the verified caller of an admitted request. */
export function signedCallers(options: SignedCallerOptions) {
  const now = options.now ?? Date.now;
  const headers = new WeakMap<object, VerifiedHeader>();
  const callers = new WeakMap<object, ForwardedIdentity>();
  return {
    async onRequest(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
      const header = request.headers[IDENTITY_HEADER];
      // A repeated header is not one identity.
      const verified = verifyIdentityHeader(typeof header === 'string' ? header : undefined, options.key, { audience: options.audience, method: request.method, target: request.url }, now());
      if (!verified.valid) return options.refuse(request, reply, verified.reason);
      if (options.gatewayOnly && verified.identity.role !== GATEWAY_SERVICE_ROLE) return options.refuse(request, reply, 'NOT_GATEWAY');
      headers.set(request, verified);
      return undefined;
    },
    async preHandler(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
      const header = headers.get(request);
      if (!header) return options.refuse(request, reply, 'MISSING');
      const body = checkBody(header, rawBodyOf(request), replays);
      if (!body.valid) return options.refuse(request, reply, body.reason);
      callers.set(request, header.identity);
      return undefined;
    },
    /** The caller preHandler admitted; undefined for a request it did not. */
    callerOf(request: FastifyRequest): ForwardedIdentity | undefined {
      return callers.get(request);
    },
  };
}
