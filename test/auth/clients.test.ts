/**
 * The credit office's client register (subgraphs/credit/clients.ts), and its internal API-key endpoint over real HTTP, called the way
 * the gateway calls it (lib/auth/credentials.ts remoteApiKeyVerifier).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildSubgraph, openSubgraphDatabase } from '../../lib/subgraph';
import { createTestDatabase } from '../helpers/postgres';
import { createLogger } from '../../lib/logger';
import { identitySigningKey } from '../../lib/config';
import { creditSubgraph } from '../../subgraphs/credit';
import {
  authenticateApiKey,
  ClientRegistryError,
  createClient,
  hashApiKey,
  listClients,
  revokeClient,
} from '../../subgraphs/credit/clients';
import { API_KEY_LOOKUP_PATH } from '../../subgraphs/credit/internal';
import { IDENTITY_HEADER, signIdentity } from '../../lib/auth/identity-header';
import { remoteApiKeyVerifier, resolveCaller } from '../../lib/auth/credentials';
import { ROLE_SCOPES } from '../../lib/auth/roles';
import { startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const SIGNING_KEY = 'test-identity-signing-key-0123456789abcdef';
const DAY = 86_400_000;

describe('client register', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraph(creditSubgraph);
  });
  afterAll(async () => {
    await subgraph?.close();
  });

  it('registers a DEPARTMENT client for exactly one department, and no other role for any', async () => {
    const { client, apiKey } = await createClient(subgraph.db, { name: '市法院', role: 'DEPARTMENT', department: 'COURTS' });
    expect(client.department).toBe('COURTS');
    expect(await authenticateApiKey(subgraph.db, apiKey)).toEqual(expect.objectContaining({ role: 'DEPARTMENT', department: 'COURTS' }));
    for (const department of [undefined, null, 'CREDIT_OFFICE', 'courts']) {
      await expect(createClient(subgraph.db, { name: 'x', role: 'DEPARTMENT', department })).rejects.toThrow(/registered for one department/);
    }
    await expect(createClient(subgraph.db, { name: 'x', role: 'APPROVAL_SYSTEM', department: 'TAX' })).rejects.toThrow(/only a DEPARTMENT client/);
    // The register itself refuses a department client without one (a row written around createClient).
    await expect(subgraph.db.query(`INSERT INTO api_client (id, name, role, key_prefix, key_hash) VALUES ('cli_00000000000000000001', 'x', 'DEPARTMENT', 'cgk_abcd', repeat('a', 64))`)).rejects.toThrow(/api_client_department/);
  });

  it('creates a client with a cgk_ key of 32 random bytes, keeping only its SHA-256', async () => {
    const { client, apiKey } = await createClient(subgraph.db, { name: '  市政务服务审批系统 ', role: 'APPROVAL_SYSTEM' });
    expect(apiKey).toMatch(/^cgk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(apiKey.slice(4), 'base64url')).toHaveLength(32);
    expect(client).toEqual({
      id: expect.stringMatching(/^cli_[0-9a-f]{20}$/),
      name: '市政务服务审批系统',
      role: 'APPROVAL_SYSTEM',
      department: null,
      keyPrefix: apiKey.slice(0, 8),
      createdAt: expect.any(String),
      expiresAt: null,
      revokedAt: null,
    });
    const [row] = await subgraph.db.query<Record<string, unknown>>('SELECT * FROM api_client WHERE id = $1', [client.id]);
    expect(row!.key_hash).toBe(hashApiKey(apiKey));
    expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    // The key itself is nowhere in the row.
    expect(JSON.stringify(row)).not.toContain(apiKey.slice(8));
    expect(await authenticateApiKey(subgraph.db, apiKey)).toEqual({
      clientId: client.id,
      name: '市政务服务审批系统',
      role: 'APPROVAL_SYSTEM',
      expiresAt: null,
      department: null,
    });
  });

  it('gives every client its own key and id', async () => {
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) => createClient(subgraph.db, { name: `bank ${i}`, role: 'FINANCIAL_INSTITUTION' })));
    expect(new Set(made.map((m) => m.apiKey)).size).toBe(20);
    expect(new Set(made.map((m) => m.client.id)).size).toBe(20);
  });

  it('refuses an unknown role, PUBLIC, a blank name and an expiry in the past, writing nothing', async () => {
    const before = (await listClients(subgraph.db)).length;
    for (const role of ['ADMIN', 'PUBLIC', 'GATEWAY', 'approval_system', '']) {
      await expect(createClient(subgraph.db, { name: 'x', role })).rejects.toMatchObject({ reason: 'BAD_ROLE' });
    }
    await expect(createClient(subgraph.db, { name: '   ', role: 'DEVELOPER' })).rejects.toMatchObject({ reason: 'BAD_NAME' });
    await expect(createClient(subgraph.db, { name: 'x'.repeat(201), role: 'DEVELOPER' })).rejects.toMatchObject({ reason: 'BAD_NAME' });
    await expect(createClient(subgraph.db, { name: 'x', role: 'DEVELOPER', expiresAt: new Date(Date.now() - 1000) })).rejects.toBeInstanceOf(ClientRegistryError);
    expect((await listClients(subgraph.db)).length).toBe(before);
  });

  it('the database itself refuses a role outside the credential roles', async () => {
    await expect(
      subgraph.db.query(`INSERT INTO api_client (id, name, role, key_prefix, key_hash) VALUES ('cli_00000000000000000000', 'x', 'PUBLIC', 'cgk_abcd', $1)`, ['0'.repeat(64)]),
    ).rejects.toThrow();
  });

  it('refuses an expired key as EXPIRED, and at the exact expiry instant', async () => {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + DAY);
    const { client, apiKey } = await createClient(subgraph.db, { name: 'short-lived', role: 'TRADING_PLATFORM', expiresAt }, now);
    expect(client.expiresAt).toBe(expiresAt.toISOString());
    expect(await authenticateApiKey(subgraph.db, apiKey, new Date(expiresAt.getTime() - 1))).toMatchObject({ clientId: client.id, expiresAt: expiresAt.toISOString() });
    expect(await authenticateApiKey(subgraph.db, apiKey, expiresAt)).toEqual({ refused: 'EXPIRED' });
    expect(await authenticateApiKey(subgraph.db, apiKey, new Date(expiresAt.getTime() + DAY))).toEqual({ refused: 'EXPIRED' });
  });

  it('revokes idempotently (the first revocation time stays), refuses an unknown id, and a revoked key is REVOKED', async () => {
    const { client, apiKey } = await createClient(subgraph.db, { name: 'to revoke', role: 'DEPARTMENT', department: 'COURTS', expiresAt: new Date(Date.now() + DAY) });
    const first = await revokeClient(subgraph.db, client.id);
    expect(first.revokedAt).not.toBeNull();
    const second = await revokeClient(subgraph.db, client.id);
    expect(second.revokedAt).toBe(first.revokedAt);
    expect(await authenticateApiKey(subgraph.db, apiKey)).toEqual({ refused: 'REVOKED' });
    // Revoked wins over expired: it is the deliberate act.
    expect(await authenticateApiKey(subgraph.db, apiKey, new Date(Date.now() + 2 * DAY))).toEqual({ refused: 'REVOKED' });
    await expect(revokeClient(subgraph.db, 'cli_ffffffffffffffffffff')).rejects.toMatchObject({ reason: 'NOT_FOUND' });
  });

  it('answers UNKNOWN for a key never issued, and for anything not shaped like a key without asking the database', async () => {
    const never = `cgk_${Buffer.alloc(32, 7).toString('base64url')}`;
    expect(await authenticateApiKey(subgraph.db, never)).toEqual({ refused: 'UNKNOWN' });
    const { apiKey } = await createClient(subgraph.db, { name: 'shape', role: 'DEVELOPER' });
    for (const bad of ['', 'cgk_', apiKey.slice(0, -1), `${apiKey}x`, ` ${apiKey}`, apiKey.toUpperCase(), "cgk_' OR '1'='1", hashApiKey(apiKey)]) {
      expect(await authenticateApiKey(subgraph.db, bad)).toEqual({ refused: 'UNKNOWN' });
    }
  });

  it('lists every client oldest first, with its display prefix and nothing else of the key', async () => {
    const clients = await listClients(subgraph.db);
    expect(clients.length).toBeGreaterThan(20);
    const times = clients.map((c) => Date.parse(c.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const c of clients) {
      expect(Object.keys(c).sort()).toEqual(['createdAt', 'department', 'expiresAt', 'id', 'keyPrefix', 'name', 'revokedAt', 'role']);
      expect(c.keyPrefix).toMatch(/^cgk_.{4}$/);
    }
  });
});

/** A credit subgraph listening on a real port with the given IDENTITY_SIGNING_KEY (or none). */
async function listeningCredit(signingKey: string | undefined) {
  const saved = process.env.IDENTITY_SIGNING_KEY;
  if (signingKey === undefined) delete process.env.IDENTITY_SIGNING_KEY;
  else process.env.IDENTITY_SIGNING_KEY = signingKey;
  try {
    const subgraph = await startSubgraph(creditSubgraph);
    await subgraph.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = subgraph.app.server.address() as AddressInfo;
    return { subgraph, base: `http://127.0.0.1:${port}` };
  } finally {
    if (saved === undefined) delete process.env.IDENTITY_SIGNING_KEY;
    else process.env.IDENTITY_SIGNING_KEY = saved;
  }
}

/** The gateway's identity for one API-key lookup: the credit subgraph, that endpoint, that body. */
const gatewayIdentity = (body: string, overrides: Partial<{ role: string; key: string; at: number; target: string }> = {}) =>
  signIdentity(
    { clientId: null, role: overrides.role ?? 'GATEWAY', scopes: [], purpose: null, requestId: 'test' },
    overrides.key ?? SIGNING_KEY,
    { audience: 'credit', method: 'POST', target: overrides.target ?? API_KEY_LOOKUP_PATH, body },
    overrides.at ?? Date.now(),
  );

describe('the internal API-key endpoint over HTTP', () => {
  let subgraph: SubgraphUnderTest;
  let base: string;
  let valid: { apiKey: string; id: string };
  let revoked: string;
  let expired: string;

  beforeAll(async () => {
    ({ subgraph, base } = await listeningCredit(SIGNING_KEY));
    const made = await createClient(subgraph.db, { name: '公共资源交易平台', role: 'TRADING_PLATFORM' });
    valid = { apiKey: made.apiKey, id: made.client.id };
    const r = await createClient(subgraph.db, { name: 'revoked bank', role: 'FINANCIAL_INSTITUTION' });
    await revokeClient(subgraph.db, r.client.id);
    revoked = r.apiKey;
    const createdLongAgo = new Date(Date.now() - 10 * DAY);
    const e = await createClient(subgraph.db, { name: 'expired', role: 'DEVELOPER', expiresAt: new Date(Date.now() - DAY) }, createdLongAgo);
    expired = e.apiKey;
  });
  afterAll(async () => {
    await subgraph?.close();
  });

  /** POSTs `body` with the headers made for its text (by default the gateway's identity signed for it). */
  const post = (body: unknown, headersFor: (text: string) => Record<string, string> = (text) => ({ [IDENTITY_HEADER]: gatewayIdentity(text) })) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return fetch(`${base}${API_KEY_LOOKUP_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headersFor(text) }, body: text });
  };

  it('answers the owner of a valid key to the gateway', async () => {
    const response = await post({ apiKey: valid.apiKey });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ clientId: valid.id, name: '公共资源交易平台', role: 'TRADING_PLATFORM', expiresAt: null, department: null });
  });

  it('answers 401 with the reason for unknown, revoked and expired keys', async () => {
    const unknown = await post({ apiKey: `cgk_${'A'.repeat(43)}` });
    expect([unknown.status, await unknown.json()]).toEqual([401, { refused: 'UNKNOWN' }]);
    const r = await post({ apiKey: revoked });
    expect([r.status, await r.json()]).toEqual([401, { refused: 'REVOKED' }]);
    const e = await post({ apiKey: expired });
    expect([e.status, await e.json()]).toEqual([401, { refused: 'EXPIRED' }]);
  });

  it('refuses a caller without a signed identity, or with a forged, expired, or non-gateway one', async () => {
    const cases: [(text: string) => Record<string, string>, string][] = [
      [() => ({}), 'MISSING'],
      [(text) => ({ [IDENTITY_HEADER]: gatewayIdentity(text, { key: 'another-key-another-key-another-key-!!' }) }), 'BAD_SIGNATURE'],
      [() => ({ [IDENTITY_HEADER]: 'garbage' }), 'MALFORMED'],
      [(text) => ({ [IDENTITY_HEADER]: gatewayIdentity(text, { at: Date.now() - 5 * 60_000 }) }), 'EXPIRED'],
      [(text) => ({ [IDENTITY_HEADER]: gatewayIdentity(text, { role: 'CREDIT_OFFICE' }) }), 'NOT_GATEWAY'],
      [(text) => ({ [IDENTITY_HEADER]: gatewayIdentity(text, { role: 'PUBLIC' }) }), 'NOT_GATEWAY'],
      // Signed for another lookup, or for another endpoint.
      [() => ({ [IDENTITY_HEADER]: gatewayIdentity(JSON.stringify({ apiKey: revoked })) }), 'WRONG_BODY'],
      [(text) => ({ [IDENTITY_HEADER]: gatewayIdentity(text, { target: '/internal/audit' }) }), 'WRONG_TARGET'],
    ];
    for (const [headers, reason] of cases) {
      const response = await post({ apiKey: valid.apiKey }, headers);
      expect({ reason, status: response.status, body: await response.json() }).toEqual({ reason, status: 401, body: { error: 'CALLER_REFUSED', reason } });
    }
    // A forged payload re-signed with nothing: the gateway's token with its role swapped.
    const text = JSON.stringify({ apiKey: valid.apiKey });
    const [body, signature] = gatewayIdentity(text, { role: 'DEVELOPER' }).split('.') as [string, string];
    const swapped = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), role: 'GATEWAY' })).toString('base64url');
    const forged = await post(text, () => ({ [IDENTITY_HEADER]: `${swapped}.${signature}` }));
    expect([forged.status, await forged.json()]).toEqual([401, { error: 'CALLER_REFUSED', reason: 'BAD_SIGNATURE' }]);
  });

  it('refuses a body that is not { apiKey: string } with 400, and an oversized one', async () => {
    for (const body of [{}, { apiKey: 42 }, { key: valid.apiKey }, [valid.apiKey], 'null']) {
      expect((await post(body)).status).toBe(400);
    }
    expect((await post({ apiKey: 'x'.repeat(10_000) })).status).toBe(413);
  });

  it('is what remoteApiKeyVerifier and resolveCaller use: X-Api-Key resolves to the client over HTTP', async () => {
    const verifyApiKey = remoteApiKeyVerifier({ creditUrl: `${base}/graphql`, signingKey: SIGNING_KEY });
    expect(await verifyApiKey(valid.apiKey)).toEqual({ clientId: valid.id, name: '公共资源交易平台', role: 'TRADING_PLATFORM', expiresAt: null, department: null });
    expect(await resolveCaller({ 'x-api-key': valid.apiKey }, { verifyApiKey })).toEqual({
      clientId: valid.id,
      name: '公共资源交易平台',
      role: 'TRADING_PLATFORM',
      scopes: ROLE_SCOPES.TRADING_PLATFORM,
      via: 'api-key',
      department: null,
    });
    expect(await resolveCaller({ 'x-api-key': revoked }, { verifyApiKey })).toEqual({ refused: 'REVOKED', via: 'api-key' });
    expect(await resolveCaller({ 'x-api-key': expired }, { verifyApiKey })).toEqual({ refused: 'EXPIRED', via: 'api-key' });
    expect(await resolveCaller({ 'x-api-key': 'nonsense' }, { verifyApiKey })).toEqual({ refused: 'UNKNOWN', via: 'api-key' });
  });

  it('a gateway with the wrong signing key gets no answer it could mistake for a refused key: the caller is refused as unavailable, never PUBLIC', async () => {
    const misconfigured = remoteApiKeyVerifier({ creditUrl: base, signingKey: 'not-the-deployment-key-0123456789abcdef' });
    await expect(misconfigured(valid.apiKey)).rejects.toThrow(/401/);
    expect(await resolveCaller({ 'x-api-key': valid.apiKey }, { verifyApiKey: misconfigured })).toEqual({
      refused: 'CREDENTIAL_SERVICE_UNAVAILABLE',
      via: 'api-key',
    });
  });

  it('an unreachable credit office is CREDENTIAL_SERVICE_UNAVAILABLE, never PUBLIC', async () => {
    const unreachable = remoteApiKeyVerifier({ creditUrl: 'http://127.0.0.1:9', signingKey: SIGNING_KEY, timeoutMs: 1000 });
    expect(await resolveCaller({ 'x-api-key': valid.apiKey }, { verifyApiKey: unreachable })).toEqual({
      refused: 'CREDENTIAL_SERVICE_UNAVAILABLE',
      via: 'api-key',
    });
  });
});

describe('the credit subgraph without IDENTITY_SIGNING_KEY', () => {
  it('does not serve the internal endpoint at all', async () => {
    const { subgraph, base } = await listeningCredit(undefined);
    try {
      const response = await fetch(`${base}${API_KEY_LOOKUP_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: gatewayIdentity(JSON.stringify({ apiKey: `cgk_${'A'.repeat(43)}` })) },
        body: JSON.stringify({ apiKey: `cgk_${'A'.repeat(43)}` }),
      });
      expect(response.status).toBe(404);
      // The rest of the subgraph still works.
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await subgraph.close();
    }
  });

  it('refuses to start with a signing key too short to be safe', async () => {
    expect(() => identitySigningKey({ IDENTITY_SIGNING_KEY: 'short' })).toThrow(/IDENTITY_SIGNING_KEY must be at least 32/);
    expect(identitySigningKey({ IDENTITY_SIGNING_KEY: '' })).toBeUndefined();
    const saved = process.env.IDENTITY_SIGNING_KEY;
    process.env.IDENTITY_SIGNING_KEY = 'short';
    const database = await createTestDatabase('credit_shortkey');
    const db = await openSubgraphDatabase(creditSubgraph, { databaseUrl: database.url });
    try {
      await expect(buildSubgraph(creditSubgraph, db, createLogger('test-credit', 'silent'), { identityKey: SIGNING_KEY })).rejects.toThrow(/IDENTITY_SIGNING_KEY must be at least 32/);
    } finally {
      if (saved === undefined) delete process.env.IDENTITY_SIGNING_KEY;
      else process.env.IDENTITY_SIGNING_KEY = saved;
      await db.close();
      await database.drop();
    }
  });
});
