/** plugins/purpose.ts: non-public roles must say why they ask; the purpose is read as UTF-8 (or RFC 8187), kept trimmed and bounded. */
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

  it('keeps the purpose trimmed, refuses one over 500 characters (never cut silently) or with a bidirectional override; PUBLIC needs none', async () => {
    const authorization = (await bearer('TRADING_PLATFORM')).authorization!;
    const kept = await send(plugins, query, { authorization, 'x-purpose': `  tender 2026-17 ${'x'.repeat(400)}  ` });
    expect(kept.status).toBe(200);
    expect(kept.request.purpose).toBe(`tender 2026-17 ${'x'.repeat(400)}`);
    const long = await send(plugins, query, { authorization, 'x-purpose': `tender 2026-17 ${'x'.repeat(600)}` });
    expect(long.status).toBe(400);
    expect(long.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_PURPOSE' });
    expect(long.body.errors[0].message).toMatch(/615 characters long; at most 500/);
    const disguised = await send(plugins, query, { authorization, 'x-purpose*': `UTF-8''${encodeURIComponent('tender \u202e71-6202')}` });
    expect(disguised.status).toBe(400);
    // A tab is a control character too (README says so): refused, not stored.
    expect((await send(plugins, query, { authorization, 'x-purpose': 'tender\t2026-17' })).status).toBe(400);
    expect((await send(plugins, query)).status).toBe(200);
  });

  it('reads the purpose as UTF-8, also in its RFC 8187 forms, and refuses what is not text', async () => {
    const authorization = (await bearer('APPROVAL_SYSTEM')).authorization!;
    // Node hands a header over one character per byte: this is how UTF-8 bytes of 许可 arrive.
    const asSent = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
    const purposeOf = async (headers: Record<string, string>) => (await send(plugins, query, { authorization, ...headers })).request.purpose;
    expect(await purposeOf({ 'x-purpose': asSent('许可 2026-0042') })).toBe('许可 2026-0042');
    expect(await purposeOf({ 'x-purpose*': `UTF-8''${encodeURIComponent('许可 2026-0042')}` })).toBe('许可 2026-0042');
    expect(await purposeOf({ 'x-purpose': `utf-8''${encodeURIComponent('招标 2026-017')}` })).toBe('招标 2026-017');
    // The extended form wins over a plain one sent beside it.
    expect(await purposeOf({ 'x-purpose': 'licence', 'x-purpose*': `UTF-8'zh'${encodeURIComponent('许可')}` })).toBe('许可');
    expect(await purposeOf({ 'x-purpose': 'licence 2026-0042' })).toBe('licence 2026-0042');
    for (const headers of <Record<string, string>[]>[
      { 'x-purpose': '\xe8\xae licence' }, // bytes that are not UTF-8
      { 'x-purpose*': "ISO-8859-1''caf%E9" },
      { 'x-purpose*': "UTF-8''%E8%AE" }, // half a character
      { 'x-purpose*': "UTF-8''%ZZ" },
      { 'x-purpose*': "UTF-8''a%00b" }, // a control character
      { 'x-purpose*': 'no quotes at all' },
    ]) {
      const { status, body } = await send(plugins, query, { authorization, ...headers });
      expect({ headers, status, extensions: body.errors?.[0]?.extensions }).toEqual({ headers, status: 400, extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_PURPOSE' } });
    }
  });
});
