/**
 * The last link: one POST to the subgraph over a keep-alive pool (the
 * default fetcher opened a connection per request and was the gateway's
 * main cost). A non-2xx answer is a failed fetch, as for @apollo/gateway's
 * own data source.
 */
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Agent, fetch } from 'undici';
import type { SubgraphCall, SubgraphNext } from './chain';

/** The JSON text of a subgraph request. */
export function requestBody(call: Pick<SubgraphCall, 'query' | 'operationName' | 'variables'>): string {
  return JSON.stringify({ query: call.query, operationName: call.operationName, variables: call.variables });
}

/** One connection pool for all subgraphs of a gateway process, and the link that sends through it. */
export function createHttpSender(): { send: SubgraphNext; close(): Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections: 64 });
  const send: SubgraphNext = async (call) => {
    const response = await fetch(call.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...call.headers },
      body: call.body ?? requestBody(call),
      dispatcher: agent,
      signal: call.signal,
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw Object.assign(new Error(`HTTP ${response.status} ${response.statusText}`), { cause: { code: `HTTP_${response.status}` } });
    }
    return (await response.json()) as GatewayGraphQLResponse;
  };
  // Called once the HTTP server has drained, so nothing is in flight: sockets
  // left to a hung subgraph must not hold the process open.
  return { send, close: () => agent.destroy() };
}
