/** plugins/purpose.ts: non-public roles must say why they ask; the purpose is kept, trimmed and bounded. */
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { purposePlugin } from '../../../gateway/plugins/purpose';
import { bearer, JWT_SECRET, send } from './harness';

describe('purpose plugin', () => {
  const plugins = [credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) }), purposePlugin()];
  const query = { query: '{ __typename }' };

  it('refuses a non-public role without X-Purpose with PURPOSE_REQUIRED', async () => {
    const authorization = (await bearer('TRADING_PLATFORM')).authorization!;
    for (const purpose of [undefined, '', '   ']) {
      const { status, body, request } = await send(plugins, query, { authorization, ...(purpose !== undefined ? { 'x-purpose': purpose } : {}) });
      expect(status).toBe(400);
      expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'PURPOSE_REQUIRED' });
      expect(request.outcome).toBe('BAD_USER_INPUT');
    }
  });

  it('keeps the purpose trimmed and at most 500 characters; PUBLIC needs none', async () => {
    const authorization = (await bearer('TRADING_PLATFORM')).authorization!;
    const { status, request } = await send(plugins, query, { authorization, 'x-purpose': `  tender 2026-17 ${'x'.repeat(600)}` });
    expect(status).toBe(200);
    expect(request.purpose!.startsWith('tender 2026-17')).toBe(true);
    expect(request.purpose).toHaveLength(500);
    expect((await send(plugins, query)).status).toBe(200);
  });
});
