import { IDENTITY_HEADER, signIdentity, verifyIdentity, type ForwardedIdentity } from '../../lib/auth/identity-header';

const KEY = 'k'.repeat(40);
const identity: ForwardedIdentity = {
  clientId: 'cli_0123456789abcdef0123',
  role: 'APPROVAL_SYSTEM',
  scopes: ['public', 'records', 'checks', 'feedback'],
  purpose: '许可申请 2026-0042',
  requestId: 'req-1',
};
const T0 = Date.UTC(2026, 0, 10, 8, 0, 0);

describe('signed identity header', () => {
  it('is named x-credit-graph-identity', () => {
    expect(IDENTITY_HEADER).toBe('x-credit-graph-identity');
  });

  it('round-trips an identity signed with the same key', () => {
    expect(verifyIdentity(signIdentity(identity, KEY, T0), KEY, T0 + 1000)).toEqual({ valid: true, identity });
  });

  it('refuses a missing header', () => {
    expect(verifyIdentity(undefined, KEY)).toEqual({ valid: false, reason: 'MISSING' });
    expect(verifyIdentity('', KEY)).toEqual({ valid: false, reason: 'MISSING' });
  });

  it('refuses a tampered payload, even one re-encoded to look valid', () => {
    const token = signIdentity(identity, KEY, T0);
    const [body, signature] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...payload, role: 'CREDIT_OFFICE' })).toString('base64url');
    expect(verifyIdentity(`${forged}.${signature}`, KEY, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
    // One character of the body flipped.
    const flipped = (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
    expect(verifyIdentity(`${flipped}.${signature}`, KEY, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses a signature made with another key, and a truncated or altered signature', () => {
    const other = signIdentity(identity, 'x'.repeat(40), T0);
    expect(verifyIdentity(other, KEY, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
    const token = signIdentity(identity, KEY, T0);
    expect(verifyIdentity(token.slice(0, -1), KEY, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(verifyIdentity(`${token}A`, KEY, T0)).toEqual({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('accepts a token within 60 seconds either way and refuses it after (or too far ahead)', () => {
    const token = signIdentity(identity, KEY, T0);
    expect(verifyIdentity(token, KEY, T0 + 60_000).valid).toBe(true);
    expect(verifyIdentity(token, KEY, T0 + 61_000)).toEqual({ valid: false, reason: 'EXPIRED' });
    expect(verifyIdentity(token, KEY, T0 - 60_000).valid).toBe(true);
    expect(verifyIdentity(token, KEY, T0 - 61_000)).toEqual({ valid: false, reason: 'EXPIRED' });
  });

  it('refuses malformed tokens', () => {
    expect(verifyIdentity('no-dot-at-all', KEY)).toEqual({ valid: false, reason: 'MALFORMED' });
    expect(verifyIdentity('a.b.c', KEY)).toEqual({ valid: false, reason: 'MALFORMED' });
    expect(verifyIdentity('.sig', KEY)).toEqual({ valid: false, reason: 'MALFORMED' });
    expect(verifyIdentity('body.', KEY)).toEqual({ valid: false, reason: 'MALFORMED' });
  });

  it('refuses a correctly signed body that is not an identity', () => {
    const crypto = require('node:crypto') as typeof import('node:crypto');
    const sign = (body: string) => `${body}.${crypto.createHmac('sha256', KEY).update(body).digest('base64url')}`;
    const notJson = Buffer.from('not json').toString('base64url');
    expect(verifyIdentity(sign(notJson), KEY)).toEqual({ valid: false, reason: 'MALFORMED' });
    const noIat = Buffer.from(JSON.stringify({ ...identity })).toString('base64url');
    expect(verifyIdentity(sign(noIat), KEY)).toEqual({ valid: false, reason: 'MALFORMED' });
    const noScopes = Buffer.from(JSON.stringify({ role: 'PUBLIC', iat: Math.floor(Date.now() / 1000) })).toString('base64url');
    expect(verifyIdentity(sign(noScopes), KEY)).toEqual({ valid: false, reason: 'MALFORMED' });
    const nullBody = Buffer.from('null').toString('base64url');
    expect(verifyIdentity(sign(nullBody), KEY)).toEqual({ valid: false, reason: 'MALFORMED' });
  });
});
