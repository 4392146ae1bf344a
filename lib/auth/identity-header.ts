/**
 * The caller's identity as the gateway forwards it to the subgraphs: a
 * compact token `<payload>.<signature>` (base64url JSON, HMAC-SHA256 with a
 * key shared by the gateway and the subgraphs, IDENTITY_SIGNING_KEY). A
 * subgraph trusts the role and client it names only when the signature
 * verifies and the token is fresh, and refuses calls without one, so nobody
 * can reach a department's data around the gateway's authorisation.
 */
import crypto from 'node:crypto';
import { GATEWAY_SERVICE_ROLE } from './roles';

export const IDENTITY_HEADER = 'x-credit-graph-identity';

/** How long a signed identity is accepted: one request's life, with room for clock drift between hosts. */
const MAX_AGE_SECONDS = 60;

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

interface SignedPayload extends ForwardedIdentity {
  /** Issued at, seconds since the epoch. */
  iat: number;
}

export function signIdentity(identity: ForwardedIdentity, key: string, now: number = Date.now()): string {
  const payload: SignedPayload = { ...identity, iat: Math.floor(now / 1000) };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(body, key)}`;
}

export type IdentityVerification = { valid: true; identity: ForwardedIdentity } | { valid: false; reason: 'MISSING' | 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' };

export function verifyIdentity(token: string | undefined, key: string, now: number = Date.now()): IdentityVerification {
  if (!token) return { valid: false, reason: 'MISSING' };
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { valid: false, reason: 'MALFORMED' };
  const expected = Buffer.from(mac(body, key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { valid: false, reason: 'BAD_SIGNATURE' };
  let payload: SignedPayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SignedPayload;
  } catch {
    return { valid: false, reason: 'MALFORMED' };
  }
  if (!isSignedPayload(payload)) return { valid: false, reason: 'MALFORMED' };
  const age = Math.floor(now / 1000) - payload.iat;
  if (age > MAX_AGE_SECONDS || age < -MAX_AGE_SECONDS) return { valid: false, reason: 'EXPIRED' };
  const { iat: _issued, ...identity } = payload;
  return { valid: true, identity };
}

/** Only reachable with the key, but a verifier must answer, not throw, whatever JSON it is given. */
function isSignedPayload(value: unknown): value is SignedPayload {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  const stringOrNull = (v: unknown) => v === null || typeof v === 'string';
  return (
    typeof p.iat === 'number' &&
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

/**
 * The gateway vouching for itself (role GATEWAY) on its internal calls to the
 * credit office: API-key lookups, authorisation lookups, audit deliveries.
 */
export function signGatewayIdentity(key: string, purpose: string | null, requestId: string = crypto.randomUUID()): string {
  return signIdentity({ clientId: null, role: GATEWAY_SERVICE_ROLE, scopes: [], purpose, requestId }, key);
}

export type GatewayCallerVerification = { valid: true; identity: ForwardedIdentity } | { valid: false; reason: Exclude<IdentityVerification, { valid: true }>['reason'] | 'NOT_GATEWAY' };

/** The check of every internal endpoint: a single, fresh identity the gateway signed for itself. */
export function verifyGatewayCaller(header: string | string[] | undefined, key: string, now: number = Date.now()): GatewayCallerVerification {
  // A repeated header is not one identity.
  const verified = verifyIdentity(typeof header === 'string' ? header : undefined, key, now);
  if (!verified.valid) return verified;
  if (verified.identity.role !== GATEWAY_SERVICE_ROLE) return { valid: false, reason: 'NOT_GATEWAY' };
  return verified;
}
