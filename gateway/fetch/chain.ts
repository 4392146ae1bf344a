/**
 * Subgraph fetches as a chain of named links, the same model as the request
 * pipeline (gateway/pipeline.ts): each link gets the call and the rest of the
 * chain, does its one job (sign the caller, pass the request id, bound the
 * time, merge identical calls, answer from the entity cache, turn a silent
 * department into DEPARTMENT_UNAVAILABLE, apply a write's invalidations,
 * measure) and calls `next` — or answers without it. The last link sends
 * the request over HTTP (http.ts).
 */
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../context';

/** One request to one subgraph, as the links see it. */
export interface SubgraphCall {
  /** The subgraph's name in the supergraph. */
  subgraph: string;
  url: string;
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  /** Headers of the HTTP request; links add theirs. */
  headers: Record<string, string>;
  /** The request's JSON text, once a link fixed it (the identity link signs these very bytes); else the last link serialises the call. */
  body?: string;
  /** The client request this fetch is part of (undefined outside one). */
  context?: GatewayContext;
  /** Aborts the HTTP request (the timeout link sets it). */
  signal?: AbortSignal;
}

export type SubgraphNext = (call: SubgraphCall) => Promise<GatewayGraphQLResponse>;

export interface SubgraphLink {
  readonly name: string;
  fetch(call: SubgraphCall, next: SubgraphNext): Promise<GatewayGraphQLResponse>;
}

/** The links in order, the first outermost, ending in `send`. */
export function composeLinks(links: readonly SubgraphLink[], send: SubgraphNext): SubgraphNext {
  return links.reduceRight<SubgraphNext>((next, link) => (call) => link.fetch(call, next), send);
}
