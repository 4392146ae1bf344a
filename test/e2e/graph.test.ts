/**
 * End to end through the gateway, every subgraph a real process over a seeded
 * dataset: the federated subject, batches, validation, lists, operations
 * endpoints, a department down or hanging, and a graceful stop.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildUscc } from '../../lib/identifiers';
import { createPlan } from '../../scripts/seed/plan';
import { runQueryInPlayground } from '../helpers/browser';
import { startTestGraph, type TestGraph } from '../helpers/graph';

const SUBJECTS = 2000;
// The seed is deterministic, so the plan names the same subjects the databases hold.
const PLANNED_CODES = createPlan({ subjects: SUBJECTS, seed: 7 }).subjects.map((subject) => subject.code);
// A valid code no department holds anything on (the seed never issues this organisation body).
const UNKNOWN = buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: 'MA0000YY' });

const PROFILE = `query Profile($code: ID!) {
  subject(code: $code) {
    code name kind
    lists { kind department reason sourceRecord since until }
    market { registration { name status legalRepresentative { name residentId } } penalties { decisionNumber } }
    tax { latestRating { year level } majorViolations { caseNumber } }
    courts { dishonestDebtors { caseNumber removedOn } consumptionRestrictions { caseNumber restrictions } }
    environment { latestRating { level } penalties { decisionNumber } }
  }
}`;

describe('the federated graph', () => {
  let graph: TestGraph;

  beforeAll(async () => {
    // Cache off: these tests take departments down and time them out, which answers cached from an
    // earlier test would hide (serving a cached answer while a department is down is the cache's
    // job); test/cache covers the cache itself.
    graph = await startTestGraph({ subjects: SUBJECTS, env: { SUBGRAPH_TIMEOUT_MS: '1500', CACHE: 'off' } });
  }, 180_000);
  afterAll(() => graph?.close());

  it('answers a subject with data from all four departments and the credit office', async () => {
    const code = graph.seeded.examples.dishonestDebtor;
    const { status, body } = await graph.graphql(PROFILE, { code });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const subject = body.data.subject;
    expect(subject.code).toBe(code);
    expect(subject.kind).toBe('ORGANISATION');
    expect(subject.name).toEqual(expect.any(String));
    expect(subject.market.registration.legalRepresentative.residentId).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(subject.courts.dishonestDebtors.length).toBeGreaterThan(0);
    expect(subject.tax).toEqual(expect.objectContaining({ majorViolations: expect.any(Array) }));
    expect(subject.environment).toEqual(expect.objectContaining({ penalties: expect.any(Array) }));
    expect(subject.lists).toContainEqual(expect.objectContaining({ kind: 'BLACK', department: 'COURTS' }));
  });

  it('answers tax and environment records for the subjects that have them', async () => {
    const { body } = await graph.graphql(
      `query($codes: [ID!]!) { subjects(codes: $codes) { code tax { latestRating { level } majorViolations { caseNumber } } environment { latestRating { level } } } }`,
      { codes: [graph.seeded.examples.redList, graph.seeded.examples.majorTaxViolation, graph.seeded.examples.environmentalBlack] },
    );
    expect(body.errors).toBeUndefined();
    const [red, tax, environment] = body.data.subjects;
    expect(red.tax.latestRating.level).toBe('A');
    expect(tax.tax.majorViolations.length).toBeGreaterThan(0);
    expect(environment.environment.latestRating.level).toBe('BLACK');
  });

  it('gives every valid code a subject, and an empty profile where nothing is held', async () => {
    const code = UNKNOWN;
    expect(PLANNED_CODES).not.toContain(code);
    const { body } = await graph.graphql(PROFILE, { code });
    expect(body.errors).toBeUndefined();
    expect(body.data.subject).toEqual(
      expect.objectContaining({ code, name: null, lists: [], courts: { dishonestDebtors: [], consumptionRestrictions: [] } }),
    );
  });

  it('normalises lower case and refuses invalid codes with the reason', async () => {
    const code = graph.seeded.examples.clean;
    const lower = await graph.graphql('query($c: ID!) { subject(code: $c) { code } }', { c: code.toLowerCase() });
    expect(lower.body.data.subject.code).toBe(code);

    const cases: Array<[string, string]> = [
      [code.slice(0, 17), 'LENGTH'],
      [`${code.slice(0, 5)}I${code.slice(6)}`, 'CHARSET'],
      [`${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`, 'CHECKSUM'],
    ];
    for (const [bad, reason] of cases) {
      const { body } = await graph.graphql('query($c: ID!) { subject(code: $c) { code name } }', { c: bad });
      expect(body.data).toBeNull();
      expect(body.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason }));
    }
  });

  it('answers a batch of 1,000 in the order asked, in one round trip', async () => {
    const codes = PLANNED_CODES.slice(0, 1000).reverse();
    const { body } = await graph.graphql(
      'query($codes: [ID!]!) { subjects(codes: $codes) { code name lists { kind } market { penalties { decisionNumber } } courts { dishonestDebtors { caseNumber } } } }',
      { codes },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.subjects.map((s: { code: string }) => s.code)).toEqual(codes);
  });

  it('refuses a batch over the limit', async () => {
    const codes = Array.from({ length: 1001 }, () => graph.seeded.examples.clean);
    const { body } = await graph.graphql('query($codes: [ID!]!) { subjects(codes: $codes) { code } }', { codes });
    expect(body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0].message).toMatch(/at most 1000/);
  });

  it('pages the public black list with a stable cursor', async () => {
    const query = 'query($after: String) { listEntries(kind: BLACK, first: 5, after: $after) { nodes { code kind since until } endCursor hasNextPage } }';
    const first = await graph.graphql(query, {});
    const page1 = first.body.data.listEntries;
    expect(page1.nodes).toHaveLength(5);
    expect(page1.hasNextPage).toBe(true);
    for (const node of page1.nodes) expect(node.kind).toBe('BLACK');
    const second = await graph.graphql(query, { after: page1.endCursor });
    const page2 = second.body.data.listEntries;
    const seen = new Set(page1.nodes.map((n: { code: string; since: string }) => `${n.code}/${n.since}`));
    for (const node of page2.nodes) expect(seen.has(`${node.code}/${node.since}`)).toBe(false);
    expect(page2.nodes[0].since <= page1.nodes[4].since).toBe(true);
    const bad = await graph.graphql(query, { after: 'not-a-cursor' });
    expect(bad.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('runs a federated query from the playground in a browser, with nothing fetched from off the host', async () => {
    const code = graph.seeded.examples.dishonestDebtor;
    const run = await runQueryInPlayground(
      `${graph.url}/graphql`,
      `{ subject(code: "${code}") { code name courts { dishonestDebtors { caseNumber } } tax { latestRating { level } } } }`,
    );
    const answer = JSON.parse(run.resultText);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.subject.code).toBe(code);
    expect(answer.data.subject.courts.dishonestDebtors.length).toBeGreaterThan(0);
    expect(run.offHostRequests).toEqual([]);
    expect(run.pageErrors).toEqual([]);
  }, 30_000);

  it('serves health, readiness and Prometheus metrics on the gateway and the subgraphs', async () => {
    for (const port of [graph.graph.ports.gateway, graph.graph.ports.market]) {
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    }
    const metrics = await (await fetch(`${graph.url}/metrics`)).text();
    expect(metrics).toMatch(/graphql_operations_total\{operation="Profile",service="gateway"\} \d+/);
    expect(metrics).toMatch(/subgraph_request_duration_seconds_count\{(?=[^}]*subgraph="courts")(?=[^}]*service="gateway")[^}]*\} \d+/);
    expect(metrics).toMatch(/graphql_errors_total\{code="BAD_USER_INPUT",service="gateway"\} \d+/);
    const subgraphMetrics = await (await fetch(`http://127.0.0.1:${graph.graph.ports.market}/metrics`)).text();
    expect(subgraphMetrics).toMatch(/graphql_operation_duration_seconds_bucket\{[^}]*service="subgraph-market"/);
  });

  it('passes its own request id on to the subgraphs, the client\'s kept beside it', async () => {
    const clientId = `e2e-${Date.now()}`;
    const { headers } = await graph.graphql('query($c: ID!) { subject(code: $c) { code } }', { c: 'too-short' }, { 'x-request-id': clientId });
    // The gateway names the request itself (a client's id is a claim, issue 15) and answers the client's beside it.
    const requestId = headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(headers.get('x-client-request-id')).toBe(clientId);
    // The credit subgraph logs the refused input with the id the gateway passed on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fs.readFileSync(path.join(graph.logDir, 'credit.log'), 'utf8')).toContain(requestId);
  });

  it('answers with the other departments when one is down, naming the missing one', async () => {
    await graph.graph.stopService('tax');
    const { status, body } = await graph.graphql(PROFILE, { code: graph.seeded.examples.dishonestDebtor });
    expect(status).toBe(200);
    expect(body.data.subject.tax).toBeNull();
    expect(body.data.subject.courts.dishonestDebtors.length).toBeGreaterThan(0);
    expect(body.data.subject.market.registration).not.toBeNull();
    expect(body.errors).toContainEqual(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'DEPARTMENT_UNAVAILABLE', department: 'TAX' }) }),
    );
    const ready = await fetch(`${graph.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).subgraphs.tax).toMatch(/unreachable/);
  });

  it('times out a department that stops answering, within the per-subgraph timeout', async () => {
    const environment = graph.graph.processes.get('environment')!;
    environment.kill('SIGSTOP');
    try {
      const started = Date.now();
      const { body } = await graph.graphql(PROFILE, { code: graph.seeded.examples.dishonestDebtor });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(body.data.subject.environment).toBeNull();
      expect(body.data.subject.courts).not.toBeNull();
      expect(body.errors).toContainEqual(
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'DEPARTMENT_UNAVAILABLE', department: 'ENVIRONMENT', reason: 'timeout' }),
        }),
      );
    } finally {
      environment.kill('SIGCONT');
    }
  });

  it('drains an in-flight request on SIGTERM before exiting', async () => {
    const environment = graph.graph.processes.get('environment')!;
    environment.kill('SIGSTOP'); // holds the request in flight until the subgraph timeout
    const inFlight = graph.graphql(PROFILE, { code: graph.seeded.examples.dishonestDebtor });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const gateway = graph.graph.processes.get('gateway')!;
    const exit = new Promise<number | null>((resolve) => gateway.once('exit', (code) => resolve(code)));
    gateway.kill('SIGTERM');
    const { status, body } = await inFlight;
    environment.kill('SIGCONT');
    expect(status).toBe(200);
    expect(body.data.subject.code).toBe(graph.seeded.examples.dishonestDebtor);
    expect(await exit).toBe(0);
  });
});
