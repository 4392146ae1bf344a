import crypto from 'node:crypto';
import {
  checkBody,
  IDENTITY_HEADER,
  ReplayGuard,
  signIdentity,
  verifyGatewayCaller,
  verifyIdentity,
  verifyIdentityHeader,
  type ForwardedIdentity,
  type SignedRequest,
} from '../../lib/auth/identity-header';

const KEY = 'k'.repeat(40);
const identity: ForwardedIdentity = {
  clientId: 'cli_0123456789abcdef0123',
  role: 'APPROVAL_SYSTEM',
  scopes: ['public', 'records', 'checks', 'feedback'],
  purpose: '许可申请 2026-0042',
  requestId: 'req-1',
};
const REQUEST: SignedRequest = { audience: 'tax', method: 'POST', target: '/graphql', body: '{"query":"{ _service { sdl } }"}' };
const T0 = Date.UTC(2026, 0, 10, 8, 0, 0);

describe('signed identity header', () => {
  it('is named x-credit-graph-identity', () => {
    expect(IDENTITY_HEADER).toBe('x-credit-graph-identity');
  });

  it('round-trips an identity signed with the same key for the same request', () => {
    expect(verifyIdentity(signIdentity(identity, KEY, REQUEST, T0), KEY, REQUEST, undefined, T0 + 1000)).toEqual({ valid: true, identity });
  });

  it('refuses a missing header', () => {
    expect(verifyIdentity(undefined, KEY, REQUEST)).toEqual({ valid: false, reason: 'MISSING' });
    expect(verifyIdentity('', KEY, REQUEST)).toEqual({ valid: false, reason: 'MISSING' });
  });

  it('refuses a tampered payload, even one re-encoded to look valid', () => {
    const token = signIdentity(identity, KEY, REQUEST, T0);
    const [body, signature] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...payload, role: 'CREDIT_OFFICE' })).toString('base64url');
    expect(verifyIdentity(`${forged}.${signature}`, KEY, REQUEST, undefined, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
    // Re-pointed at another subgraph by hand.
    const moved = Buffer.from(JSON.stringify({ ...payload, aud: 'credit' })).toString('base64url');
    expect(verifyIdentity(`${moved}.${signature}`, KEY, { ...REQUEST, audience: 'credit' }, undefined, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
    // One character of the body flipped.
    const flipped = (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
    expect(verifyIdentity(`${flipped}.${signature}`, KEY, REQUEST, undefined, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses a signature made with another key, and a truncated or altered signature', () => {
    const other = signIdentity(identity, 'x'.repeat(40), REQUEST, T0);
    expect(verifyIdentity(other, KEY, REQUEST, undefined, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
    const token = signIdentity(identity, KEY, REQUEST, T0);
    expect(verifyIdentity(token.slice(0, -1), KEY, REQUEST, undefined, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(verifyIdentity(`${token}A`, KEY, REQUEST, undefined, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('is short-lived: valid 10 s, with 5 s of clock difference either way, and refused after', () => {
    const token = signIdentity(identity, KEY, REQUEST, T0);
    expect(verifyIdentity(token, KEY, REQUEST, undefined, T0 + 15_000).valid).toBe(true);
    expect(verifyIdentity(token, KEY, REQUEST, undefined, T0 + 16_000)).toEqual({ valid: false, reason: 'EXPIRED' });
    expect(verifyIdentity(token, KEY, REQUEST, undefined, T0 - 5_000).valid).toBe(true);
    expect(verifyIdentity(token, KEY, REQUEST, undefined, T0 - 6_000)).toEqual({ valid: false, reason: 'EXPIRED' });
  });

  it('is bound to its subgraph, method, path (with its query) and body bytes', () => {
    const token = signIdentity(identity, KEY, REQUEST, T0);
    expect(verifyIdentity(token, KEY, { ...REQUEST, audience: 'market' }, undefined, T0)).toEqual({ valid: false, reason: 'WRONG_AUDIENCE' });
    expect(verifyIdentity(token, KEY, { ...REQUEST, target: '/internal/audit' }, undefined, T0)).toEqual({ valid: false, reason: 'WRONG_TARGET' });
    expect(verifyIdentity(token, KEY, { ...REQUEST, target: '/graphql?query=x' }, undefined, T0)).toEqual({ valid: false, reason: 'WRONG_TARGET' });
    expect(verifyIdentity(token, KEY, { ...REQUEST, method: 'GET' }, undefined, T0)).toEqual({ valid: false, reason: 'WRONG_TARGET' });
    expect(verifyIdentity(token, KEY, { ...REQUEST, body: '{"query":"{ _service { sdl } }" }' }, undefined, T0)).toEqual({ valid: false, reason: 'WRONG_BODY' });
    // The same bytes as a Buffer are the same body.
    expect(verifyIdentity(token, KEY, { ...REQUEST, body: Buffer.from(REQUEST.body) }, undefined, T0).valid).toBe(true);
  });

  it('is accepted once by a replay guard, and the guard lets other tokens through', () => {
    const guard = new ReplayGuard(() => T0);
    const token = signIdentity(identity, KEY, REQUEST, T0);
    expect(verifyIdentity(token, KEY, REQUEST, guard, T0).valid).toBe(true);
    expect(verifyIdentity(token, KEY, REQUEST, guard, T0)).toEqual({ valid: false, reason: 'REPLAYED' });
    expect(verifyIdentity(signIdentity(identity, KEY, REQUEST, T0), KEY, REQUEST, guard, T0).valid).toBe(true);
    // A token whose body fails burns no nonce of a real one.
    const header = verifyIdentityHeader(signIdentity(identity, KEY, REQUEST, T0), KEY, REQUEST, T0);
    if (!header.valid) throw new Error('expected a valid header');
    expect(checkBody(header, 'other', guard)).toEqual({ valid: false, reason: 'WRONG_BODY' });
    expect(checkBody(header, REQUEST.body, guard)).toEqual({ valid: true });
  });

  it('refuses, in a process started after it was issued, a token an earlier process may have accepted (a subgraph restarted within the lifetime)', () => {
    const captured = signIdentity(identity, KEY, REQUEST, T0);
    expect(verifyIdentity(captured, KEY, REQUEST, new ReplayGuard(() => T0), T0).valid).toBe(true);
    // The subgraph is killed and back 2 s later, inside the token's lifetime: its new guard never saw the nonce.
    const restarted = new ReplayGuard(() => T0 + 2000);
    expect(verifyIdentity(captured, KEY, REQUEST, restarted, T0 + 2000)).toEqual({ valid: false, reason: 'REPLAYED' });
    expect(verifyIdentity(signIdentity(identity, KEY, REQUEST, T0 + 2000), KEY, REQUEST, restarted, T0 + 2000).valid).toBe(true);
  });

  it('admits to internal endpoints only the gateway signing for itself', () => {
    const gateway = { clientId: null, role: 'GATEWAY', scopes: [], purpose: null, requestId: 'r' };
    const audit = { audience: 'credit', method: 'POST', target: '/internal/audit', body: '{"entries":[]}' };
    expect(verifyGatewayCaller(signIdentity(gateway, KEY, audit), KEY, audit).valid).toBe(true);
    expect(verifyGatewayCaller(signIdentity(identity, KEY, audit), KEY, audit)).toEqual({ valid: false, reason: 'NOT_GATEWAY' });
    expect(verifyGatewayCaller([signIdentity(gateway, KEY, audit), signIdentity(gateway, KEY, audit)], KEY, audit)).toEqual({ valid: false, reason: 'MISSING' });
  });

  it('refuses malformed tokens', () => {
    expect(verifyIdentity('no-dot-at-all', KEY, REQUEST)).toEqual({ valid: false, reason: 'MALFORMED' });
    expect(verifyIdentity('a.b.c', KEY, REQUEST)).toEqual({ valid: false, reason: 'MALFORMED' });
    expect(verifyIdentity('.sig', KEY, REQUEST)).toEqual({ valid: false, reason: 'MALFORMED' });
    expect(verifyIdentity('body.', KEY, REQUEST)).toEqual({ valid: false, reason: 'MALFORMED' });
  });

  it('refuses a correctly signed body that is not an identity bound to a request', () => {
    const sign = (body: string) => `${body}.${crypto.createHmac('sha256', KEY).update(body).digest('base64url')}`;
    const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    expect(verifyIdentity(sign(encode('not json')), KEY, REQUEST)).toEqual({ valid: false, reason: 'MALFORMED' });
    // An identity of the earlier, unbound form: no audience, target, body hash, expiry or nonce.
    expect(verifyIdentity(sign(encode({ ...identity, iat: now })), KEY, REQUEST)).toEqual({ valid: false, reason: 'MALFORMED' });
    expect(verifyIdentity(sign(encode({ role: 'PUBLIC', iat: now })), KEY, REQUEST)).toEqual({ valid: false, reason: 'MALFORMED' });
    expect(verifyIdentity(sign(encode('null')), KEY, REQUEST)).toEqual({ valid: false, reason: 'MALFORMED' });
    // A long-lived token signed by hand is refused for its lifetime, not only its age.
    const bound = JSON.parse(Buffer.from(signIdentity(identity, KEY, REQUEST).split('.')[0]!, 'base64url').toString());
    expect(verifyIdentity(sign(encode({ ...bound, exp: bound.iat + 3600 })), KEY, REQUEST)).toEqual({ valid: false, reason: 'EXPIRED' });
  });
});
