/**
 * The subgraphs trust only callers signed with IDENTITY_SIGNING_KEY for the
 * very request they receive (lib/auth/identity-header.ts), so the other
 * gateways in the benchmark (stock Apollo Gateway, Hive Gateway) sign the
 * same caller our gateway forwards for the benchmark's credentials — the
 * credit office — over each subgraph request's URL and body, at the last
 * step before it is sent, as our gateway's identity link does.
 */
import { signedHeaders } from '../../lib/auth/identity-header';
import { scopesOf } from '../../lib/auth/roles';
import { subgraphsOf } from '../../gateway/supergraph';

const BENCH_CALLER = { clientId: 'benchmark', role: 'CREDIT_OFFICE', scopes: [...scopesOf('CREDIT_OFFICE')], purpose: 'benchmark', requestId: 'benchmark' };

/** The identity header of one subgraph request. */
export function benchIdentityHeaders(key: string, subgraph: string, url: string, body: string): Record<string, string> {
  return signedHeaders(BENCH_CALLER, key, { audience: subgraph, method: 'POST', url, body });
}

/** A supergraph's subgraph name for each of its URLs (what a token is made for). */
export function subgraphNamesByUrl(supergraphSdl: string): (url: string) => string {
  const names = new Map(subgraphsOf(supergraphSdl).map(({ name, url }) => [new URL(url).toString(), name]));
  return (url) => names.get(new URL(url).toString()) ?? new URL(url).host;
}

export function signingKeyFromEnv(): string {
  const key = process.env.IDENTITY_SIGNING_KEY;
  if (!key) throw new Error('IDENTITY_SIGNING_KEY is not set: the subgraphs refuse unsigned calls');
  return key;
}
