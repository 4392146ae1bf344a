/**
 * Credentials: `X-Api-Key` (checked with the credit office's register of API
 * clients) or `Authorization: Bearer <JWT>` becomes the caller; none is
 * PUBLIC; a bad, expired or unknown one is refused with UNAUTHENTICATED,
 * never downgraded to PUBLIC (API.md). Without a credit subgraph there is no
 * register, and an API key is refused as unavailable (bearer tokens work).
 */
import { isRefusal, resolveCaller, type CredentialDependencies } from '../../lib/auth/credentials';
import { requestError, type GatewayPlugin } from '../pipeline';

export function credentialsPlugin(dependencies: CredentialDependencies): GatewayPlugin {
  return {
    name: 'credentials',
    async onRequest(request) {
      const caller = await resolveCaller(request.headers, dependencies);
      if (isRefusal(caller)) {
        request.outcome = 'UNAUTHENTICATED';
        const why =
          caller.refused === 'API_KEYS_UNAVAILABLE'
            ? 'API keys are unavailable on this gateway (its supergraph has no credit subgraph); send a bearer token'
            : `the credential was refused (${caller.refused})`;
        request.respond(401, { errors: [requestError('UNAUTHENTICATED', why, { reason: caller.refused })] });
        return;
      }
      request.caller = caller;
      request.scopes = new Set(caller.scopes);
    },
  };
}
