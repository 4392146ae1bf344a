/**
 * resolveCaller: which credential speaks for a request, and that nothing
 * sent and wrong ever becomes PUBLIC. API keys are checked against the real
 * credit office store (embedded database), tokens are real jose tokens.
 */
import { SignJWT } from 'jose';
import type { Database } from '../../lib/db';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { openSubgraphDatabase } from '../../lib/subgraph';
import { creditSubgraph } from '../../subgraphs/credit';
import { authenticateApiKey, createClient, revokeClient } from '../../subgraphs/credit/clients';
import {
  cachedApiKeyVerifier,
  isRefusal,
  PUBLIC_IDENTITY,
  resolveCaller,
  type ApiKeyVerifier,
  type CredentialDependencies,
} from '../../lib/auth/credentials';
import { createJwtVerifier } from '../../lib/auth/jwt';
import { ROLE_SCOPES } from '../../lib/auth/roles';

const SECRET = 'demo-jwt-secret-0123456789abcdef0123456789';
const bearer = (claims: Record<string, unknown>, exp: string | number = '5m') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(SECRET));

let database: TestDatabase;
let db: Database;
let lookups = 0;
let deps: CredentialDependencies & { verifyApiKey: ApiKeyVerifier };
let approvalKey: string;
let approvalId: string;

beforeAll(async () => {
  database = await createTestDatabase('credentials');
  db = await openSubgraphDatabase(creditSubgraph, { databaseUrl: database.url });
  const made = await createClient(db, { name: '市场监管局审批系统', role: 'APPROVAL_SYSTEM' });
  approvalKey = made.apiKey;
  approvalId = made.client.id;
  deps = {
    verifyApiKey: async (key) => {
      lookups += 1;
      return authenticateApiKey(db, key);
    },
    verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: SECRET } }),
  };
});
afterAll(async () => {
  await db?.close();
  await database.drop();
});

describe('resolveCaller', () => {
  it('no credential at all is PUBLIC, with only the public scope', async () => {
    expect(await resolveCaller({}, deps)).toEqual(PUBLIC_IDENTITY);
    expect(await resolveCaller({ 'content-type': 'application/json', 'x-purpose': 'x' }, deps)).toEqual({
      clientId: null,
      name: null,
      role: 'PUBLIC',
      scopes: ['public'],
      via: 'none',
      department: null,
    });
  });

  it('an API key resolves to its client and the role\'s scopes', async () => {
    expect(await resolveCaller({ 'x-api-key': approvalKey }, deps)).toEqual({
      clientId: approvalId,
      name: '市场监管局审批系统',
      role: 'APPROVAL_SYSTEM',
      scopes: ROLE_SCOPES.APPROVAL_SYSTEM,
      via: 'api-key',
      department: null,
    });
    // Header names are case-insensitive.
    expect(await resolveCaller({ 'X-Api-Key': approvalKey }, deps)).toMatchObject({ role: 'APPROVAL_SYSTEM' });
  });

  it('a bearer token resolves through the JWT verifier', async () => {
    const jwt = await bearer({ sub: 'cli_jwt_1', role: 'CREDIT_OFFICE' });
    expect(await resolveCaller({ authorization: `Bearer ${jwt}` }, deps)).toEqual({
      clientId: 'cli_jwt_1',
      name: 'cli_jwt_1',
      role: 'CREDIT_OFFICE',
      scopes: ROLE_SCOPES.CREDIT_OFFICE,
      via: 'jwt',
      department: null,
    });
    expect(await resolveCaller({ authorization: `bearer ${jwt}` }, deps)).toMatchObject({ role: 'CREDIT_OFFICE' });
  });

  it('both credentials at once are refused as ambiguous, even when both are valid', async () => {
    const jwt = await bearer({ sub: 'cli_jwt_1', role: 'CREDIT_OFFICE' });
    expect(await resolveCaller({ authorization: `Bearer ${jwt}`, 'x-api-key': approvalKey }, deps)).toEqual({ refused: 'AMBIGUOUS_CREDENTIALS', via: 'jwt' });
  });

  it('never turns a credential that was sent into PUBLIC', async () => {
    const revoked = await createClient(db, { name: 'revoked', role: 'DEPARTMENT', department: 'TAX' });
    await revokeClient(db, revoked.client.id);
    const cases: [Record<string, string | string[]>, string][] = [
      [{ 'x-api-key': '' }, 'MALFORMED'],
      [{ 'x-api-key': '   ' }, 'MALFORMED'],
      [{ 'x-api-key': 'cgk_nope' }, 'UNKNOWN'],
      [{ 'x-api-key': revoked.apiKey }, 'REVOKED'],
      [{ 'x-api-key': [approvalKey, approvalKey] }, 'UNKNOWN'],
      [{ authorization: '' }, 'UNSUPPORTED_SCHEME'],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 'UNSUPPORTED_SCHEME'],
      [{ authorization: approvalKey }, 'UNSUPPORTED_SCHEME'],
      [{ authorization: 'Bearer' }, 'MALFORMED'],
      [{ authorization: 'Bearer   ' }, 'MALFORMED'],
      [{ authorization: 'Bearer a b' }, 'MALFORMED'],
      [{ authorization: 'Bearer not.a.jwt' }, 'MALFORMED'],
    ];
    for (const [headers, reason] of cases) {
      const result = await resolveCaller(headers, deps);
      expect({ headers, result }).toEqual({ headers, result: { refused: reason, via: expect.any(String) } });
      expect(isRefusal(result)).toBe(true);
    }
    const expired = await bearer({ sub: 'x', role: 'DEVELOPER' }, Math.floor(Date.now() / 1000) - 3600);
    expect(await resolveCaller({ authorization: `Bearer ${expired}` }, deps)).toEqual({ refused: 'EXPIRED', via: 'jwt' });
    const asPublic = await bearer({ sub: 'x', role: 'PUBLIC' });
    expect(await resolveCaller({ authorization: `Bearer ${asPublic}` }, deps)).toEqual({ refused: 'UNKNOWN_ROLE', via: 'jwt' });
  });

  it('refuses a bearer token where no JWT key is configured, and a lookup that fails', async () => {
    const jwt = await bearer({ sub: 'x', role: 'DEVELOPER' });
    expect(await resolveCaller({ authorization: `Bearer ${jwt}` }, { verifyApiKey: deps.verifyApiKey })).toEqual({ refused: 'JWT_NOT_ACCEPTED', via: 'jwt' });
    const failing: ApiKeyVerifier = async () => {
      throw new Error('connection refused');
    };
    expect(await resolveCaller({ 'x-api-key': approvalKey }, { verifyApiKey: failing })).toEqual({ refused: 'CREDENTIAL_SERVICE_UNAVAILABLE', via: 'api-key' });
  });
});

describe('cachedApiKeyVerifier', () => {
  it('answers repeated lookups of a valid key from memory for 5 s, so a revocation takes effect within that time', async () => {
    let clock = Date.now();
    const verify = cachedApiKeyVerifier(deps.verifyApiKey, { now: () => clock });
    const { client, apiKey } = await createClient(db, { name: 'bidding platform', role: 'TRADING_PLATFORM' });
    lookups = 0;
    for (let i = 0; i < 5; i++) expect(await verify(apiKey)).toMatchObject({ clientId: client.id });
    expect(lookups).toBe(1);
    expect(verify.knows(apiKey)).toBe(true);

    await revokeClient(db, client.id);
    clock += 4_000;
    expect(await verify(apiKey)).toMatchObject({ clientId: client.id }); // still cached: the documented window
    clock += 1_001;
    // Known as a client's key until the credit office says otherwise: asked again, now refused.
    expect(verify.knows(apiKey)).toBe(true);
    expect(await verify(apiKey)).toEqual({ refused: 'REVOKED' });
    expect(verify.knows(apiKey)).toBe(false);
    expect(lookups).toBe(2);
  });

  it('forgets a client at once when its revocation is announced, also a lookup in flight at that moment', async () => {
    const verify = cachedApiKeyVerifier(deps.verifyApiKey);
    const { client, apiKey } = await createClient(db, { name: 'bank', role: 'FINANCIAL_INSTITUTION' });
    const other = await createClient(db, { name: 'other bank', role: 'FINANCIAL_INSTITUTION' });
    await verify(apiKey);
    await verify(other.apiKey);
    lookups = 0;
    verify.forgetClient(client.id);
    expect(verify.knows(apiKey)).toBe(false);
    expect(verify.knows(other.apiKey)).toBe(true);
    await revokeClient(db, client.id);
    expect(await verify(apiKey)).toEqual({ refused: 'REVOKED' });
    // A lookup that started before the announcement is answered, but not kept.
    const third = await createClient(db, { name: 'third bank', role: 'FINANCIAL_INSTITUTION' });
    const inFlight = verify(third.apiKey);
    verify.forgetClient('somebody');
    expect(await inFlight).toMatchObject({ clientId: third.client.id });
    expect(verify.knows(third.apiKey)).toBe(false);
  });

  it('does not cache refusals, so a key created a moment after a failed try works at once', async () => {
    const verify = cachedApiKeyVerifier(deps.verifyApiKey);
    lookups = 0;
    const never = `cgk_${'Z'.repeat(43)}`;
    expect(await verify(never)).toEqual({ refused: 'UNKNOWN' });
    expect(await verify(never)).toEqual({ refused: 'UNKNOWN' });
    expect(lookups).toBe(2);
  });

  it('never serves a key past its own expiry', async () => {
    let clock = Date.now();
    let asked = 0;
    const store: ApiKeyVerifier = async (key) => {
      asked += 1;
      return authenticateApiKey(db, key, new Date(clock));
    };
    const verify = cachedApiKeyVerifier(store, { now: () => clock });
    const expiresAt = new Date(clock + 3_000);
    const { apiKey } = await createClient(db, { name: 'expiring', role: 'DEVELOPER', expiresAt });
    expect(await verify(apiKey)).toMatchObject({ role: 'DEVELOPER', expiresAt: expiresAt.toISOString() });
    clock = expiresAt.getTime() - 1_000;
    expect(await verify(apiKey)).toMatchObject({ role: 'DEVELOPER' });
    clock = expiresAt.getTime(); // within the cache's TTL, but at the key's expiry
    expect(await verify(apiKey)).toEqual({ refused: 'EXPIRED' });
    expect(asked).toBe(2);
  });

  it('shares one lookup between concurrent requests with the same key, and stays bounded', async () => {
    const verify = cachedApiKeyVerifier(deps.verifyApiKey, { maxEntries: 3 });
    lookups = 0;
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(approvalKey)));
    expect(lookups).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    const keys = await Promise.all(Array.from({ length: 5 }, (_, i) => createClient(db, { name: `c${i}`, role: 'DEVELOPER' })));
    for (const k of keys) await verify(k.apiKey);
    expect(verify.size()).toBe(3);
  });
});
