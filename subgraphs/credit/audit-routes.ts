/**
 * `POST /internal/audit`: where the gateway delivers its audit entries
 * (gateway/audit/writer.ts). Only the gateway may call it: the request must
 * carry a signed identity header (lib/auth/identity-header.ts) naming the
 * role GATEWAY, made for this subgraph, this path and these very bytes, and
 * not seen before, else 401 — a captured header appends nothing else. The body is `{ "entries": [ ... ] }`
 * (lib/audit-entry.ts); a batch with any invalid entry is refused whole
 * with 400 and every problem named, and nothing of it is stored. A stored
 * batch answers 200 `{ stored, duplicates }`; delivering it again stores
 * nothing and counts every entry as a duplicate.
 */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../lib/db';
import { IDENTITY_HEADER } from '../../lib/auth/identity-header';
import { signedCallers } from '../../lib/signed-requests';
import { GATEWAY_SERVICE_ROLE } from '../../lib/auth/roles';
import { validateAuditBatch } from '../../lib/audit-entry';
import { appendAuditEntries } from './audit';

export const AUDIT_PATH = '/internal/audit';

/** 1,000 entries naming many subjects each fit; the default 4 MB would not. */
const BODY_LIMIT = 32 * 1024 * 1024;

export async function registerAuditRoutes(app: FastifyInstance, db: Database, signingKey: string): Promise<void> {
  const gateway = signedCallers({
    key: signingKey,
    audience: 'credit',
    gatewayOnly: true,
    refuse: (_request, reply, reason) => {
      const message =
        reason === 'NOT_GATEWAY'
          ? `only the gateway (role ${GATEWAY_SERVICE_ROLE}) delivers audit entries`
          : `a ${IDENTITY_HEADER} header the gateway signed for this very delivery is required`;
      return reply.code(401).send({ error: 'UNAUTHENTICATED', reason, message });
    },
  });
  app.post(AUDIT_PATH, { bodyLimit: BODY_LIMIT, onRequest: gateway.onRequest, preHandler: gateway.preHandler }, async (request, reply) => {
    const batch = validateAuditBatch(request.body);
    if (!batch.valid) {
      return reply.code(400).send({ error: 'BAD_REQUEST', message: `audit batch refused, nothing stored: ${batch.problems[0]}`, problems: batch.problems });
    }
    const result = await appendAuditEntries(db, batch.entries);
    request.log.debug({ ...result, requestId: gateway.callerOf(request)?.requestId }, 'audit entries appended');
    return reply.code(200).send(result);
  });
}

/**
 * The credit subgraph's audit routes (a SubgraphDefinition `routes` hook).
 * Without a signing key (IDENTITY_SIGNING_KEY, shared with the gateway)
 * nobody could call the endpoint, so nothing is registered (404).
 */
export function auditRoutes(options: { signingKey: string | undefined }) {
  return async (app: FastifyInstance, db: Database): Promise<void> => {
    if (options.signingKey) await registerAuditRoutes(app, db, options.signingKey);
  };
}
