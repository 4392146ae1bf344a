/**
 * Subgraph calls that cannot be replayed, and revocation on every gateway,
 * against the graph as real processes (issue 15). A second gateway reaches
 * the tax and credit subgraphs through recording proxies, as someone on the
 * gateway–subgraph hop would see its requests; every captured identity is
 * replayed against another subgraph, with another body, to another path and
 * as it was — and refused each time. Then `npm run client` beside the
 * running graph: a key it creates works at once, and the key it revokes is
 * refused on both gateways within 5 s, the revocation announced on Redis.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { ROOT_DIR } from '../../lib/config';
import { IDENTITY_HEADER } from '../../lib/auth/identity-header';
import { startGateway, startTestGraph, type ExtraGateway, type TestGraph } from '../helpers/graph';

jest.setTimeout(180_000);

const REDIS_URL = 'redis://127.0.0.1:6379/9';

interface Captured {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A proxy in front of a service that keeps every request it forwards, as an eavesdropper on that hop would. */
function recordingProxy(upstreamPort: number): Promise<{ port: number; captured: Captured[]; close(): Promise<void> }> {
  const captured: Captured[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      captured.push({ method: request.method!, path: request.url!, headers: request.headers, body: body.toString('utf8') });
      const upstream = http.request({ host: '127.0.0.1', port: upstreamPort, method: request.method, path: request.url, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as AddressInfo).port, captured, close: () => new Promise((done) => server.close(() => done())) }),
    );
  });
}

describe('subgraph calls that cannot be replayed, revocation on every gateway (issue 15)', () => {
  let graph: TestGraph;
  let db: Client;
  let proxied: ExtraGateway;
  let taxProxy: Awaited<ReturnType<typeof recordingProxy>>;
  let creditProxy: Awaited<ReturnType<typeof recordingProxy>>;

  beforeAll(async () => {
    graph = await startTestGraph({ subjects: 200, env: { REDIS_URL } });
    db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
    taxProxy = await recordingProxy(graph.graph.ports.tax);
    creditProxy = await recordingProxy(graph.graph.ports.credit);
    proxied = await startGateway(graph, {
      name: 'gateway-proxied',
      // Every call goes to the subgraphs, to be captured: no answer from a cache that other suites' same seeded codes may have filled in Redis.
      env: { CACHE: 'off' },
      subgraphUrls: { tax: `http://127.0.0.1:${taxProxy.port}/graphql`, credit: `http://127.0.0.1:${creditProxy.port}/graphql` },
    });
  }, 240_000);
  afterAll(async () => {
    await proxied?.stop();
    await taxProxy?.close();
    await creditProxy?.close();
    await db?.end();
    await graph?.close();
  });

  /** Sends a captured request again, with the given changes, straight to a service. */
  async function replay(captured: Captured, to: { port: number; path?: string; body?: string }) {
    const response = await fetch(`http://127.0.0.1:${to.port}${to.path ?? captured.path}`, {
      method: captured.method,
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: String(captured.headers[IDENTITY_HEADER]) },
      body: to.body ?? captured.body,
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  }
  const reasonOf = (answer: { body: any }) => answer.body?.errors?.[0]?.extensions?.reason ?? answer.body?.reason;

  it('refuses a captured subgraph call on another subgraph, with another body, and sent again', async () => {
    const code = graph.seeded.examples.majorTaxViolation;
    const answer = await fetch(`${proxied.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ subject(code: "${code}") { tax { latestRating { level } } } }` }),
    });
    expect(answer.status).toBe(200);
    const call = taxProxy.captured.find((c) => c.body.includes('_entities'))!;
    expect(call).toBeDefined();
    const ports = graph.graph.ports;
    // The same bytes to the market department: made for tax.
    expect(reasonOf(await replay(call, { port: ports.market }))).toBe('WRONG_AUDIENCE');
    // To tax with a body asking for what PUBLIC may not read: made for other bytes.
    const greedy = JSON.stringify({ query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { tax { arrears { amount } } } } }`, variables: { r: [{ __typename: 'Subject', code }] } });
    const widened = await replay(call, { port: ports.tax, body: greedy });
    expect({ status: widened.status, reason: reasonOf(widened) }).toEqual({ status: 401, reason: 'WRONG_BODY' });
    // As it was: accepted once already, by the proxied request itself.
    const again = await replay(call, { port: ports.tax });
    expect({ status: again.status, reason: reasonOf(again) }).toEqual({ status: 401, reason: 'REPLAYED' });
  });

  it('refuses the gateway\'s own captured calls to the credit office elsewhere: no forged audit entry is appended', async () => {
    // An API-key lookup and an audit delivery of the proxied gateway, as they went by.
    const key = graph.credentials.CREDIT_OFFICE.apiKey;
    await fetch(`${proxied.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key, 'x-purpose': 'capture' }, body: JSON.stringify({ query: '{ __typename }' }) });
    const deadline = Date.now() + 15_000;
    while (!creditProxy.captured.some((c) => c.path === '/internal/audit') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const lookup = creditProxy.captured.find((c) => c.path === '/internal/credentials/api-key')!;
    const delivery = creditProxy.captured.find((c) => c.path === '/internal/audit')!;
    expect(lookup && delivery).toBeTruthy();

    const forgedId = crypto.randomUUID();
    const forged = JSON.stringify({
      entries: [{ entryId: forgedId, at: new Date().toISOString(), requestId: 'forged', clientId: 'someone-else', role: 'CREDIT_OFFICE', purpose: 'covering tracks', operationName: null, subjects: [], fieldGroups: ['audit'], outcome: 'OK' }],
    });
    const port = graph.graph.ports.credit;
    const cases = [
      { what: 'a delivery with another body', captured: delivery, to: { port, body: forged }, reason: 'WRONG_BODY' },
      { what: 'a lookup sent to the audit endpoint', captured: lookup, to: { port, path: '/internal/audit', body: forged }, reason: 'WRONG_TARGET' },
      { what: 'a delivery sent to a department', captured: delivery, to: { port: graph.graph.ports.market, path: '/internal/record-status' }, reason: 'WRONG_AUDIENCE' },
      { what: 'a delivery as it was', captured: delivery, to: { port }, reason: 'REPLAYED' },
    ];
    for (const attempt of cases) {
      const refused = await replay(attempt.captured, attempt.to);
      expect({ what: attempt.what, status: refused.status, reason: reasonOf(refused) }).toEqual({ what: attempt.what, status: 401, reason: attempt.reason });
    }
    expect((await db.query('SELECT count(*)::int AS n FROM credit.audit_entry WHERE entry_id = $1', [forgedId])).rows[0].n).toBe(0);
    const chain = await fetch(`${graph.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...graph.as('CREDIT_OFFICE', 'audit review') }, body: JSON.stringify({ query: '{ auditChainStatus { ok } }' }) });
    expect((await chain.json()).data.auditChainStatus.ok).toBe(true);
  });

  describe('the client CLI beside the running graph', () => {
    function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      const { NODE_OPTIONS: _n, ...parent } = process.env;
      const env = { ...parent, DATABASE_URL: graph.databaseUrl, REDIS_URL, LOG_LEVEL: 'silent' };
      return new Promise((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', 'scripts/client.ts', ...args], { cwd: ROOT_DIR, env }, (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
        });
      });
    }
    const ask = (gatewayUrl: string, apiKey: string) =>
      fetch(`${gatewayUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'x-purpose': 'revocation test' }, body: JSON.stringify({ query: '{ __typename }' }) });

    it('creates a key that works on every gateway at once, and revokes it on every gateway within 5 s', async () => {
      const created = await cli(['create', '--role', 'TRADING_PLATFORM', '--name', '招标平台 revocation', '--json']);
      expect(created.code).toBe(0);
      const { id, apiKey } = JSON.parse(created.stdout) as { id: string; apiKey: string };
      const gateways = [graph.url, proxied.url];
      for (const gateway of gateways) expect((await ask(gateway, apiKey)).status).toBe(200);

      const revoked = await cli(['revoke', '--id', id]);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toMatch(/announced to every gateway/);
      const deadline = Date.now() + 5_000;
      for (const gateway of gateways) {
        for (;;) {
          const response = await ask(gateway, apiKey);
          if (response.status === 401) {
            expect((await response.json()).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'REVOKED' });
            break;
          }
          expect(response.status).toBe(200);
          if (Date.now() > deadline) throw new Error(`${gateway} still accepts the revoked key after 5 s`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      // And the graph is whole: another client is served as before.
      expect((await ask(graph.url, graph.credentials.TRADING_PLATFORM.apiKey)).status).toBe(200);
    });
  });
});
