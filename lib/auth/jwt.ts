/**
 * Bearer tokens (JWT), verified with `jose` (5.x: its CommonJS build runs
 * under jest's CommonJS modules on Node 20, which jose 6, ESM-only, does not).
 *
 * The key source is configured once and pins the algorithms accepted:
 * a shared secret (JWT_SECRET, the demo) accepts HS256 only; a JWKS (file or
 * URL, production) accepts RS256 and ES256 only. So `alg: none` is refused
 * everywhere, and neither HS/RS confusion (a token "signed" with HS256 using
 * the public key as the secret) nor its reverse can get through: the
 * algorithm is checked against the configured list before any key is chosen.
 *
 * Claims: `sub` (the client id), `role` (a role of API.md other than PUBLIC —
 * no credential is what PUBLIC means), `exp` (required), optional `scope`
 * (space-separated or an array) which can only narrow the role's scopes, and
 * optional `name`, and `department` (MARKET, TAX, COURTS or ENVIRONMENT): required
 * for the DEPARTMENT role, which acts for that department only, and refused
 * (MALFORMED) on any other role. JWT_ISSUER / JWT_AUDIENCE, when set, must match.
 */
import fs from 'node:fs';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { isCredentialRole, isRecordDepartment, isScope, ROLE_SCOPES, type CredentialRole, type Scope } from './roles';

export type JwtRefusal =
  | 'MALFORMED'
  | 'WRONG_ALGORITHM'
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_KEY'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'NO_EXPIRY'
  | 'WRONG_ISSUER'
  | 'WRONG_AUDIENCE'
  | 'MISSING_CLAIM'
  | 'UNKNOWN_ROLE'
  /** The JWKS URL could not be fetched: not the client's fault, but never a reason to let the token through. */
  | 'KEY_SOURCE_UNAVAILABLE';

export interface JwtIdentity {
  clientId: string;
  name: string;
  role: CredentialRole;
  scopes: readonly Scope[];
  /** The token's `exp`, ISO-8601. */
  expiresAt: string;
  /** The `department` claim of a DEPARTMENT token; null for other roles. */
  department: string | null;
}

export type JwtVerification = JwtIdentity | { refused: JwtRefusal };
export type JwtVerifier = (token: string) => Promise<JwtVerification>;

export type JwtKeySource = { kind: 'secret'; secret: string } | { kind: 'jwks-file'; path: string } | { kind: 'jwks-url'; url: string };

export interface JwtConfig {
  key: JwtKeySource;
  issuer?: string;
  audience?: string;
  /** Allowed clock difference for exp/nbf, seconds. */
  clockToleranceSeconds?: number;
  /** Clock for tests; seconds since the epoch are derived from it. */
  now?: () => number;
}

/** The shortest HS256 secret accepted: RFC 7518 §3.2 asks for a key of at least the hash size (256 bits). */
export const MIN_JWT_SECRET_LENGTH = 32;
const CLOCK_TOLERANCE_SECONDS = 30;

const HS_ALGORITHMS = ['HS256'];
const JWKS_ALGORITHMS = ['RS256', 'ES256'];

type Env = Record<string, string | undefined>;

/**
 * The bearer-token configuration from the environment: undefined when none of
 * JWT_SECRET, JWT_JWKS_FILE, JWT_JWKS_URL is set (tokens are then refused),
 * an error when more than one is (which one would win is not a guess to make).
 */
export function jwtConfigFromEnv(env: Env = process.env): JwtConfig | undefined {
  const sources: JwtKeySource[] = [];
  if (env.JWT_SECRET) sources.push({ kind: 'secret', secret: env.JWT_SECRET });
  if (env.JWT_JWKS_FILE) sources.push({ kind: 'jwks-file', path: env.JWT_JWKS_FILE });
  if (env.JWT_JWKS_URL) sources.push({ kind: 'jwks-url', url: env.JWT_JWKS_URL });
  if (sources.length === 0) return undefined;
  if (sources.length > 1) throw new Error('set only one of JWT_SECRET, JWT_JWKS_FILE and JWT_JWKS_URL');
  return { key: sources[0]!, issuer: env.JWT_ISSUER || undefined, audience: env.JWT_AUDIENCE || undefined };
}

function keyFor(source: JwtKeySource): { key: Uint8Array | JWTVerifyGetKey; algorithms: string[] } {
  switch (source.kind) {
    case 'secret':
      if (source.secret.length < MIN_JWT_SECRET_LENGTH) throw new Error(`JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
      return { key: new TextEncoder().encode(source.secret), algorithms: HS_ALGORITHMS };
    case 'jwks-file': {
      let jwks: JSONWebKeySet;
      try {
        jwks = JSON.parse(fs.readFileSync(source.path, 'utf8')) as JSONWebKeySet;
      } catch (error) {
        throw new Error(`JWT_JWKS_FILE ${source.path}: not a readable JSON file (${(error as Error).message})`);
      }
      if (!Array.isArray(jwks?.keys) || jwks.keys.length === 0) throw new Error(`JWT_JWKS_FILE ${source.path}: no "keys"`);
      // Symmetric keys have no place in a public key set: refusing them keeps an HMAC secret out of a file meant to be public.
      if (jwks.keys.some((k) => k.kty === 'oct')) throw new Error(`JWT_JWKS_FILE ${source.path}: holds a symmetric (oct) key`);
      return { key: createLocalJWKSet(jwks), algorithms: JWKS_ALGORITHMS };
    }
    case 'jwks-url': {
      const url = new URL(source.url);
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        throw new Error(`JWT_JWKS_URL must be https:// (plain http only on the loopback address), got ${source.url}`);
      }
      return { key: createRemoteJWKSet(url, { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 }), algorithms: JWKS_ALGORITHMS };
    }
  }
}

/** Parses `scope` (OAuth style "a b c", or an array); undefined when absent, null when malformed. */
function tokenScopes(claim: unknown): string[] | undefined | null {
  if (claim === undefined) return undefined;
  if (typeof claim === 'string') return claim.split(' ').filter((s) => s !== '');
  if (Array.isArray(claim) && claim.every((s) => typeof s === 'string')) return claim as string[];
  return null;
}

function refusalOf(error: unknown, remote: boolean): JwtRefusal {
  const code = (error as { code?: unknown })?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'EXPIRED';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'BAD_SIGNATURE';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'WRONG_ALGORITHM';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'UNKNOWN_KEY';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const { claim, reason } = error as { claim?: string; reason?: string };
      if (claim === 'exp') return reason === 'missing' ? 'NO_EXPIRY' : 'MALFORMED';
      if (claim === 'nbf') return reason === 'check_failed' ? 'NOT_YET_VALID' : 'MALFORMED';
      if (claim === 'iss') return 'WRONG_ISSUER';
      if (claim === 'aud') return 'WRONG_AUDIENCE';
      if (claim === 'sub') return 'MISSING_CLAIM';
      return 'MALFORMED';
    }
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
    case 'ERR_JOSE_GENERIC':
      // Fetching the key set failed (timeout, HTTP status, not a key set).
      return remote ? 'KEY_SOURCE_UNAVAILABLE' : 'MALFORMED';
    default:
      // Anything that is not a JOSE error is the key set's fetch failing (connection refused, DNS...).
      if (remote && !(typeof code === 'string' && code.startsWith('ERR_J'))) return 'KEY_SOURCE_UNAVAILABLE';
      return 'MALFORMED';
  }
}

/** Tokens verified once are reused (a client sends the same token with each request) for at most this long. */
const VERIFIED_TOKEN_REUSE_MS = 60_000;

/**
 * A verifier that remembers each token it accepted, by its whole text (the
 * signature included), until the token's own time claims end it (exp and
 * nbf, with the clock tolerance, judged again on each use) and for a minute
 * at most (a key withdrawn from a key set stops its tokens soon). A CPU
 * profile of the gateway had HMAC verification at about 7 % of a cache hit.
 * Refusals are never remembered.
 */
export function createJwtVerifier(config: JwtConfig): JwtVerifier {
  const verify = createUncachedJwtVerifier(config);
  const now = config.now ?? Date.now;
  const toleranceMs = (config.clockToleranceSeconds ?? CLOCK_TOLERANCE_SECONDS) * 1000;
  const accepted = new LRUCache<string, { identity: Awaited<ReturnType<JwtVerifier>>; from: number; until: number }>({ max: 10_000, ttl: VERIFIED_TOKEN_REUSE_MS, ttlAutopurge: false });
  return async (token) => {
    const known = accepted.get(token);
    const at = now();
    if (known && at >= known.from && at < known.until) return known.identity;
    const identity = await verify(token);
    if (!('refused' in identity)) {
      const { exp, nbf } = decodeJwt(token);
      if (typeof exp === 'number') accepted.set(token, { identity, from: typeof nbf === 'number' ? nbf * 1000 - toleranceMs : -Infinity, until: exp * 1000 + toleranceMs });
    }
    return identity;
  };
}

function createUncachedJwtVerifier(config: JwtConfig): JwtVerifier {
  const { key, algorithms } = keyFor(config.key);
  const now = config.now ?? Date.now;
  const clockTolerance = config.clockToleranceSeconds ?? CLOCK_TOLERANCE_SECONDS;

  return async (token) => {
    // The algorithm is judged before anything else, from the header alone.
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return { refused: 'MALFORMED' };
    }
    if (typeof alg !== 'string' || !algorithms.includes(alg)) return { refused: 'WRONG_ALGORITHM' };

    let payload: JWTPayload;
    try {
      const options = {
        algorithms,
        issuer: config.issuer,
        audience: config.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance,
        currentDate: new Date(now()),
      };
      // jwtVerify is overloaded on the key's type; both forms take the same options.
      payload = (typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options)).payload;
    } catch (error) {
      return { refused: refusalOf(error, config.key.kind === 'jwks-url') };
    }

    if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 200) return { refused: 'MISSING_CLAIM' };
    if (payload.role === undefined) return { refused: 'MISSING_CLAIM' };
    if (!isCredentialRole(payload.role)) return { refused: 'UNKNOWN_ROLE' };
    if (typeof payload.exp !== 'number') return { refused: 'NO_EXPIRY' };
    const requested = tokenScopes(payload.scope);
    if (requested === null) return { refused: 'MALFORMED' };
    const roleScopes = ROLE_SCOPES[payload.role];
    // A token's scope narrows what its role holds; it never adds to it.
    const scopes = requested === undefined ? roleScopes : roleScopes.filter((s) => requested.some((r) => isScope(r) && r === s));
    const name = typeof payload.name === 'string' && payload.name !== '' ? payload.name : payload.sub;
    // A department's token names its department; no other role has one.
    const department = payload.department;
    if (payload.role === 'DEPARTMENT') {
      if (department === undefined) return { refused: 'MISSING_CLAIM' };
      if (!isRecordDepartment(department)) return { refused: 'MALFORMED' };
    } else if (department !== undefined) {
      return { refused: 'MALFORMED' };
    }
    return {
      clientId: payload.sub,
      name,
      role: payload.role,
      scopes,
      expiresAt: new Date(payload.exp * 1000).toISOString(),
      department: payload.role === 'DEPARTMENT' ? (department as string) : null,
    };
  };
}
