/**
 * The website's only way to the graph: the gateway's public GraphQL endpoint, as any client.
 * Public pages ask with no credential (PUBLIC); the console sends the user's API key and purpose.
 */
import { FORWARDED_FOR_HEADER, PROXY_SECRET_HEADER } from '../lib/client-address';

export interface Credential {
  apiKey: string;
  purpose: string;
}

export interface GraphError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; reason?: string; [key: string]: unknown };
}

export interface GraphResult<T> {
  data: T | null;
  errors: GraphError[];
  /** HTTP status of the gateway's answer (401 for a bad credential, 429 when rate limited). */
  status: number;
}

/**
 * X-Purpose as an HTTP header can carry only Latin-1: a purpose in Chinese (招标 2026-017) is sent
 * as an RFC 8187 extended value, `utf-8''` and the percent-encoded UTF-8 bytes, which reads back
 * unambiguously; a plain ASCII purpose is sent as it is.
 */
export function purposeHeader(purpose: string): string {
  return /^[\x20-\x7e]*$/.test(purpose) ? purpose : `utf-8''${encodeURIComponent(purpose)}`;
}

export type GraphRequest = <T>(query: string, variables?: Record<string, unknown>, credential?: Credential | null) => Promise<GraphResult<T>>;

export interface GraphClientOptions {
  /** The website's request id, sent on so the gateway's logs and audit entry carry it beside its own. */
  requestId?: string;
  /**
   * The address of the browser the website answers, sent as X-Forwarded-For with the proxy
   * secret (PROXY_SECRET), so the gateway limits and audits each visitor by its own address
   * instead of every visitor sharing the website's (gateway/client-address.ts).
   */
  visitor?: { address: string; proxySecret: string };
}

export function graphClient(gatewayUrl: string, options: GraphClientOptions = {}): GraphRequest {
  return async <T>(query: string, variables: Record<string, unknown> = {}, credential?: Credential | null) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.visitor) {
      headers[FORWARDED_FOR_HEADER] = options.visitor.address;
      headers[PROXY_SECRET_HEADER] = options.visitor.proxySecret;
    }
    if (credential) {
      headers['x-api-key'] = credential.apiKey;
      headers['x-purpose'] = purposeHeader(credential.purpose);
    }
    if (options.requestId) headers['x-request-id'] = options.requestId;
    let response: Response;
    try {
      response = await fetch(gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      // The page still renders, saying the graph could not be reached, rather than failing as a whole.
      return { data: null, errors: [{ message: `the gateway could not be reached (${(error as Error).message})`, extensions: { code: 'GATEWAY_UNREACHABLE' } }], status: 502 };
    }
    const body = (await response.json().catch(() => ({}))) as { data?: T | null; errors?: GraphError[] };
    return { data: body.data ?? null, errors: body.errors ?? [], status: response.status };
  };
}

/** The first error with this code, if any. */
export const errorWith = (result: GraphResult<unknown>, code: string) => result.errors.find((e) => e.extensions?.code === code);
