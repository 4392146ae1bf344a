/**
 * The website's only way to the graph: the gateway's public GraphQL endpoint, as any client.
 * Public pages ask with no credential (PUBLIC); the console sends the user's API key and purpose.
 */
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

export type GraphRequest = <T>(query: string, variables?: Record<string, unknown>, credential?: Credential | null) => Promise<GraphResult<T>>;

export function graphClient(gatewayUrl: string, requestId: () => string | undefined = () => undefined): GraphRequest {
  return async <T>(query: string, variables: Record<string, unknown> = {}, credential?: Credential | null) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (credential) {
      headers['x-api-key'] = credential.apiKey;
      headers['x-purpose'] = credential.purpose;
    }
    const id = requestId();
    if (id) headers['x-request-id'] = id;
    const response = await fetch(gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json().catch(() => ({}))) as { data?: T | null; errors?: GraphError[] };
    return { data: body.data ?? null, errors: body.errors ?? [], status: response.status };
  };
}

/** The first error with this code, if any. */
export const errorWith = (result: GraphResult<unknown>, code: string) => result.errors.find((e) => e.extensions?.code === code);
