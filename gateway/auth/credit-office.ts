/**
 * The gateway's question to the credit office about a bank's authorisations:
 * which of these subjects authorised this client? Asked over the credit
 * subgraph's internal endpoint as the gateway (lib/auth/credit-office-client.ts).
 * No usable answer means no authorisation: the bank gets FORBIDDEN for the
 * detail rather than data it may not be entitled to (fail closed).
 */
import { callCreditOffice, creditOfficeEndpoint } from '../../lib/auth/credit-office-client';
import type { Logger } from '../../lib/logger';

const AUTHORISATION_LOOKUP_PATH = '/internal/financial-authorisations';

export function remoteAuthorisationLookup(options: { creditUrl: string; signingKey: string; logger: Logger; timeoutMs?: number }) {
  const url = creditOfficeEndpoint(options.creditUrl, AUTHORISATION_LOOKUP_PATH);
  return async (clientId: string, codes: string[]): Promise<Set<string>> => {
    try {
      const answer = await callCreditOffice({ url, signingKey: options.signingKey, purpose: 'financial authorisation lookup', body: { clientId, codes }, timeoutMs: options.timeoutMs ?? 3000 });
      if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
      const authorised = (answer.body as { authorised?: unknown } | null)?.authorised;
      return new Set(Array.isArray(authorised) ? authorised.filter((code): code is string => typeof code === 'string') : []);
    } catch (error) {
      options.logger.warn({ err: error, clientId }, 'financial authorisation lookup failed: treating the subjects as not authorised');
      return new Set();
    }
  };
}
