/** plugins/credentials.ts: PUBLIC without a credential, the JWT's role with one, UNAUTHENTICATED for a bad one, API keys refused without a register. */
import { SignJWT } from 'jose';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { bearer, executions, JWT_SECRET, send } from './harness';

describe('credentials plugin', () => {
  const verifyJwt = createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } });
  const plugins = [credentialsPlugin({ verifyJwt })];
  const query = { query: '{ __typename }' };

  it('treats a request without credentials as PUBLIC with the public scope only', async () => {
    const { status, request } = await send(plugins, query);
    expect(status).toBe(200);
    expect(request.caller.role).toBe('PUBLIC');
    expect([...request.scopes]).toEqual(['public']);
  });

  it('gives a valid bearer token its role and scopes', async () => {
    const { request } = await send(plugins, query, await bearer('APPROVAL_SYSTEM', 'licensing-7'));
    expect(request.caller).toEqual(expect.objectContaining({ role: 'APPROVAL_SYSTEM', clientId: 'licensing-7', via: 'jwt' }));
    expect([...request.scopes].sort()).toEqual(['checks', 'feedback', 'public', 'records']);
  });

  it('refuses a forged, expired or malformed credential with UNAUTHENTICATED and runs nothing, never PUBLIC', async () => {
    const forged = await new SignJWT({ role: 'CREDIT_OFFICE' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('5m').sign(Buffer.from('a-different-secret-a-different-xx'));
    const expired = await new SignJWT({ role: 'CREDIT_OFFICE' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime(Math.floor(Date.now() / 1000) - 600).sign(Buffer.from(JWT_SECRET));
    const before = executions.count;
    for (const authorization of [`Bearer ${forged}`, `Bearer ${expired}`, 'Bearer', 'Basic dXNlcjpwYXNz']) {
      const { status, body, request } = await send(plugins, query, { authorization });
      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.data).toBeUndefined();
      expect(request.outcome).toBe('UNAUTHENTICATED');
    }
    expect(executions.count).toBe(before);
  });

  it('refuses an API key when the gateway has no register of API clients (no credit subgraph), saying so', async () => {
    const { status, body } = await send(plugins, query, { 'x-api-key': 'cgk_anything' });
    expect(status).toBe(401);
    expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'API_KEYS_UNAVAILABLE' });
    expect(body.errors[0].message).toMatch(/API keys are unavailable/);
  });
});
