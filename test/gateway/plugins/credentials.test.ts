/**
 * plugins/credentials.ts: PUBLIC without a credential, the JWT's role with
 * one, UNAUTHENTICATED for a bad one, API keys refused without a register;
 * against the real credit office (in-process, on PostgreSQL): failed
 * attempts limited per address and per key before any lookup, 503 when the
 * register cannot be asked.
 */
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { cachedApiKeyVerifier, remoteApiKeyVerifier, type ApiKeyVerifier } from '../../../lib/auth/credentials';
import { authFailureGuard } from '../../../lib/auth/auth-failures';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { creditSubgraph } from '../../../subgraphs/credit';
import { createClient } from '../../../subgraphs/credit/clients';
import { startSubgraph, type SubgraphUnderTest } from '../../helpers/subgraph';
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

describe('credentials plugin with the credit office\'s register', () => {
  const SIGNING_KEY = crypto.randomBytes(32).toString('base64url');
  let office: SubgraphUnderTest;
  let creditUrl: string;
  let valid: string;
  const lookups = { count: 0 };

  beforeAll(async () => {
    process.env.IDENTITY_SIGNING_KEY = SIGNING_KEY;
    office = await startSubgraph(creditSubgraph, { identityKey: SIGNING_KEY });
    await office.app.listen({ host: '127.0.0.1', port: 0 });
    creditUrl = `http://127.0.0.1:${(office.app.server.address() as AddressInfo).port}/graphql`;
    valid = (await createClient(office.db, { name: 'bidding platform', role: 'TRADING_PLATFORM' })).apiKey;
  }, 60_000);
  afterAll(() => office?.close());

  /** The real lookup, counted. */
  const counted = (verify: ApiKeyVerifier): ApiKeyVerifier => (key) => {
    lookups.count += 1;
    return verify(key);
  };
  const pluginsWith = (budgets = { perAddress: 5, perCredential: 3 }) => {
    const verifier = cachedApiKeyVerifier(counted(remoteApiKeyVerifier({ creditUrl, signingKey: SIGNING_KEY })));
    return [credentialsPlugin({ verifyApiKey: verifier, knowsApiKey: verifier.knows }, authFailureGuard(budgets))];
  };
  const query = { query: '{ __typename }' };
  const bogus = () => `cgk_${crypto.randomBytes(32).toString('base64url')}`;

  it('asks the credit office about at most the address\'s budget of bogus keys, however many arrive at once', async () => {
    const plugins = pluginsWith();
    const before = lookups.count;
    const answers = await Promise.all(Array.from({ length: 300 }, () => send(plugins, { ...query }, { 'x-api-key': bogus(), 'x-purpose': 'p' }, { ip: '198.51.100.7' })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(295);
    expect(lookups.count - before).toBe(5);
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', reason: 'AUTH_FAILURES' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.request.outcome).toBe('RATE_LIMITED');
    // Another address is not held back by this one.
    expect((await send(plugins, query, { 'x-api-key': bogus() }, { ip: '198.51.100.8' })).status).toBe(401);
  });

  it('still lets a key through that the gateway already knows to be valid, and gives back the attempt of a valid one', async () => {
    const plugins = pluginsWith();
    expect((await send(plugins, query, { 'x-api-key': valid, 'x-purpose': 'p' }, { ip: '198.51.100.20' })).status).toBe(200);
    for (let i = 0; i < 10; i++) await send(plugins, query, { 'x-api-key': bogus() }, { ip: '198.51.100.20' });
    const known = await send(plugins, query, { 'x-api-key': valid, 'x-purpose': 'p' }, { ip: '198.51.100.20' });
    expect(known.status).toBe(200);
    expect(known.request.caller.role).toBe('TRADING_PLATFORM');
    // Valid attempts cost nothing: an address with only valid ones is never held back.
    const fresh = pluginsWith({ perAddress: 2, perCredential: 2 });
    for (let i = 0; i < 6; i++) expect((await send(fresh, query, { 'x-api-key': valid, 'x-purpose': 'p' }, { ip: `198.51.100.${30 + i}` })).status).toBe(200);
  });

  it('limits one presented key from any address', async () => {
    const plugins = pluginsWith({ perAddress: 100, perCredential: 3 });
    const key = bogus();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send(plugins, query, { 'x-api-key': key }, { ip: `203.0.113.${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it('counts refused bearer tokens and other Authorization schemes into the same budgets: a flood of them ends in 429, a valid token still passes', async () => {
    const verifier = cachedApiKeyVerifier(counted(remoteApiKeyVerifier({ creditUrl, signingKey: SIGNING_KEY })));
    const plugins = [credentialsPlugin({ verifyApiKey: verifier, knowsApiKey: verifier.knows, verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) }, authFailureGuard({ perAddress: 5, perCredential: 3 }))];
    const ip = { ip: '198.51.100.60' };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(plugins, query, { authorization: `Bearer x.y.z${i}` }, ip)).status);
    statuses.push((await send(plugins, query, { authorization: 'Basic dXNlcjpwYXNz' }, ip)).status);
    // The address has one failed attempt left, whatever the credential: a bogus API key spends it.
    statuses.push((await send(plugins, query, { 'x-api-key': bogus() }, ip)).status);
    const limited = await send(plugins, query, { authorization: 'Bearer x.y.z9' }, ip);
    statuses.push(limited.status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(limited.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', reason: 'AUTH_FAILURES' });
    // A valid bearer token is judged without any lookup and is never held back by the address's failures.
    const valid = await send(plugins, query, await bearer('APPROVAL_SYSTEM'), ip);
    expect(valid.status).toBe(200);
    expect(valid.request.caller.role).toBe('APPROVAL_SYSTEM');
  });

  it('lets a valid key in as soon as the register answers again, however many attempts came during an outage (503s are no failed authentications)', async () => {
    let down = true;
    const verifier = remoteApiKeyVerifier({ creditUrl, signingKey: SIGNING_KEY });
    const flaky: ApiKeyVerifier = (key) => (down ? Promise.reject(new Error('credit office unreachable')) : verifier(key));
    const plugins = [credentialsPlugin({ verifyApiKey: flaky }, authFailureGuard({ perAddress: 20, perCredential: 5 }))];
    const ip = { ip: '192.0.2.120' };
    const during = await Promise.all(Array.from({ length: 25 }, () => send(plugins, query, { 'x-api-key': valid, 'x-purpose': 'p' }, ip)));
    expect(during.map((a) => a.status).every((s) => s === 503 || s === 429)).toBe(true);
    down = false;
    const after = await send(plugins, query, { 'x-api-key': valid, 'x-purpose': 'p' }, ip);
    expect(after.status).toBe(200);
    expect(after.request.caller.role).toBe('TRADING_PLATFORM');
  });

  it('answers 503, not 401, when the register cannot be asked, and counts no failed attempt', async () => {
    const unreachable = remoteApiKeyVerifier({ creditUrl: 'http://127.0.0.1:9/graphql', signingKey: SIGNING_KEY, timeoutMs: 500 });
    const plugins = [credentialsPlugin({ verifyApiKey: unreachable }, authFailureGuard({ perAddress: 1, perCredential: 1 }))];
    for (let i = 0; i < 3; i++) {
      const { status, body, headers, request } = await send(plugins, query, { 'x-api-key': valid, 'x-purpose': 'p' }, { ip: '192.0.2.99' });
      expect(status).toBe(503);
      expect(body.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', reason: 'CREDENTIAL_SERVICE_UNAVAILABLE' });
      expect(headers['retry-after']).toBe('5');
      expect(request.outcome).toBe('SERVICE_UNAVAILABLE');
    }
  });
});
