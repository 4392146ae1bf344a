/**
 * The gateway's one client for the credit office's internal endpoints
 * (subgraphs/credit/internal.ts, audit-routes.ts): the API-key lookup, the
 * banks' authorisation lookup and the audit log's delivery all go through
 * `callCreditOffice` — one signed GATEWAY identity per call
 * (lib/auth/identity-header.ts), JSON in and out, a timeout, the request id
 * passed on. What an answer means is each caller's business.
 */
import crypto from 'node:crypto';
import { IDENTITY_HEADER, signGatewayIdentity } from './identity-header';
import { REQUEST_ID_HEADER } from '../logger';

/** An internal endpoint of the credit subgraph, from its GraphQL URL (e.g. http://127.0.0.1:4005/graphql). */
export function creditOfficeEndpoint(creditUrl: string, path: string): string {
  return new URL(path, creditUrl).toString();
}

export interface CreditOfficeCall {
  url: string;
  /** IDENTITY_SIGNING_KEY. */
  signingKey: string;
  /** Why the gateway calls (it goes into the signed identity). */
  purpose: string | null;
  body: unknown;
  timeoutMs: number;
  requestId?: string;
  fetch?: typeof fetch;
}

/** POSTs `body`; resolves with the status and the parsed JSON (null when not JSON); throws when there is no answer. */
export async function callCreditOffice(call: CreditOfficeCall): Promise<{ status: number; body: unknown }> {
  const requestId = call.requestId ?? crypto.randomUUID();
  const response = await (call.fetch ?? fetch)(call.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signGatewayIdentity(call.signingKey, call.purpose, requestId), [REQUEST_ID_HEADER]: requestId },
    body: JSON.stringify(call.body),
    signal: AbortSignal.timeout(call.timeoutMs),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}
