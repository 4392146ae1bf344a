/**
 * Bearer tokens against lib/auth/jwt.ts with real jose-signed tokens: the
 * algorithm pinned by the configured key (alg none, HS/RS confusion both
 * ways), expiry, issuer, audience, the role and scope claims, and a JWKS
 * served over real HTTP.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { createJwtVerifier, jwtConfigFromEnv, type JwtConfig, type JwtVerifier } from '../../lib/auth/jwt';
import { ROLE_SCOPES } from '../../lib/auth/roles';

const SECRET = 'demo-jwt-secret-0123456789abcdef0123456789';
const secretKey = new TextEncoder().encode(SECRET);
const nowSeconds = () => Math.floor(Date.now() / 1000);

function token(claims: Record<string, unknown>, header: { alg: string; kid?: string }, key: KeyLike | Uint8Array, expiresIn: string | number | null = '5m') {
  const jwt = new SignJWT(claims).setProtectedHeader(header).setIssuedAt();
  if (expiresIn !== null) jwt.setExpirationTime(expiresIn);
  return jwt.sign(key);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let rsa: { privateKey: KeyLike; publicKey: KeyLike; jwk: JWK };
let ec: { privateKey: KeyLike; publicKey: KeyLike; jwk: JWK };
let otherRsa: { privateKey: KeyLike };
let jwksDir: string;
let jwksFile: string;

beforeAll(async () => {
  const r = await generateKeyPair('RS256');
  rsa = { ...r, jwk: { ...(await exportJWK(r.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' } };
  const e = await generateKeyPair('ES256');
  ec = { ...e, jwk: { ...(await exportJWK(e.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' } };
  otherRsa = await generateKeyPair('RS256');
  jwksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-jwks-'));
  jwksFile = path.join(jwksDir, 'jwks.json');
  fs.writeFileSync(jwksFile, JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
});
afterAll(() => fs.rmSync(jwksDir, { recursive: true, force: true }));

const claims = { sub: 'cli_bank_001', role: 'FINANCIAL_INSTITUTION', name: '某银行信贷系统' };

describe('HS256 with JWT_SECRET (the demo)', () => {
  let verify: JwtVerifier;
  beforeAll(() => {
    verify = createJwtVerifier({ key: { kind: 'secret', secret: SECRET } });
  });

  it('accepts a valid token and gives the role its scopes', async () => {
    const result = await verify(await token(claims, { alg: 'HS256' }, secretKey));
    expect(result).toEqual({
      clientId: 'cli_bank_001',
      name: '某银行信贷系统',
      role: 'FINANCIAL_INSTITUTION',
      scopes: ROLE_SCOPES.FINANCIAL_INSTITUTION,
      expiresAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      department: null,
    });
  });

  it('refuses alg none, hand-built, with an empty signature part or none', async () => {
    const body = b64({ ...claims, exp: nowSeconds() + 300 });
    for (const header of [{ alg: 'none' }, { alg: 'None' }, { alg: 'NONE' }, { typ: 'JWT' }]) {
      expect(await verify(`${b64(header)}.${body}.`)).toEqual({ refused: 'WRONG_ALGORITHM' });
      // Two parts is not even a JWS.
      expect(await verify(`${b64(header)}.${body}`)).toEqual({ refused: 'MALFORMED' });
    }
  });

  it('refuses an RS256 token, and HS384/HS512 tokens made with the right secret', async () => {
    expect(await verify(await token(claims, { alg: 'RS256' }, rsa.privateKey))).toEqual({ refused: 'WRONG_ALGORITHM' });
    expect(await verify(await token(claims, { alg: 'HS512' }, secretKey))).toEqual({ refused: 'WRONG_ALGORITHM' });
  });

  it('refuses a token signed with another secret, and a payload altered after signing', async () => {
    expect(await verify(await token(claims, { alg: 'HS256' }, new TextEncoder().encode('another-secret-0123456789abcdef0123456789')))).toEqual({ refused: 'BAD_SIGNATURE' });
    const [h, , s] = (await token(claims, { alg: 'HS256' }, secretKey)).split('.');
    const altered = `${h}.${b64({ ...claims, role: 'CREDIT_OFFICE', exp: nowSeconds() + 300 })}.${s}`;
    expect(await verify(altered)).toEqual({ refused: 'BAD_SIGNATURE' });
  });

  it('refuses an expired token, a token without exp, and one not valid yet', async () => {
    expect(await verify(await token(claims, { alg: 'HS256' }, secretKey, nowSeconds() - 120))).toEqual({ refused: 'EXPIRED' });
    expect(await verify(await token(claims, { alg: 'HS256' }, secretKey, null))).toEqual({ refused: 'NO_EXPIRY' });
    const future = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setNotBefore(nowSeconds() + 3600).setExpirationTime('2h').sign(secretKey);
    expect(await verify(future)).toEqual({ refused: 'NOT_YET_VALID' });
  });

  it('tolerates 30 seconds of clock difference on expiry, not more', async () => {
    expect(await verify(await token(claims, { alg: 'HS256' }, secretKey, nowSeconds() - 10))).toMatchObject({ role: 'FINANCIAL_INSTITUTION' });
    expect(await verify(await token(claims, { alg: 'HS256' }, secretKey, nowSeconds() - 45))).toEqual({ refused: 'EXPIRED' });
  });

  it('reuses a token it accepted only while the token’s own time claims allow, and never a refusal', async () => {
    let clock = Date.now();
    const timed = createJwtVerifier({ key: { kind: 'secret', secret: SECRET }, now: () => clock });
    const exp = Math.floor(clock / 1000) + 60;
    const accepted = await token(claims, { alg: 'HS256' }, secretKey, exp);
    expect(await timed(accepted)).toMatchObject({ role: 'FINANCIAL_INSTITUTION' });
    expect(await timed(accepted)).toMatchObject({ role: 'FINANCIAL_INSTITUTION' });
    // Past exp and the 30 s tolerance the same token is refused, though it was accepted before.
    clock = (exp + 31) * 1000;
    expect(await timed(accepted)).toEqual({ refused: 'EXPIRED' });
    // A token differing only in its signature is judged on its own.
    clock = Date.now();
    const [h, p, sig] = accepted.split('.') as [string, string, string];
    expect(await timed(`${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`)).toEqual({ refused: 'BAD_SIGNATURE' });
    const early = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setNotBefore(Math.floor(clock / 1000) + 3600).setExpirationTime('2h').sign(secretKey);
    expect(await timed(early)).toEqual({ refused: 'NOT_YET_VALID' });
    expect(await timed(early)).toEqual({ refused: 'NOT_YET_VALID' });
  });

  it('refuses PUBLIC, unknown and missing roles, and a missing subject', async () => {
    for (const role of ['PUBLIC', 'ADMIN', 'GATEWAY', 'credit_office', 42]) {
      expect(await verify(await token({ ...claims, role }, { alg: 'HS256' }, secretKey))).toEqual({ refused: 'UNKNOWN_ROLE' });
    }
    expect(await verify(await token({ sub: 'x' }, { alg: 'HS256' }, secretKey))).toEqual({ refused: 'MISSING_CLAIM' });
    expect(await verify(await token({ role: 'DEVELOPER' }, { alg: 'HS256' }, secretKey))).toEqual({ refused: 'MISSING_CLAIM' });
  });

  it('lets the scope claim narrow the role, never widen it', async () => {
    const narrowed = await verify(await token({ ...claims, role: 'DEPARTMENT', department: 'TAX', scope: 'public records audit introspection' }, { alg: 'HS256' }, secretKey));
    expect(narrowed).toMatchObject({ role: 'DEPARTMENT', scopes: ['public', 'records'], department: 'TAX' });
    const asArray = await verify(await token({ ...claims, role: 'DEVELOPER', scope: ['introspection', 'personal'] }, { alg: 'HS256' }, secretKey));
    expect(asArray).toMatchObject({ scopes: ['introspection'] });
    expect(await verify(await token({ ...claims, scope: 42 }, { alg: 'HS256' }, secretKey))).toEqual({ refused: 'MALFORMED' });
  });

  it('binds a DEPARTMENT token to its department claim: required, one of the four, and on no other role', async () => {
    expect(await verify(await token({ ...claims, role: 'DEPARTMENT', department: 'COURTS' }, { alg: 'HS256' }, secretKey))).toMatchObject({ role: 'DEPARTMENT', department: 'COURTS' });
    expect(await verify(await token({ ...claims, role: 'DEPARTMENT' }, { alg: 'HS256' }, secretKey))).toEqual({ refused: 'MISSING_CLAIM' });
    for (const department of ['CREDIT_OFFICE', 'courts', '', 42, ['COURTS']]) {
      expect(await verify(await token({ ...claims, role: 'DEPARTMENT', department }, { alg: 'HS256' }, secretKey))).toEqual({ refused: 'MALFORMED' });
    }
    expect(await verify(await token({ ...claims, department: 'TAX' }, { alg: 'HS256' }, secretKey))).toEqual({ refused: 'MALFORMED' });
  });

  it('refuses strings that are not tokens', async () => {
    for (const bad of ['', 'abc', 'a.b.c', `${b64({ alg: 'HS256' })}.not-json.sig`, '...']) {
      expect(await verify(bad)).toMatchObject({ refused: expect.stringMatching(/^(MALFORMED|BAD_SIGNATURE)$/) });
    }
  });

  it('refuses a secret too short to be an HS256 key', () => {
    expect(() => createJwtVerifier({ key: { kind: 'secret', secret: 'short' } })).toThrow(/at least 32/);
  });
});

describe('issuer and audience', () => {
  const config: JwtConfig = { key: { kind: 'secret', secret: SECRET }, issuer: 'https://idp.credit.example', audience: 'credit-graph' };
  const sign = (extra: Record<string, unknown>) => token({ ...claims, ...extra }, { alg: 'HS256' }, secretKey);

  it('accepts the configured ones and refuses others or none', async () => {
    const verify = createJwtVerifier(config);
    expect(await verify(await sign({ iss: 'https://idp.credit.example', aud: 'credit-graph' }))).toMatchObject({ role: 'FINANCIAL_INSTITUTION' });
    expect(await verify(await sign({ iss: 'https://idp.credit.example', aud: ['other', 'credit-graph'] }))).toMatchObject({ role: 'FINANCIAL_INSTITUTION' });
    expect(await verify(await sign({ iss: 'https://evil.example', aud: 'credit-graph' }))).toEqual({ refused: 'WRONG_ISSUER' });
    expect(await verify(await sign({ aud: 'credit-graph' }))).toEqual({ refused: 'WRONG_ISSUER' });
    expect(await verify(await sign({ iss: 'https://idp.credit.example', aud: 'another-api' }))).toEqual({ refused: 'WRONG_AUDIENCE' });
    expect(await verify(await sign({ iss: 'https://idp.credit.example' }))).toEqual({ refused: 'WRONG_AUDIENCE' });
  });
});

describe('RS256 / ES256 with a JWKS file (production)', () => {
  let verify: JwtVerifier;
  beforeAll(() => {
    verify = createJwtVerifier({ key: { kind: 'jwks-file', path: jwksFile } });
  });

  it('accepts RS256 and ES256 tokens signed by a key of the set', async () => {
    expect(await verify(await token(claims, { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey))).toMatchObject({ role: 'FINANCIAL_INSTITUTION' });
    expect(await verify(await token({ ...claims, role: 'APPROVAL_SYSTEM' }, { alg: 'ES256', kid: 'ec-1' }, ec.privateKey))).toMatchObject({
      role: 'APPROVAL_SYSTEM',
      scopes: ROLE_SCOPES.APPROVAL_SYSTEM,
    });
    // Without a kid the key is chosen by its type.
    expect(await verify(await token(claims, { alg: 'RS256' }, rsa.privateKey))).toMatchObject({ role: 'FINANCIAL_INSTITUTION' });
  });

  it('refuses HS/RS confusion: an HS256 token whose secret is the RSA public key', async () => {
    const pem = await exportSPKI(rsa.publicKey);
    for (const secret of [pem, JSON.stringify(rsa.jwk), rsa.jwk.n!]) {
      const forged = await token({ ...claims, role: 'CREDIT_OFFICE' }, { alg: 'HS256', kid: 'rsa-1' }, new TextEncoder().encode(secret));
      expect(await verify(forged)).toEqual({ refused: 'WRONG_ALGORITHM' });
    }
  });

  it('refuses alg none, and an HS256 token with the demo secret', async () => {
    expect(await verify(`${b64({ alg: 'none' })}.${b64({ ...claims, exp: nowSeconds() + 300 })}.`)).toEqual({ refused: 'WRONG_ALGORITHM' });
    expect(await verify(await token(claims, { alg: 'HS256' }, secretKey))).toEqual({ refused: 'WRONG_ALGORITHM' });
  });

  it('refuses a token signed by a key outside the set, and an expired one', async () => {
    expect(await verify(await token(claims, { alg: 'RS256', kid: 'rsa-1' }, otherRsa.privateKey))).toEqual({ refused: 'BAD_SIGNATURE' });
    expect(await verify(await token(claims, { alg: 'RS256', kid: 'rsa-unknown' }, otherRsa.privateKey))).toEqual({ refused: 'UNKNOWN_KEY' });
    expect(await verify(await token(claims, { alg: 'ES256', kid: 'ec-1' }, ec.privateKey, nowSeconds() - 120))).toEqual({ refused: 'EXPIRED' });
  });

  it('refuses a key file that is missing, empty, or holds a symmetric key', () => {
    expect(() => createJwtVerifier({ key: { kind: 'jwks-file', path: path.join(jwksDir, 'missing.json') } })).toThrow(/JWT_JWKS_FILE/);
    const empty = path.join(jwksDir, 'empty.json');
    fs.writeFileSync(empty, JSON.stringify({ keys: [] }));
    expect(() => createJwtVerifier({ key: { kind: 'jwks-file', path: empty } })).toThrow(/no "keys"/);
    const oct = path.join(jwksDir, 'oct.json');
    fs.writeFileSync(oct, JSON.stringify({ keys: [{ kty: 'oct', k: Buffer.from(SECRET).toString('base64url') }] }));
    expect(() => createJwtVerifier({ key: { kind: 'jwks-file', path: oct } })).toThrow(/symmetric/);
  });
});

describe('JWKS over HTTP (JWT_JWKS_URL)', () => {
  let server: http.Server;
  let url: string;
  let requests = 0;
  let failing = false;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      requests += 1;
      if (failing) {
        response.writeHead(500).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches the key set once and verifies with it; refuses HS256 and alg none', async () => {
    requests = 0;
    const verify = createJwtVerifier({ key: { kind: 'jwks-url', url } });
    expect(await verify(await token(claims, { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey))).toMatchObject({ role: 'FINANCIAL_INSTITUTION' });
    expect(await verify(await token(claims, { alg: 'ES256', kid: 'ec-1' }, ec.privateKey))).toMatchObject({ role: 'FINANCIAL_INSTITUTION' });
    expect(requests).toBe(1);
    expect(await verify(await token(claims, { alg: 'HS256', kid: 'rsa-1' }, new TextEncoder().encode(await exportSPKI(rsa.publicKey))))).toEqual({ refused: 'WRONG_ALGORITHM' });
    expect(await verify(`${b64({ alg: 'none' })}.${b64({ ...claims, exp: nowSeconds() + 300 })}.`)).toEqual({ refused: 'WRONG_ALGORITHM' });
  });

  it('a key set that cannot be fetched refuses the token as KEY_SOURCE_UNAVAILABLE', async () => {
    failing = true;
    try {
      const verify = createJwtVerifier({ key: { kind: 'jwks-url', url } });
      expect(await verify(await token(claims, { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey))).toEqual({ refused: 'KEY_SOURCE_UNAVAILABLE' });
      const closed = createJwtVerifier({ key: { kind: 'jwks-url', url: 'http://127.0.0.1:9/jwks.json' } });
      expect(await closed(await token(claims, { alg: 'RS256', kid: 'rsa-1' }, rsa.privateKey))).toEqual({ refused: 'KEY_SOURCE_UNAVAILABLE' });
    } finally {
      failing = false;
    }
  });

  it('refuses a plain-http key set URL anywhere but the loopback', () => {
    expect(() => createJwtVerifier({ key: { kind: 'jwks-url', url: 'http://idp.example/jwks.json' } })).toThrow(/https/);
    expect(() => createJwtVerifier({ key: { kind: 'jwks-url', url: 'https://idp.example/jwks.json' } })).not.toThrow();
  });
});

describe('jwtConfigFromEnv', () => {
  it('reads one key source and the optional issuer and audience', () => {
    expect(jwtConfigFromEnv({})).toBeUndefined();
    expect(jwtConfigFromEnv({ JWT_SECRET: SECRET, JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toEqual({ key: { kind: 'secret', secret: SECRET }, issuer: 'i', audience: 'a' });
    expect(jwtConfigFromEnv({ JWT_JWKS_FILE: '/k.json' })).toEqual({ key: { kind: 'jwks-file', path: '/k.json' }, issuer: undefined, audience: undefined });
    expect(jwtConfigFromEnv({ JWT_JWKS_URL: 'https://idp/jwks' })?.key).toEqual({ kind: 'jwks-url', url: 'https://idp/jwks' });
  });

  it('refuses more than one key source', () => {
    expect(() => jwtConfigFromEnv({ JWT_SECRET: SECRET, JWT_JWKS_FILE: '/k.json' })).toThrow(/only one/);
    expect(() => jwtConfigFromEnv({ JWT_JWKS_URL: 'https://x', JWT_JWKS_FILE: '/k.json' })).toThrow(/only one/);
  });
});

it('crypto sanity: the forged HS256 tokens above really are valid HMACs over the public key', async () => {
  // Guards the confusion test against passing for the wrong reason (a token that would fail anyway).
  const pem = await exportSPKI(rsa.publicKey);
  const forged = await token(claims, { alg: 'HS256' }, new TextEncoder().encode(pem));
  const [h, p, s] = forged.split('.') as [string, string, string];
  expect(crypto.createHmac('sha256', pem).update(`${h}.${p}`).digest('base64url')).toBe(s);
});
