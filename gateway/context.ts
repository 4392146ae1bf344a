/** What the gateway knows about one incoming request, shared by its plugins and data sources. */
export interface GatewayContext {
  requestId: string;
  /**
   * The caller's authorisation scope: what it may see. Part of every cache
   * key (entities and whole responses), so a cached answer is only ever
   * served to a caller with the same scope. "PUBLIC" until authentication
   * lands; it will derive the scope from the credential in `scopeOf`.
   */
  scope: string;
}

/** The one place a request's scope is decided (the response cache and the context both use it). */
export function scopeOf(_request: { headers: Record<string, string | string[] | undefined> }): string {
  return 'PUBLIC';
}
