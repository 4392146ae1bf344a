/**
 * The gateway's one client for the credit office's internal endpoints
 * (subgraphs/credit/internal.ts, audit-routes.ts): the API-key lookup, the
 * banks' authorisation lookup and the audit log's delivery all go through
 * `callCreditOffice` — one GATEWAY identity per call, signed for the credit
 * subgraph, that endpoint and that body (lib/auth/identity-header.ts), JSON
 * in and out, a timeout, the request id passed on. What an answer means is
 * each caller's business.
 */
import crypto from 'node:crypto';
import { gatewayIdentity, signedHeaders } from './identity-header';
import { REQUEST_ID_HEADER } from '../logger';

/** The credit subgraph's name: what its tokens are made for. */
export const CREDIT_OFFICE_AUDIENCE = 'credit';

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
  const body = JSON.stringify(call.body);
  const signed = signedHeaders(gatewayIdentity(call.purpose, requestId), call.signingKey, { audience: CREDIT_OFFICE_AUDIENCE, method: 'POST', url: call.url, body });
  const response = await (call.fetch ?? fetch)(call.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed, [REQUEST_ID_HEADER]: requestId },
    body,
    signal: AbortSignal.timeout(call.timeoutMs),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}
