/**
 * The credit office's internal HTTP endpoints, for the gateway only:
 *
 *   POST /internal/credentials/api-key  { apiKey }
 *     200 { clientId, name, role, expiresAt }   the key is valid
 *     401 { refused: UNKNOWN | EXPIRED | REVOKED }
 *
 *   POST /internal/financial-authorisations  { clientId, codes }
 *     200 { authorised: [codes with an authorisation in force for that client] }
 *
 * The caller must present an identity signed with IDENTITY_SIGNING_KEY
 * (header x-credit-graph-identity) whose role is GATEWAY, made for this
 * subgraph and this very request (lib/auth/identity-header.ts); anything else is
 * 401 { error: 'CALLER_REFUSED', reason } — a different body from a refused
 * key, so the gateway can tell "this key is bad" from "I am misconfigured".
 * Without a signing key the routes are not registered at all (404), so an
 * unconfigured deployment never has an open internal endpoint.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../lib/db';
import { signedCallers } from '../../lib/signed-requests';
import { authenticateApiKey } from './clients';
import { authorisedSubjects } from './workflows/authorisations';

export const API_KEY_LOOKUP_PATH = '/internal/credentials/api-key';
export const AUTHORISATION_LOOKUP_PATH = '/internal/financial-authorisations';
/** As many subjects as one request may name (a 1,000-code batch). */
const MAX_AUTHORISATION_CODES = 1000;

/** An API key is 47 characters; anything much larger is not a key. */
const BODY_LIMIT = 4 * 1024;

export interface InternalRoutesOptions {
  /** IDENTITY_SIGNING_KEY; undefined registers nothing. */
  signingKey: string | undefined;
  now?: () => number;
}

export function internalRoutes(options: InternalRoutesOptions): (app: FastifyInstance, db: Database) => Promise<void> {
  return async (app, db) => {
    const { signingKey } = options;
    if (!signingKey) {
      app.log.info('IDENTITY_SIGNING_KEY is not set: the internal endpoints (API-key lookup) are not served');
      return;
    }
    const now = options.now ?? Date.now;

    /** Only the gateway, vouching for itself with the shared key for this very request, may call an internal endpoint. */
    const gateway = signedCallers({ key: signingKey, audience: 'credit', gatewayOnly: true, now, refuse: (_request, reply, reason) => reply.code(401).send({ error: 'CALLER_REFUSED', reason }) });
    const requireGateway = { onRequest: gateway.onRequest, preHandler: gateway.preHandler };

    app.post<{ Body: unknown }>(API_KEY_LOOKUP_PATH, { bodyLimit: BODY_LIMIT, ...requireGateway }, async (request, reply) => {
      const body = request.body as { apiKey?: unknown } | null | undefined;
      if (typeof body !== 'object' || body === null || typeof body.apiKey !== 'string') {
        return reply.code(400).send({ error: 'BAD_REQUEST', message: 'expected a JSON body { "apiKey": "<key>" }' });
      }
      const result = await authenticateApiKey(db, body.apiKey, new Date(now()));
      if ('refused' in result) return reply.code(401).send({ refused: result.refused });
      return reply.code(200).send(result);
    });

    app.post<{ Body: unknown }>(AUTHORISATION_LOOKUP_PATH, { ...requireGateway }, async (request, reply) => {
      const body = request.body as { clientId?: unknown; codes?: unknown } | null | undefined;
      const codes = body && Array.isArray(body.codes) && body.codes.every((code) => typeof code === 'string') ? (body.codes as string[]) : null;
      if (!body || typeof body.clientId !== 'string' || !codes || codes.length > MAX_AUTHORISATION_CODES) {
        return reply.code(400).send({ error: 'BAD_REQUEST', message: `expected a JSON body { "clientId": "<id>", "codes": [at most ${MAX_AUTHORISATION_CODES} codes] }` });
      }
      return reply.code(200).send({ authorised: [...(await authorisedSubjects(db, body.clientId, codes))] });
    });
  };
}
