/**
 * The caller's identity as the gateway forwards it to the subgraphs: a
 * compact token `<payload>.<signature>` (base64url JSON, HMAC-SHA256 with a
 * key shared by the gateway and the subgraphs, IDENTITY_SIGNING_KEY). A
 * subgraph trusts the role and client it names only when the signature
 * verifies, and refuses calls without one, so nobody can reach a
 * department's data around the gateway's authorisation.
 *
 * A token is bound to the one HTTP request it was made for, so a captured
 * header is worth nothing anywhere else:
 *
 *   aud   the subgraph it is for (its name: market, tax, courts, environment, credit)
 *   htm   the method, and htu the path with the query (/graphql, /internal/audit)
 *   bh    the SHA-256 of the exact body bytes
 *   iat, exp  issued and expiring IDENTITY_LIFETIME_SECONDS later (clocks may differ by CLOCK_SKEW_SECONDS)
 *   jti   a random nonce: a subgraph accepts each token once (ReplayGuard)
 *
 * Another subgraph, another path or method, another body, a token past its
 * expiry or one seen before are refused (WRONG_AUDIENCE, WRONG_TARGET,
 * WRONG_BODY, EXPIRED, REPLAYED). The key itself must stay secret, and the
 * gateway–subgraph hop must run inside a private network or over TLS
 * (docs/security.md): an eavesdropper on that hop reads the answers anyway.
 */
import crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { GATEWAY_SERVICE_ROLE } from './roles';

export const IDENTITY_HEADER = 'x-credit-graph-identity';

/** How long a signed identity is valid: one subgraph request's life. */
export const IDENTITY_LIFETIME_SECONDS = 10;
/** How far the clocks of the gateway's and a subgraph's hosts may differ. */
export const CLOCK_SKEW_SECONDS = 5;

export interface ForwardedIdentity {
  /** The client id (API key or JWT subject); null for PUBLIC. */
  clientId: string | null;
  role: string;
  scopes: string[];
  /** X-Purpose of the request, for the audit log. */
  purpose: string | null;
  requestId: string;
  /** The department a DEPARTMENT client is registered for (MARKET, TAX, COURTS, ENVIRONMENT); null or absent otherwise. */
  department?: string | null;
}

/** The HTTP request a token is made for. */
export interface SignedRequest {
  /** The subgraph's name (its name in the supergraph). */
  audience: string;
  method: string;
  /** The URL's path and query, e.g. /graphql or /internal/audit. */
  target: string;
  /** The exact bytes of the body (empty for none). */
  body: string | Uint8Array;
}

interface SignedPayload extends ForwardedIdentity {
  aud: string;
  htm: string;
  htu: string;
  bh: string;
  iat: number;
  exp: number;
  jti: string;
}

export function bodyHash(body: string | Uint8Array): string {
  return crypto.createHash('sha256').update(body).digest('base64url');
}

/** The path and query of a URL, as a server sees it in its request line. */
export function targetOf(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.pathname}${parsed.search}`;
}

export function signIdentity(identity: ForwardedIdentity, key: string, request: SignedRequest, now: number = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const payload: SignedPayload = {
    ...identity,
    aud: request.audience,
    htm: request.method.toUpperCase(),
    htu: request.target,
    bh: bodyHash(request.body),
    iat,
    exp: iat + IDENTITY_LIFETIME_SECONDS,
    jti: crypto.randomBytes(16).toString('base64url'),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(body, key)}`;
}

export type IdentityRefusal = 'MISSING' | 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' | 'WRONG_AUDIENCE' | 'WRONG_TARGET' | 'WRONG_BODY' | 'REPLAYED';

/** A token whose signature, time, audience and target hold; its body and nonce are checked once the body is in (`checkBody`). */
export interface VerifiedHeader {
  valid: true;
  identity: ForwardedIdentity;
  bodyHash: string;
  nonce: string;
  /** Epoch ms until which the token could still be accepted: the replay guard remembers its nonce that long. */
  acceptableUntil: number;
  /** Epoch seconds it was issued. */
  issuedAt: number;
}

export type IdentityVerification = VerifiedHeader | { valid: false; reason: IdentityRefusal };

/** Checks everything of a token but its body: the signature, its time, and that it was made for this subgraph, method and target. */
export function verifyIdentityHeader(token: string | undefined, key: string, expected: Omit<SignedRequest, 'body'>, now: number = Date.now()): IdentityVerification {
  if (!token) return { valid: false, reason: 'MISSING' };
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { valid: false, reason: 'MALFORMED' };
  const computed = Buffer.from(mac(body, key));
  const given = Buffer.from(signature);
  if (computed.length !== given.length || !crypto.timingSafeEqual(computed, given)) return { valid: false, reason: 'BAD_SIGNATURE' };
  let payload: SignedPayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SignedPayload;
  } catch {
    return { valid: false, reason: 'MALFORMED' };
  }
  if (!isSignedPayload(payload)) return { valid: false, reason: 'MALFORMED' };
  const seconds = Math.floor(now / 1000);
  if (payload.iat > seconds + CLOCK_SKEW_SECONDS || payload.exp + CLOCK_SKEW_SECONDS < seconds || payload.exp - payload.iat > IDENTITY_LIFETIME_SECONDS) {
    return { valid: false, reason: 'EXPIRED' };
  }
  if (payload.aud !== expected.audience) return { valid: false, reason: 'WRONG_AUDIENCE' };
  if (payload.htm !== expected.method.toUpperCase() || payload.htu !== expected.target) return { valid: false, reason: 'WRONG_TARGET' };
  const { aud: _aud, htm: _htm, htu: _htu, bh, iat, exp, jti, ...identity } = payload;
  return { valid: true, identity, bodyHash: bh, nonce: jti, acceptableUntil: (exp + CLOCK_SKEW_SECONDS) * 1000, issuedAt: iat };
}

/**
 * The nonces a subgraph process has accepted, each until its token could no
 * longer be accepted anyway, so a captured request replayed verbatim within
 * its lifetime is refused. Bounded: past `maxEntries` the oldest is dropped
 * (at that rate a token's lifetime is shorter than the replay window needs).
 */
export class ReplayGuard {
  private readonly seen: LRUCache<string, true>;
  /** The second this process started remembering: what was issued before, an earlier process may have accepted. */
  private readonly since: number;
  constructor(private readonly now: () => number = Date.now, maxEntries = 200_000) {
    this.seen = new LRUCache({ max: maxEntries, ttl: (IDENTITY_LIFETIME_SECONDS + 2 * CLOCK_SKEW_SECONDS) * 1000, ttlAutopurge: false });
    this.since = Math.floor(now() / 1000);
  }
  /**
   * True the first time a nonce is presented, false every later time — and false for a token issued
   * before this guard existed: the nonces are in memory, so a subgraph restarted within a token's
   * lifetime would otherwise accept again a request captured before the restart (found by the
   * black-box review). Several instances of one subgraph would need a shared guard (docs/security.md).
   */
  firstUse(header: VerifiedHeader): boolean {
    if (header.issuedAt < this.since) return false;
    if (this.seen.has(header.nonce)) return false;
    this.seen.set(header.nonce, true, { ttl: Math.max(1, header.acceptableUntil - this.now()) });
    return true;
  }
}

/** The body and nonce of a token whose header verified. */
export function checkBody(header: VerifiedHeader, body: string | Uint8Array, replays: ReplayGuard | undefined): { valid: true } | { valid: false; reason: 'WRONG_BODY' | 'REPLAYED' } {
  const computed = Buffer.from(bodyHash(body));
  const given = Buffer.from(header.bodyHash);
  if (computed.length !== given.length || !crypto.timingSafeEqual(computed, given)) return { valid: false, reason: 'WRONG_BODY' };
  if (replays && !replays.firstUse(header)) return { valid: false, reason: 'REPLAYED' };
  return { valid: true };
}

/** The whole check of a request whose body is at hand. */
export function verifyIdentity(token: string | undefined, key: string, request: SignedRequest, replays?: ReplayGuard, now: number = Date.now()): { valid: true; identity: ForwardedIdentity } | { valid: false; reason: IdentityRefusal } {
  const header = verifyIdentityHeader(token, key, request, now);
  if (!header.valid) return header;
  const body = checkBody(header, request.body, replays);
  if (!body.valid) return body;
  return { valid: true, identity: header.identity };
}

/** Only reachable with the key, but a verifier must answer, not throw, whatever JSON it is given. */
function isSignedPayload(value: unknown): value is SignedPayload {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  const stringOrNull = (v: unknown) => v === null || typeof v === 'string';
  return (
    typeof p.iat === 'number' &&
    typeof p.exp === 'number' &&
    typeof p.aud === 'string' &&
    typeof p.htm === 'string' &&
    typeof p.htu === 'string' &&
    typeof p.bh === 'string' &&
    typeof p.jti === 'string' &&
    typeof p.role === 'string' &&
    Array.isArray(p.scopes) &&
    p.scopes.every((s) => typeof s === 'string') &&
    stringOrNull(p.clientId) &&
    stringOrNull(p.purpose) &&
    (p.department === undefined || stringOrNull(p.department)) &&
    typeof p.requestId === 'string'
  );
}

function mac(body: string, key: string): string {
  return crypto.createHmac('sha256', key).update(body).digest('base64url');
}

/** The identity the gateway (and the credit office on its calls to the departments) signs for itself: role GATEWAY. */
export function gatewayIdentity(purpose: string | null, requestId: string = crypto.randomUUID(), scopes: string[] = []): ForwardedIdentity {
  return { clientId: null, role: GATEWAY_SERVICE_ROLE, scopes, purpose, requestId };
}

/**
 * The headers of a signed request to another service of the graph: the
 * identity bound to this URL, method and body, and the request id. One
 * function for every caller (the gateway's fetch chain, its calls to the
 * credit office, the credit office's calls to the departments).
 */
export function signedHeaders(identity: ForwardedIdentity, key: string, request: { audience: string; method: string; url: string; body: string }): Record<string, string> {
  return { [IDENTITY_HEADER]: signIdentity(identity, key, { audience: request.audience, method: request.method, target: targetOf(request.url), body: request.body }) };
}

export type GatewayCallerVerification = { valid: true; identity: ForwardedIdentity } | { valid: false; reason: IdentityRefusal | 'NOT_GATEWAY' };

/** The check of every internal endpoint: a single identity the gateway signed for itself, for this very request. */
export function verifyGatewayCaller(
  header: string | string[] | undefined,
  key: string,
  request: SignedRequest,
  replays?: ReplayGuard,
  now: number = Date.now(),
): GatewayCallerVerification {
  // A repeated header is not one identity.
  const verified = verifyIdentity(typeof header === 'string' ? header : undefined, key, request, replays, now);
  if (!verified.valid) return verified;
  if (verified.identity.role !== GATEWAY_SERVICE_ROLE) return { valid: false, reason: 'NOT_GATEWAY' };
  return verified;
}
