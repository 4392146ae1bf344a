/**
 * Identity signature: every subgraph request carries the caller's identity
 * (client, role, scopes, purpose, request id, department) signed with IDENTITY_SIGNING_KEY,
 * so a subgraph trusts only what the gateway vouched for and refuses
 * requests around it (lib/auth/identity-header.ts).
 */
import { IDENTITY_HEADER, signIdentity } from '../../lib/auth/identity-header';
import { PUBLIC_IDENTITY } from '../../lib/auth/credentials';
import type { SubgraphLink } from './chain';

export function identityLink(signingKey: string): SubgraphLink {
  return {
    name: 'identity',
    fetch(call, next) {
      const caller = call.context?.caller ?? PUBLIC_IDENTITY;
      const identity = signIdentity(
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
      );
      return next({ ...call, headers: { ...call.headers, [IDENTITY_HEADER]: identity } });
    },
  };
}
