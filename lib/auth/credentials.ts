/**
 * Who is calling: the credential headers of a request (API.md) resolved to
 * an identity with a role and its scopes, or a refusal.
 *
 *   no Authorization and no X-Api-Key  → PUBLIC
 *   Authorization: Bearer <jwt>        → the JWT verifier (lib/auth/jwt.ts)
 *   X-Api-Key: <key>                   → the credit office (its internal endpoint)
 *   both                               → refused: which one speaks for the caller is ambiguous
 *
 * Anything wrong with a credential that was sent — empty, another scheme,
 * expired, revoked, unknown, the lookup failing — is a refusal, which the
 * gateway answers with UNAUTHENTICATED. It is never downgraded to PUBLIC:
 * a client whose key broke must find out, not silently see less.
 */
import crypto from 'node:crypto';
import { callCreditOffice, creditOfficeEndpoint } from './credit-office-client';
import { isCredentialRole, ROLE_SCOPES, type CredentialRole, type Role, type Scope } from './roles';
import type { JwtRefusal, JwtVerifier } from './jwt';

export type CredentialKind = 'api-key' | 'jwt' | 'none';

export interface CallerIdentity {
  /** The API client id or the token's subject; null for PUBLIC. */
  clientId: string | null;
  name: string | null;
  role: Role;
  scopes: readonly Scope[];
  via: CredentialKind;
  /** The department a DEPARTMENT client is registered for; null (or absent) for every other caller. */
  department?: string | null;
}

export type ApiKeyRefusal = 'UNKNOWN' | 'EXPIRED' | 'REVOKED';

export type CredentialRefusalReason =
  /** Both Authorization and X-Api-Key. */
  | 'AMBIGUOUS_CREDENTIALS'
  /** Authorization with a scheme other than Bearer. */
  | 'UNSUPPORTED_SCHEME'
  /** A bearer token was sent but the deployment verifies none (no JWT_SECRET / JWKS configured). */
  | 'JWT_NOT_ACCEPTED'
  /** The credit office could not be asked about an API key (down, misconfigured): refused, not guessed. */
  | 'CREDENTIAL_SERVICE_UNAVAILABLE'
  /** An API key was sent to a gateway whose supergraph has no credit office to hold them (bearer tokens still work). */
  | 'API_KEYS_UNAVAILABLE'
  | ApiKeyRefusal
  | JwtRefusal;

export interface CredentialRefusal {
  refused: CredentialRefusalReason;
  via: Exclude<CredentialKind, 'none'>;
}

export type CallerResolution = CallerIdentity | CredentialRefusal;

/** What the credit office answers for a valid key. */
export interface ApiKeyOwner {
  clientId: string;
  name: string;
  role: CredentialRole;
  expiresAt: string | null;
  /** A DEPARTMENT client's department (the client register's). */
  department?: string | null;
}

export type ApiKeyLookup = ApiKeyOwner | { refused: ApiKeyRefusal };
/** Resolves an API key; throws when it cannot get an answer. */
export type ApiKeyVerifier = (apiKey: string) => Promise<ApiKeyLookup>;

export interface CredentialDependencies {
  /** Undefined: the deployment has no register of API clients (no credit subgraph), and a key sent is refused. */
  verifyApiKey?: ApiKeyVerifier;
  /** Whether a key is one this gateway found valid (lately, and not refused since): such a key is never held back by failed attempts of others at its address. */
  knowsApiKey?: (apiKey: string) => boolean;
  /** Undefined: the deployment accepts no bearer tokens, and one sent is refused. */
  verifyJwt?: JwtVerifier;
}

type Headers = Record<string, string | string[] | undefined>;

export const PUBLIC_IDENTITY: CallerIdentity = Object.freeze({
  clientId: null,
  name: null,
  role: 'PUBLIC',
  scopes: ROLE_SCOPES.PUBLIC,
  via: 'none',
  department: null,
});

export function isRefusal(resolution: CallerResolution): resolution is CredentialRefusal {
  return 'refused' in resolution;
}

/** A header's value; present-but-repeated counts as present (and is refused as malformed, not ignored). */
function header(headers: Headers, name: string): string | undefined {
  // Node gives lower-case names; a plain object built by hand may not.
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The API key a request presents on its own (no Authorization beside it), trimmed; undefined when there is none to look up. */
export function presentedApiKey(headers: Headers): string | undefined {
  if (header(headers, 'authorization') !== undefined) return undefined;
  const key = header(headers, 'x-api-key')?.trim();
  return key ? key : undefined;
}

/** Whatever credential a request presents (its Authorization, else its X-Api-Key), for counting failed attempts; '' when none. */
export function presentedCredential(headers: Headers): string {
  return header(headers, 'authorization') ?? header(headers, 'x-api-key') ?? '';
}

/** Refusals that say nothing about the credential: the service that judges it could not be asked. */
export function isServiceUnavailable(reason: CredentialRefusalReason): boolean {
  return reason === 'CREDENTIAL_SERVICE_UNAVAILABLE' || reason === 'KEY_SOURCE_UNAVAILABLE';
}

export async function resolveCaller(headers: Headers, deps: CredentialDependencies): Promise<CallerResolution> {
  const authorization = header(headers, 'authorization');
  const apiKey = header(headers, 'x-api-key');

  if (authorization === undefined && apiKey === undefined) return PUBLIC_IDENTITY;
  if (authorization !== undefined && apiKey !== undefined) return { refused: 'AMBIGUOUS_CREDENTIALS', via: 'jwt' };

  if (authorization !== undefined) {
    const match = /^Bearer +([^\s,]+)\s*$/i.exec(authorization);
    if (!match) return { refused: /^Bearer\b/i.test(authorization) ? 'MALFORMED' : 'UNSUPPORTED_SCHEME', via: 'jwt' };
    if (!deps.verifyJwt) return { refused: 'JWT_NOT_ACCEPTED', via: 'jwt' };
    const verified = await deps.verifyJwt(match[1]!);
    if ('refused' in verified) return { refused: verified.refused, via: 'jwt' };
    return { clientId: verified.clientId, name: verified.name, role: verified.role, scopes: verified.scopes, via: 'jwt', department: verified.department };
  }

  const key = apiKey!.trim();
  if (key === '') return { refused: 'MALFORMED', via: 'api-key' };
  if (!deps.verifyApiKey) return { refused: 'API_KEYS_UNAVAILABLE', via: 'api-key' };
  let owner: ApiKeyLookup;
  try {
    owner = await deps.verifyApiKey(key);
  } catch {
    return { refused: 'CREDENTIAL_SERVICE_UNAVAILABLE', via: 'api-key' };
  }
  if ('refused' in owner) return { refused: owner.refused, via: 'api-key' };
  return { clientId: owner.clientId, name: owner.name, role: owner.role, scopes: ROLE_SCOPES[owner.role], via: 'api-key', department: owner.department ?? null };
}

export interface ApiKeyCacheOptions {
  /** How long a successful lookup is reused. A key revoked meanwhile keeps working on this gateway for up to this long, unless the revocation is announced (forgetClient). */
  ttlMs?: number;
  /** Most keys remembered; the oldest entry is dropped first. */
  maxEntries?: number;
  now?: () => number;
}

/** A revocation takes effect on every gateway within this time, announced or not (lib/auth/revocations.ts announces it at once). */
export const API_KEY_CACHE_TTL_MS = 5_000;
const API_KEY_CACHE_MAX_ENTRIES = 10_000;
/** How long a key found valid is remembered as a known client's (not as valid: that is the cache's TTL). */
export const KNOWN_KEY_MS = 60 * 60_000;

export interface CachedApiKeyVerifier extends ApiKeyVerifier {
  /**
   * Whether this gateway found the key valid within KNOWN_KEY_MS and was not
   * told otherwise since (a refusal, an announced revocation): it is still
   * asked about after the cache's TTL, but never held back by bogus keys
   * sent from the same address.
   */
  knows(apiKey: string): boolean;
  /** Drops every key of a client (its revocation was announced). */
  forgetClient(clientId: string): void;
  clear(): void;
  size(): number;
}

/**
 * Wraps an API-key verifier with a small in-process cache of successful
 * lookups, so a client's every request does not cost a round trip to the
 * credit office. The price: a revocation takes effect on each gateway
 * within `ttlMs` (5 s by default), or at once where it is announced
 * (`forgetClient`, from the revocation channel). An entry never outlives
 * the key's own expiry. Refusals are not cached (a key created a moment ago
 * works at once), and concurrent lookups of the same key share one request.
 * Keys are held by their SHA-256, not in clear.
 */
export function cachedApiKeyVerifier(verify: ApiKeyVerifier, options: ApiKeyCacheOptions = {}): CachedApiKeyVerifier {
  const ttlMs = options.ttlMs ?? API_KEY_CACHE_TTL_MS;
  const maxEntries = options.maxEntries ?? API_KEY_CACHE_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { owner: ApiKeyOwner; until: number }>();
  const inFlight = new Map<string, Promise<ApiKeyLookup>>();
  /** Keys found valid lately (key id → client id, and until when), for `knows`. */
  const known = new Map<string, { clientId: string; until: number }>();

  const idOf = (apiKey: string) => crypto.createHash('sha256').update(apiKey).digest('hex');
  /** Lookups in flight when a client was forgotten: their answer predates the revocation and is not kept. */
  let forgetting = 0;
  const lookup = async (apiKey: string): Promise<ApiKeyLookup> => {
    const id = idOf(apiKey);
    const cached = entries.get(id);
    if (cached) {
      if (cached.until > now()) return cached.owner;
      entries.delete(id);
    }
    const pending = inFlight.get(id);
    if (pending) return pending;
    const generation = forgetting;
    const request = verify(apiKey)
      .then((result) => {
        if ('refused' in result) known.delete(id);
        if (!('refused' in result) && generation === forgetting) {
          known.delete(id);
          known.set(id, { clientId: result.clientId, until: now() + KNOWN_KEY_MS });
          while (known.size > maxEntries) known.delete(known.keys().next().value!);
          const expiry = result.expiresAt === null ? Infinity : Date.parse(result.expiresAt);
          const until = Math.min(now() + ttlMs, expiry);
          if (until > now()) {
            entries.delete(id);
            entries.set(id, { owner: result, until });
            while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
          }
        }
        return result;
      })
      .finally(() => inFlight.delete(id));
    inFlight.set(id, request);
    return request;
  };
  return Object.assign(lookup, {
    knows(apiKey: string) {
      const id = idOf(apiKey);
      const cached = entries.get(id);
      if (cached !== undefined && cached.until > now()) return true;
      const seen = known.get(id);
      return seen !== undefined && seen.until > now();
    },
    forgetClient(clientId: string) {
      forgetting += 1;
      for (const [id, entry] of entries) if (entry.owner.clientId === clientId) entries.delete(id);
      for (const [id, seen] of known) if (seen.clientId === clientId) known.delete(id);
    },
    clear: () => {
      entries.clear();
      known.clear();
    },
    size: () => entries.size,
  });
}

export interface RemoteApiKeyVerifierOptions {
  /** Base URL of the credit subgraph, e.g. http://127.0.0.1:4005 (a /graphql suffix is dropped). */
  creditUrl: string;
  /** IDENTITY_SIGNING_KEY: the gateway signs its own GATEWAY identity with it. */
  signingKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const API_KEY_LOOKUP_PATH = '/internal/credentials/api-key';

/**
 * Asks the credit subgraph's internal endpoint who holds a key, as the
 * gateway (a signed GATEWAY identity). Resolves with the owner or the
 * refusal; throws when there is no usable answer (unreachable, timeout, the
 * endpoint refusing the gateway itself, an unexpected reply).
 */
export function remoteApiKeyVerifier(options: RemoteApiKeyVerifierOptions): ApiKeyVerifier {
  const url = creditOfficeEndpoint(options.creditUrl, API_KEY_LOOKUP_PATH);
  const timeoutMs = options.timeoutMs ?? 3000;
  return async (apiKey) => {
    const answer = await callCreditOffice({ url, signingKey: options.signingKey, purpose: 'api-key lookup', body: { apiKey }, timeoutMs, fetch: options.fetch });
    const body = answer.body as Record<string, unknown> | null;
    if (answer.status === 200 && body && typeof body.clientId === 'string' && typeof body.name === 'string' && isCredentialRole(body.role)) {
      const expiresAt = typeof body.expiresAt === 'string' ? body.expiresAt : null;
      const department = typeof body.department === 'string' ? body.department : null;
      return { clientId: body.clientId, name: body.name, role: body.role, expiresAt, department };
    }
    if (answer.status === 401 && body && (body.refused === 'UNKNOWN' || body.refused === 'EXPIRED' || body.refused === 'REVOKED')) {
      return { refused: body.refused };
    }
    throw new Error(`API-key lookup at ${url} answered ${answer.status} ${JSON.stringify(body)}`);
  };
}
