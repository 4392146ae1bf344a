/**
 * Credentials: `X-Api-Key` (checked with the credit office's register of API
 * clients) or `Authorization: Bearer <JWT>` becomes the caller; none is
 * PUBLIC; a bad, expired or unknown one is refused with 401 UNAUTHENTICATED,
 * never downgraded to PUBLIC (API.md). Without a credit subgraph there is no
 * register, and an API key is refused as unavailable (bearer tokens work).
 *
 * Failed attempts are not free (lib/auth/auth-failures.ts): an API key this
 * gateway does not already hold as valid reserves a failed attempt of its
 * address and of itself before the credit office is asked; once either
 * budget is spent the request is 429 RATE_LIMITED (reason AUTH_FAILURES)
 * without a lookup. A refused bearer token (or other Authorization) spends
 * the same budgets once judged, so a flood of them ends in 429 too. When the credit office (or a JWKS URL) cannot be asked,
 * the answer is 503 SERVICE_UNAVAILABLE: the credential was not judged, and
 * the client should retry, not replace it.
 */
import { isRefusal, isServiceUnavailable, presentedApiKey, presentedCredential, resolveCaller, type CredentialDependencies } from '../../lib/auth/credentials';
import type { AuthFailureGuard, Reservation } from '../../lib/auth/auth-failures';
import { requestError, type GatewayPlugin, type GatewayRequest } from '../pipeline';

/** Seconds a client is asked to wait when the credential service is down. */
const UNAVAILABLE_RETRY_SECONDS = 5;

function refuseForFailures(request: GatewayRequest, refused: Extract<Reservation, { granted: false }>): void {
  request.outcome = 'RATE_LIMITED';
  request.responseHeaders['retry-after'] = String(refused.retryAfterSeconds);
  const whose = refused.spent === 'address' ? 'from this address' : 'with this credential';
  request.respond(429, {
    errors: [requestError('RATE_LIMITED', `too many failed authentications ${whose}; retry in ${refused.retryAfterSeconds} s`, { reason: 'AUTH_FAILURES' })],
  });
}

export function credentialsPlugin(dependencies: CredentialDependencies, failures?: AuthFailureGuard): GatewayPlugin {
  return {
    name: 'credentials',
    async onRequest(request) {
      const apiKey = presentedApiKey(request.headers);
      let reservation: Reservation | undefined;
      if (apiKey !== undefined && failures && dependencies.verifyApiKey && !dependencies.knowsApiKey?.(apiKey)) {
        reservation = await failures.reserve(request.ip, apiKey);
        if (!reservation.granted) return refuseForFailures(request, reservation);
      }
      const caller = await resolveCaller(request.headers, dependencies);
      if (isRefusal(caller) && !isServiceUnavailable(caller.refused) && reservation === undefined && failures) {
        // A bearer token (or any other Authorization) is judged here, with no lookup to protect, so its
        // failure is counted after the fact: it spends the same budgets as a bogus API key, and once
        // they are spent the answer is 429, not another free 401 (found by the black-box review).
        const failed = await failures.reserve(request.ip, presentedCredential(request.headers));
        if (!failed.granted) return refuseForFailures(request, failed);
      }
      if (isRefusal(caller)) {
        if (isServiceUnavailable(caller.refused)) {
          // Not the client's failure: its reservation is given back.
          if (reservation?.granted) await reservation.succeeded();
          request.outcome = 'SERVICE_UNAVAILABLE';
          request.responseHeaders['retry-after'] = String(UNAVAILABLE_RETRY_SECONDS);
          request.respond(503, {
            errors: [requestError('SERVICE_UNAVAILABLE', `the credential could not be checked now (${caller.refused}); retry in ${UNAVAILABLE_RETRY_SECONDS} s`, { reason: caller.refused })],
          });
          return;
        }
        request.outcome = 'UNAUTHENTICATED';
        const why =
          caller.refused === 'API_KEYS_UNAVAILABLE'
            ? 'API keys are unavailable on this gateway (its supergraph has no credit subgraph); send a bearer token'
            : `the credential was refused (${caller.refused})`;
        request.respond(401, { errors: [requestError('UNAUTHENTICATED', why, { reason: caller.refused })] });
        return;
      }
      if (reservation?.granted) await reservation.succeeded();
      request.caller = caller;
      request.scopes = new Set(caller.scopes);
    },
  };
}
