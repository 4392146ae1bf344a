/**
 * The gateway's question to the credit office about a bank's authorisations:
 * which of these subjects authorised this client? Asked over the credit
 * subgraph's internal endpoint as the gateway (a signed GATEWAY identity).
 * No usable answer means no authorisation: the bank gets FORBIDDEN for the
 * detail rather than data it may not be entitled to (fail closed).
 */
import { IDENTITY_HEADER, signGatewayIdentity } from '../../lib/auth/identity-header';
import type { Logger } from '../../lib/logger';

const AUTHORISATION_LOOKUP_PATH = '/internal/financial-authorisations';

export function remoteAuthorisationLookup(options: { creditUrl: string; signingKey: string; logger: Logger; timeoutMs?: number }) {
  const base = options.creditUrl.replace(/\/graphql\/?$/, '').replace(/\/$/, '');
  return async (clientId: string, codes: string[]): Promise<Set<string>> => {
    const identity = signGatewayIdentity(options.signingKey, 'financial authorisation lookup');
    try {
      const response = await fetch(`${base}${AUTHORISATION_LOOKUP_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
        body: JSON.stringify({ clientId, codes }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { authorised?: unknown };
      return new Set(Array.isArray(body.authorised) ? body.authorised.filter((code): code is string => typeof code === 'string') : []);
    } catch (error) {
      options.logger.warn({ err: error, clientId }, 'financial authorisation lookup failed: treating the subjects as not authorised');
      return new Set();
    }
  };
}
