/**
 * The authorised API end to end: every subgraph and two gateways as real
 * processes on the real PostgreSQL server and Redis, API clients created in
 * the credit office's register, JWTs signed with jose.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { SignJWT } from 'jose';
import { Client } from 'pg';
import { openSubgraphDatabase } from '../../lib/subgraph';
import type { Database } from '../../lib/db';
import { creditSubgraph } from '../../subgraphs/credit';
import { createClient, revokeClient } from '../../subgraphs/credit/clients';
import { startGateway, startTestGraph, type ExtraGateway, type TestGraph } from '../helpers/graph';

const REDIS_URL = 'redis://127.0.0.1:6379/3';
const JWT_SECRET = crypto.randomBytes(32).toString('base64url');
const SIGNING_KEY = crypto.randomBytes(32).toString('base64url');
const RATE = 200;

type Role = 'APPROVAL_SYSTEM' | 'TRADING_PLATFORM' | 'FINANCIAL_INSTITUTION' | 'DEPARTMENT' | 'CREDIT_OFFICE' | 'DEVELOPER';

describe('the authorised API', () => {
  let graph: TestGraph;
  let credit: Database;
  let db: Client;
  const keys = {} as Record<Role, { apiKey: string; clientId: string }>;
  let second: ExtraGateway;

  beforeAll(async () => {
    graph = await startTestGraph({
      subjects: 2000,
      env: { REDIS_URL, JWT_SECRET, IDENTITY_SIGNING_KEY: SIGNING_KEY, RATE_LIMIT_PER_MINUTE: String(RATE), CACHE: 'off', MAX_BODY_BYTES: '65536' },
    });
    credit = await openSubgraphDatabase(creditSubgraph, { databaseUrl: graph.databaseUrl });
    for (const role of ['APPROVAL_SYSTEM', 'TRADING_PLATFORM', 'FINANCIAL_INSTITUTION', 'DEPARTMENT', 'CREDIT_OFFICE', 'DEVELOPER'] as Role[]) {
      // The department's client is the court's (a DEPARTMENT client acts for one department).
      const { client, apiKey } = await createClient(credit, { name: `e2e ${role}`, role, department: role === 'DEPARTMENT' ? 'COURTS' : null });
      keys[role] = { apiKey, clientId: client.id };
    }
    db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
    second = await startSecondGateway(graph);
  }, 180_000);
  afterAll(async () => {
    await second?.stop();
    await db?.end();
    await credit?.close();
    await graph?.close();
  });

  const as = (role: Role | 'PUBLIC', extra: Record<string, string> = {}) =>
    role === 'PUBLIC' ? extra : { 'x-api-key': keys[role].apiKey, 'x-purpose': 'e2e 2026-0042', ...extra };
  const gql = async (role: Role | 'PUBLIC', query: string, variables: Record<string, unknown> = {}, extra: Record<string, string> = {}) =>
    graph.graphql(query, variables, as(role, extra));
  const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

  describe('identities', () => {
    it('treats a request without credentials as PUBLIC, and refuses bad ones with UNAUTHENTICATED, never PUBLIC', async () => {
      const code = graph.seeded.examples.clean;
      const open = await gql('PUBLIC', 'query($c: ID!) { subject(code: $c) { code name } }', { c: code });
      expect(open.status).toBe(200);
      expect(open.body.data.subject.code).toBe(code);

      const expired = await new SignJWT({ role: 'APPROVAL_SYSTEM' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('jwt-client')
        .setExpirationTime(Math.floor(Date.now() / 1000) - 600)
        .sign(Buffer.from(JWT_SECRET));
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'CREDIT_OFFICE', exp: 9999999999 })).toString('base64url')}.`;
      const forged = await new SignJWT({ role: 'CREDIT_OFFICE' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('5m').sign(Buffer.from('not-the-secret-not-the-secret-xx'));
      const revoked = await createClient(credit, { name: 'to revoke', role: 'APPROVAL_SYSTEM' });
      await revokeClient(credit, revoked.client.id);
      const refusedCredentials: Record<string, string>[] = [
        { 'x-api-key': 'cgk_not-a-real-key' },
        { 'x-api-key': revoked.apiKey },
        { authorization: `Bearer ${expired}` },
        { authorization: `Bearer ${none}` },
        { authorization: `Bearer ${forged}` },
        { authorization: 'Basic dXNlcjpwYXNz' },
      ];
      for (const headers of refusedCredentials) {
        const { status, body } = await graph.graphql('{ subject(code: "91110105MA0000YY08") { code } }', {}, { ...headers, 'x-purpose': 'p' });
        expect(status).toBe(401);
        expect(body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
        expect(body.data).toBeUndefined();
      }
    });

    it('accepts a valid HS256 JWT with the role it names', async () => {
      const token = await new SignJWT({ role: 'TRADING_PLATFORM' }).setProtectedHeader({ alg: 'HS256' }).setSubject('platform-7').setExpirationTime('5m').sign(Buffer.from(JWT_SECRET));
      const { body } = await graph.graphql('query($c: ID!) { creditCheck(code: $c, scenario: PUBLIC_RESOURCE_TRADING) { verdict } }', { c: graph.seeded.examples.clean }, {
        authorization: `Bearer ${token}`,
        'x-purpose': 'tender 2026-17',
      });
      expect(body.errors).toBeUndefined();
      expect(body.data.creditCheck.verdict).toBeDefined();
    });

    it('makes non-public roles say why they ask', async () => {
      const { status, body } = await graph.graphql('{ measureCatalogue { version } }', {}, { 'x-api-key': keys.APPROVAL_SYSTEM.apiKey });
      expect(status).toBe(400);
      expect(body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'PURPOSE_REQUIRED' });
    });
  });

  describe('field-level access', () => {
    const PROFILE = `query($c: ID!) { subject(code: $c) { code name lists { kind } tax { arrears { amount } majorViolations { caseNumber } } } }`;

    it('gives PUBLIC what the rules publish and FORBIDDEN for the rest, while the rest of the request answers', async () => {
      const { body } = await gql('PUBLIC', PROFILE, { c: graph.seeded.examples.majorTaxViolation });
      expect(body.data.subject.code).toBe(graph.seeded.examples.majorTaxViolation);
      expect(body.data.subject.tax.majorViolations.length).toBeGreaterThan(0);
      expect(body.data.subject.tax.arrears).toBeNull();
      expect(body.errors).toContainEqual(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
      const check = await gql('PUBLIC', 'query($c: ID!) { creditCheck(code: $c, scenario: FISCAL_SUPPORT) { verdict } }', { c: graph.seeded.examples.clean });
      expect(codes(check.body)).toContain('FORBIDDEN');
      expect(check.body.data).toBeNull();
    });

    it('masks personal data unless the role may see it', async () => {
      const query = 'query($c: ID!) { subject(code: $c) { market { registration { legalRepresentative { name residentId } } } } }';
      const c = graph.seeded.examples.dishonestDebtor;
      const masked = (await gql('APPROVAL_SYSTEM', query, { c })).body.data.subject.market.registration.legalRepresentative;
      expect(masked.residentId).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      const { rows } = await db.query('SELECT legal_rep_id, legal_rep_name FROM market.registration WHERE subject_code = $1', [c]);
      const clear = (await gql('DEPARTMENT', query, { c })).body.data.subject.market.registration.legalRepresentative;
      expect(clear).toEqual({ name: rows[0].legal_rep_name, residentId: rows[0].legal_rep_id });
    });
  });

  describe('a bank and the subjects that authorised it', () => {
    const DETAIL = `query($a: ID!, $b: ID!) {
      first: subject(code: $a) { code tax { ...Figures } }
      second: subject(code: $b) { code tax { ...Figures } }
      both: subjects(codes: [$a, $b]) { code tax { arrears { amount } creditRatings { score } } }
    }
    fragment Figures on TaxProfile { amounts: arrears { amount } creditRatings { score } }`;

    it('sees tax detail only for subjects whose authorisation for that bank is in force, by any query shape', async () => {
      const a = graph.seeded.examples.majorTaxViolation;
      const b = graph.seeded.examples.redList;
      // Without an authorisation the figures are null with FORBIDDEN; what is public (the profile itself) still answers.
      const figuresHidden = (tax: { amounts?: unknown; arrears?: unknown; creditRatings: { score: unknown }[] } | null) =>
        tax !== null && (tax.amounts ?? tax.arrears ?? null) === null && tax.creditRatings.every((r) => r.score === null);
      const before = await gql('FINANCIAL_INSTITUTION', DETAIL, { a, b });
      expect(figuresHidden(before.body.data.first.tax)).toBe(true);
      expect(figuresHidden(before.body.data.second.tax)).toBe(true);
      expect(before.body.data.both.every((s: { tax: never }) => figuresHidden(s.tax))).toBe(true);
      expect(codes(before.body)).toContain('FORBIDDEN');

      const grant = await gql('CREDIT_OFFICE', 'mutation($i: GrantFinancialAuthorisationInput!) { grantFinancialAuthorisation(input: $i) { id status } }', {
        i: { subjectCode: a, clientId: keys.FINANCIAL_INSTITUTION.clientId, validUntil: '2099-12-31', idempotencyKey: `e2e-grant-${a}` },
      });
      expect(grant.body.errors).toBeUndefined();
      const after = await gql('FINANCIAL_INSTITUTION', DETAIL, { a, b });
      expect(Array.isArray(after.body.data.first.tax.amounts)).toBe(true);
      expect(figuresHidden(after.body.data.second.tax)).toBe(true);
      expect(Array.isArray(after.body.data.both[0].tax.arrears)).toBe(true);
      expect(figuresHidden(after.body.data.both[1].tax)).toBe(true);

      await gql('CREDIT_OFFICE', 'mutation($id: ID!) { revokeFinancialAuthorisation(id: $id, note: "withdrawn") { status } }', { id: grant.body.data.grantFinancialAuthorisation.id });
      const revoked = await gql('FINANCIAL_INSTITUTION', DETAIL, { a, b });
      expect(figuresHidden(revoked.body.data.first.tax)).toBe(true);
    });

    it('cannot go around the gateway: a subgraph refuses _entities without an identity the gateway signed', async () => {
      const response = await fetch(`http://127.0.0.1:${graph.graph.ports.tax}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { tax { arrears { amount } } } } }',
          variables: { r: [{ __typename: 'Subject', code: graph.seeded.examples.majorTaxViolation }] },
        }),
      });
      expect(response.status).toBe(401);
      expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('audit', () => {
    it('records who asked about whom and why, and the credit office can verify the chain', async () => {
      const c = graph.seeded.examples.dishonestDebtor;
      await gql('APPROVAL_SYSTEM', 'query($c: ID!) { subject(code: $c) { name courts { dishonestDebtors { caseNumber } } } }', { c }, { 'x-purpose': 'licence 2026-0099' });
      await new Promise((resolve) => setTimeout(resolve, 2500)); // the writer ships in batches, off the request path
      const log = await gql('CREDIT_OFFICE', 'query($c: ID!) { subject(code: $c) { accessLog(first: 20) { nodes { clientId role purpose fieldGroups } } } auditChainStatus { ok } }', { c });
      expect(log.body.errors).toBeUndefined();
      expect(log.body.data.subject.accessLog.nodes).toContainEqual(
        expect.objectContaining({ clientId: keys.APPROVAL_SYSTEM.clientId, role: 'APPROVAL_SYSTEM', purpose: 'licence 2026-0099', fieldGroups: expect.arrayContaining(['courts']) }),
      );
      expect(log.body.data.auditChainStatus.ok).toBe(true);
      const forbidden = await gql('APPROVAL_SYSTEM', '{ auditChainStatus { ok } }');
      expect(codes(forbidden.body)).toContain('FORBIDDEN');
    });
  });

  describe('limits', () => {
    it('refuses alias-amplified and oversized queries with the right codes', async () => {
      const amplified = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: subject(code: "${graph.seeded.examples.clean}") { code }`).join(' ')} }`;
      const tooMany = await gql('PUBLIC', amplified);
      expect(tooMany.status).toBe(400);
      expect(codes(tooMany.body)).toEqual(['QUERY_TOO_COMPLEX']);
      // The schema is shallow (its deepest path is 6), so the second gateway runs with MAX_QUERY_DEPTH=3.
      const deep = await fetch(`${second.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ subject(code: "${graph.seeded.examples.clean}") { market { registration { legalRepresentative { name } } } } }` }),
      });
      expect(deep.status).toBe(400);
      const deepBody = await deep.json();
      expect(codes(deepBody)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(deepBody.errors[0].message).toMatch(/depth/i);
      // The gateway answers 413 as soon as the declared length is over its limit and may close while the
      // client still writes: read the status from the response, not from the upload's outcome.
      const body = JSON.stringify({ query: `{ subject(code: "x") { code } } # ${'x'.repeat(100 * 1024)}` }); // limit set to 64 KiB above
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request(`${graph.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', () => {}); // EPIPE after the answer
        setTimeout(() => reject(new Error('no answer to the oversized request')), 10_000).unref();
        request.end(body);
      });
      expect(status).toBe(413);
    });

    it('shares one client’s rate limit between two gateways through Redis', async () => {
      const { apiKey } = await createClient(credit, { name: 'rate limited', role: 'TRADING_PLATFORM' });
      const headers = { 'content-type': 'application/json', 'x-api-key': apiKey, 'x-purpose': 'rate test' };
      const body = JSON.stringify({ query: '{ measureCatalogue { version } }' });
      const statuses: number[] = [];
      for (let i = 0; i < RATE + 10; i++) {
        const url = i % 2 === 0 ? graph.url : second.url;
        statuses.push((await fetch(`${url}/graphql`, { method: 'POST', headers, body })).status);
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(RATE);
      expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    });
  });

  describe('injection', () => {
    const PAYLOADS = ["' OR '1'='1", "'); DROP TABLE list_entry; --", '\u0000', '"}}]]', '$where: 1', '<script>alert(1)</script>'];

    it('answers injection attempts in string arguments with input errors or nothing, and the data stays whole', async () => {
      const before = (await db.query('SELECT count(*)::int AS n FROM credit.list_entry')).rows[0].n;
      const attempts: ((p: string) => [string, Record<string, unknown>])[] = [
        (p: string) => ['query($c: ID!) { subject(code: $c) { code } }', { c: p }],
        (p: string) => ['query($c: [ID!]!) { subjects(codes: $c) { code } }', { c: [p] }],
        (p: string) => ['query($a: String) { listEntries(kind: BLACK, after: $a) { nodes { code } } }', { a: p }],
        (p: string) => ['query($s: String!) { spotCheckSample(population: ["91110105MA0000YY08"], size: 1, seed: $s) { size } }', { s: p }],
        (p: string) => ['query($f: String!) { creditStatistics(from: $f, to: "2026-12-31") { checksTotal } }', { f: p }],
        (p: string) => ['mutation($i: FileObjectionInput!) { fileObjection(input: $i) { id } }', { i: { subjectCode: graph.seeded.examples.clean, department: 'COURTS', recordId: p, reason: p, idempotencyKey: p } }],
      ];
      for (const payload of PAYLOADS) {
        for (const attempt of attempts) {
          const [query, variables] = attempt(payload);
          const { status, body } = await gql('CREDIT_OFFICE', query, variables);
          expect(status).toBeLessThan(500);
          expect(codes(body)).not.toContain('INTERNAL_SERVER_ERROR');
          expect(JSON.stringify(body)).not.toMatch(/syntax error|relation|column|postgres/i);
        }
      }
      expect((await db.query('SELECT count(*)::int AS n FROM credit.list_entry')).rows[0].n).toBe(before);
    });
  });
});

/** The second gateway: the graph's environment (the same Redis, keys and limits), a shallower depth limit. */
function startSecondGateway(graph: TestGraph): Promise<ExtraGateway> {
  return startGateway(graph, { name: 'gateway-b', env: { MAX_QUERY_DEPTH: '3' } });
}
