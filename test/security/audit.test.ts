/**
 * The audit log misses nobody, against the graph as real processes (issue
 * 15): the README's own literal form names its subject, subjects returned
 * are recorded, the purpose is stored as written in Chinese, the gateway's
 * request id with the client's beside it, the real outcome, the requests
 * refused before the pipeline; and a SIGKILL of the gateway just after N
 * answered requests, then a restart, leaves exactly N entries.
 */
import { eventually } from '../helpers/eventually';
import net from 'node:net';
import { Client } from 'pg';
import { startTestGraph, type TestGraph } from '../helpers/graph';

jest.setTimeout(180_000);

describe('the audit log misses nobody (issue 15)', () => {
  let graph: TestGraph;
  let db: Client;
  const url = () => `${graph.url}/graphql`;

  beforeAll(async () => {
    graph = await startTestGraph({ subjects: 200, env: { MAX_BODY_BYTES: '65536' } });
    db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
  }, 240_000);
  afterAll(async () => {
    await db?.end();
    await graph?.close();
  });

  async function post(body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, body: await response.json().catch(() => undefined), requestId: response.headers.get('x-request-id') };
  }

  const entryOf = (requestId: string | null) =>
    eventually(async () => (await db.query('SELECT * FROM credit.audit_entry WHERE request_id = $1', [requestId])).rows[0], `the entry of ${requestId}`, 20_000);

  it('records the subject of the README\'s own literal form, and the subject sees it in its access log', async () => {
    const code = graph.seeded.examples.dishonestDebtor;
    const answered = await post({ query: `{ subject(code: "${code}") { name lists { kind department reason } courts { dishonestDebtors { caseNumber court listedOn } } } }` });
    expect(answered.status).toBe(200);
    expect((await entryOf(answered.requestId)).subjects).toEqual([code]);
    const log = await post({ query: `{ subject(code: "${code}") { accessLog(first: 20) { nodes { role fieldGroups outcome } } } }` }, graph.as('CREDIT_OFFICE', 'audit review'));
    expect(log.body.data.subject.accessLog.nodes).toContainEqual({ role: 'PUBLIC', fieldGroups: ['courts', 'lists'], outcome: 'OK' });
  });

  it('records the subjects an answer returns though the request named none', async () => {
    const answered = await post({ query: '{ listEntries(kind: BLACK, first: 5) { nodes { code } } }' });
    const returned: string[] = answered.body.data.listEntries.nodes.map((n: { code: string }) => n.code);
    expect(returned.length).toBeGreaterThan(0);
    expect((await entryOf(answered.requestId)).subjects).toEqual(expect.arrayContaining(returned));
  });

  it('stores a purpose in Chinese as written, sent as UTF-8 bytes or in the RFC 8187 form', async () => {
    const key = graph.credentials.APPROVAL_SYSTEM.apiKey;
    // A header of raw UTF-8 bytes, as curl sends `-H 'X-Purpose: 许可 2026-0042'` (fetch refuses anything beyond Latin-1,
    // Node's client re-encodes): the request written byte for byte.
    const raw = await new Promise<string>((resolve, reject) => {
      const body = JSON.stringify({ query: '{ __typename }' });
      const socket = net.connect(graph.graph.ports.gateway, '127.0.0.1', () => {
        socket.write(
          Buffer.concat([
            Buffer.from(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\nX-Api-Key: ${key}\r\nX-Purpose: `),
            Buffer.from('许可 2026-0042', 'utf8'),
            Buffer.from(`\r\n\r\n${body}`),
          ]),
        );
      });
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.on('end', () => {
        expect(answer).toMatch(/^HTTP\/1\.1 200/);
        resolve(/x-request-id: (\S+)/i.exec(answer)?.[1] ?? '');
      });
      socket.on('error', reject);
    });
    expect((await entryOf(raw)).purpose).toBe('许可 2026-0042');
    const extended = await post({ query: '{ __typename }' }, { 'x-api-key': key, 'x-purpose*': `UTF-8''${encodeURIComponent('招标 2026-017')}` });
    expect((await entryOf(extended.requestId)).purpose).toBe('招标 2026-017');
  });

  it('names a request by the gateway\'s own id, keeping the client\'s beside it', async () => {
    const [a, b] = await Promise.all([post({ query: '{ __typename }' }, { 'x-request-id': 'licence-0042' }), post({ query: '{ __typename }' }, { 'x-request-id': 'licence-0042' })]);
    expect(a.requestId).not.toBe('licence-0042');
    expect(a.requestId).not.toBe(b.requestId);
    for (const sent of [a, b]) expect(await entryOf(sent.requestId)).toEqual(expect.objectContaining({ request_id: sent.requestId, client_request_id: 'licence-0042', source_address: '127.0.0.1', request_count: 1 }));
  });

  it('records a request whatever name its operation has: 5,000 characters long (found by a black-box review: such an entry was put aside, never delivered), or an empty one', async () => {
    const code = graph.seeded.examples.dishonestDebtor;
    const name = `Q${'x'.repeat(5000)}`;
    const long = await post({ query: `query ${name} { subject(code: "${code}") { courts { dishonestDebtors { caseNumber } } } }` });
    expect(long.status).toBe(200);
    const entry = await entryOf(long.requestId);
    expect(entry.operation_name).toBe(`${name.slice(0, 199)}…`);
    expect(entry.subjects).toEqual([code]);
    const empty = await post({ query: `{ subject(code: "${code}") { name } }`, operationName: '' });
    expect((await entryOf(empty.requestId)).subjects).toEqual([code]);
  });

  it('records the real outcome: FORBIDDEN when nothing was answered, PARTIAL when some was', async () => {
    const forbidden = await post({ query: '{ auditChainStatus { ok } }' });
    expect((await entryOf(forbidden.requestId)).outcome).toBe('FORBIDDEN');
    const alsoForbidden = await post({ query: `{ subject(code: "${graph.seeded.examples.majorTaxViolation}") { tax { arrears { amount } } } }` });
    expect(alsoForbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await entryOf(alsoForbidden.requestId)).outcome).toBe('FORBIDDEN');
    const partial = await post({ query: `{ subject(code: "${graph.seeded.examples.majorTaxViolation}") { code tax { arrears { amount } } } }` });
    expect((await entryOf(partial.requestId)).outcome).toBe('PARTIAL');
  });

  it('after a SIGKILL just after N answered requests and a restart, holds exactly N entries for them — and the refusals before the pipeline', async () => {
    const named = graph.seeded.examples.formerlyListed;
    const startedAt = new Date(Date.now() - 1000);
    // Refused before the pipeline, or before an operation: counted into aggregates, on disk before each answer.
    expect((await post('{"query":')).status).toBe(400);
    expect((await post([{ query: `{ subject(code: "${named}") { name } }` }])).status).toBe(400);
    expect((await post({ query: `{ subject(code: "x") { code } } # ${'x'.repeat(70 * 1024)}` })).status).toBe(413);
    expect((await post({ query: '{ __typename }' }, { 'x-api-key': `cgk_${'Q'.repeat(43)}` })).status).toBe(401);
    // Another method is a 405 of the gateway's own, audited (it was Fastify's 404, which nobody recorded).
    for (const method of ['DELETE', 'OPTIONS']) {
      const refused = await fetch(url(), { method });
      expect(refused.status).toBe(405);
      expect(refused.headers.get('allow')).toBe('GET, POST');
    }

    const N = 200;
    const ids: string[] = [];
    for (let wave = 0; wave < N / 20; wave++) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post({ query: `{ subject(code: "${graph.seeded.examples.clean}") { code name } }` }, { 'x-request-id': `crash-${wave}-${i}` })));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        ids.push(answer.requestId!);
      }
    }
    const gateway = graph.graph.processes.get('gateway')!;
    gateway.kill('SIGKILL');
    await new Promise((resolve) => (gateway.exitCode !== null || gateway.signalCode !== null ? resolve(null) : gateway.once('exit', resolve)));
    await graph.graph.restartService('gateway');

    const stored = await eventually(async () => {
      const rows = (await db.query('SELECT request_id FROM credit.audit_entry WHERE request_id = ANY($1)', [ids])).rows;
      return rows.length >= N ? rows : undefined;
    }, `${N} entries`, 20_000);
    expect(stored).toHaveLength(N);
    expect(new Set(stored.map((r: { request_id: string }) => r.request_id))).toEqual(new Set(ids));

    const refusals = await eventually(async () => {
      const rows = (await db.query("SELECT outcome, request_count, subjects FROM credit.audit_entry WHERE at >= $1 AND outcome IN ('BAD_USER_INPUT', 'REQUEST_TOO_LARGE', 'UNAUTHENTICATED') AND source_address = '127.0.0.1' ORDER BY outcome", [startedAt])).rows;
      return rows.length >= 3 ? rows : undefined;
    }, 'the aggregates of the refusals', 20_000);
    expect(refusals).toEqual([
      { outcome: 'BAD_USER_INPUT', request_count: 4, subjects: [named] },
      { outcome: 'REQUEST_TOO_LARGE', request_count: 1, subjects: [] },
      { outcome: 'UNAUTHENTICATED', request_count: 1, subjects: [] },
    ]);
    // The chain took the recovered entries like any.
    const chain = await post({ query: '{ auditChainStatus { ok } }' }, graph.as('CREDIT_OFFICE', 'audit review'));
    expect(chain.body.data.auditChainStatus.ok).toBe(true);
  });
});
