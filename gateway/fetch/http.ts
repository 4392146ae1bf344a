/**
 * The last link: one POST to the subgraph over a keep-alive pool (the
 * default fetcher opened a connection per request and was the gateway's
 * main cost). undici's `request`, not its WHATWG `fetch`: a CPU profile of
 * credit checks at 50 connections had the fetch API's Request, Headers,
 * web streams and abort plumbing at about a fifth of the gateway's time. A
 * non-2xx answer is a failed fetch, as for @apollo/gateway's own data source.
 */
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Agent } from 'undici';
import type { SubgraphCall, SubgraphNext } from './chain';

/** The JSON text of a subgraph request (the identity link signs exactly these bytes). */
export function requestBody(call: Pick<SubgraphCall, 'query' | 'operationName' | 'variables'>): string {
  return JSON.stringify({ query: call.query, operationName: call.operationName, variables: call.variables });
}

/** One connection pool for all subgraphs of a gateway process, and the link that sends through it. */
export function createHttpSender(): { send: SubgraphNext; close(): Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections: 64 });
  const targets = new Map<string, { origin: string; path: string }>();
  const target = (url: string) => {
    let known = targets.get(url);
    if (!known) {
      const parsed = new URL(url);
      targets.set(url, (known = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` }));
    }
    return known;
  };
  const send: SubgraphNext = async (call) => {
    const { origin, path } = target(call.url);
    const response = await agent.request({
      origin,
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...call.headers },
      body: call.body ?? requestBody(call),
      signal: call.signal,
    });
    if (response.statusCode < 200 || response.statusCode > 299) {
      await response.body.dump();
      throw Object.assign(new Error(`HTTP ${response.statusCode}`), { cause: { code: `HTTP_${response.statusCode}` } });
    }
    return (await response.body.json()) as GatewayGraphQLResponse;
  };
  // Called once the HTTP server has drained, so nothing is in flight: sockets
  // left to a hung subgraph must not hold the process open.
  return { send, close: () => agent.destroy() };
}
