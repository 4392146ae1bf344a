/**
 * Identity signature: every subgraph request carries the caller's identity
 * (client, role, scopes, purpose, request id, department) signed with
 * IDENTITY_SIGNING_KEY for that subgraph, that URL and the exact bytes of
 * the body, which this link fixes here (lib/auth/identity-header.ts): a
 * subgraph trusts only what the gateway vouched for, and a captured header
 * is refused with any other subgraph, path or body, after its few seconds,
 * and the second time. Links after this one must not change the body.
 */
import { signedHeaders } from '../../lib/auth/identity-header';
import { PUBLIC_IDENTITY } from '../../lib/auth/credentials';
import type { SubgraphLink } from './chain';
import { requestBody } from './http';

export function identityLink(signingKey: string): SubgraphLink {
  return {
    name: 'identity',
    fetch(call, next) {
      const caller = call.context?.caller ?? PUBLIC_IDENTITY;
      const body = requestBody(call);
      const signed = signedHeaders(
        {
          clientId: caller.clientId,
          role: caller.role,
          scopes: [...caller.scopes],
          purpose: call.context?.purpose ?? null,
          requestId: call.context?.requestId ?? '',
          // A department's client acts for its own department only (subgraphs/credit/callers.ts).
          department: caller.department ?? null,
        },
        signingKey,
        { audience: call.subgraph, method: 'POST', url: call.url, body },
      );
      return next({ ...call, body, headers: { ...call.headers, ...signed } });
    },
  };
}
