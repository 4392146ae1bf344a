/** What the gateway knows about one incoming request, shared by its plugins and data sources. */
import type { CallerIdentity } from '../lib/auth/credentials';

export interface GatewayContext {
  requestId: string;
  /** Who is calling (plugins/credentials.ts); forwarded, signed, to every subgraph (fetch/identity.ts). */
  caller: CallerIdentity;
  /** X-Purpose of the request. */
  purpose: string | null;
  /**
   * The caller's authorisation scope: what it may see. Part of every cache
   * key (entities and whole responses), so a cached answer is only ever
   * served to a caller with the same scope.
   */
  scope: string;
  /** Aborted when the request's execution deadline passes: the fetch chain's timeout link stops waiting for the subgraphs. */
  signal?: AbortSignal;
}

/**
 * The one place a request's cache scope is decided: the role and its scopes,
 * plus the client itself for a bank, whose tax detail depends on which
 * subjects authorised that bank, and the department of a department's client,
 * which reads its own department's objections and repair applications only
 * (the response cache and the context both use it).
 */
export function scopeOf(request: { auth?: { caller: CallerIdentity } }): string {
  const caller = request.auth?.caller;
  return caller ? scopeOfCaller(caller) : 'PUBLIC';
}

export function scopeOfCaller(caller: CallerIdentity): string {
  const scope = `${caller.role}:${[...caller.scopes].sort().join(',')}`;
  if (caller.role === 'FINANCIAL_INSTITUTION') return `${scope}:${caller.clientId ?? ''}`;
  return caller.department ? `${scope}:${caller.department}` : scope;
}
