/**
 * The gateway's caches end to end, every service a real process, against real
 * Redis: hits are the bytes of the miss, a partial batch fetches only what is
 * missing, credit checks are never cached (the departments' evidence is), concurrent misses make one fetch,
 * a write through one gateway is seen at once through another sharing the
 * Redis, scope is part of every key, and a Redis killed mid-run costs
 * nothing but the cache.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { waitUntilReady } from '../../scripts/graph-processes';
import { ROOT_DIR } from '../../lib/config';
import { DEPARTMENTS } from '../../lib/departments';
import { entityKey } from '../../gateway/cache/entity-cache';
import { responseKey } from '../../gateway/cache/response-cache';
import { scopeOf } from '../../gateway/context';
import { createPlan } from '../../scripts/seed/plan';
import { startTestGraph, type TestGraph } from '../helpers/graph';
import { todayInChina } from '../../lib/clock';
import { freePorts } from '../helpers/ports';

const SUBJECTS = 300;
const CODES = createPlan({ subjects: SUBJECTS, seed: 7 }).subjects.map((subject) => subject.code);
// Database 3 of the shared Redis: flushed here, used by no other suite.
const REDIS_URL = 'redis://127.0.0.1:6379/3';

const PROFILE = `query CacheProfile($code: ID!) {
  subject(code: $code) {
    code name kind
    lists { kind department reason sourceRecord since until }
    market { registration { name status } penalties { decisionNumber } }
    tax { latestRating { year level } }
    courts { dishonestDebtors { caseNumber removedOn } }
    environment { latestRating { level } }
  }
}`;

const MARKET_OF = `query MarketOf($codes: [ID!]!) { subjects(codes: $codes) { code market { registration { name status } } } }`;

interface Gateway {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Another gateway process over the same subgraphs, with its own environment. */
async function startGateway(graph: TestGraph, env: NodeJS.ProcessEnv, name: string): Promise<Gateway> {
  const [port] = await freePorts(1);
  const args = ['--import', 'tsx', 'gateway/main.ts', '--port', String(port)];
  for (const d of DEPARTMENTS) args.push('--subgraph', `${d.name}=http://127.0.0.1:${graph.graph.ports[d.name]}/graphql`);
  const { NODE_OPTIONS: _n, ...parentEnv } = process.env;
  const log = fs.openSync(path.join(graph.logDir, `${name}.log`), 'a');
  const child = spawn(process.execPath, args, { cwd: ROOT_DIR, env: { ...parentEnv, LOG_LEVEL: 'info', IDENTITY_SIGNING_KEY: graph.graph.identitySigningKey, ...env }, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  await waitUntilReady(`http://127.0.0.1:${port}/readyz`, child, 60_000);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Who the suite asks as: the credit office (checks and list publication need it), set once the graph is up. */
let callerHeaders: Record<string, string> = {};

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...callerHeaders }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text), cache: response.headers.get('x-cache') };
}

/** Sum of a Prometheus series' samples whose labels include all of `labels`. */
async function metric(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) sum += Number(line.split(' ').pop());
  }
  return sum;
}

const subgraphRequests = (url: string, subgraph: string) => metric(url, 'subgraph_request_duration_seconds_count', { subgraph });

describe('the gateway cache', () => {
  let graph: TestGraph;
  let other: Gateway;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    await redis.flushdb();
    graph = await startTestGraph({ subjects: SUBJECTS, env: { REDIS_URL } });
    callerHeaders = graph.as('CREDIT_OFFICE');
    other = await startGateway(graph, { REDIS_URL }, 'gateway-b');
  }, 180_000);
  afterAll(async () => {
    await other?.stop();
    await graph?.close();
    redis.disconnect();
  });

  it('answers a repeated query from the response cache with the same bytes', async () => {
    const code = graph.seeded.examples.dishonestDebtor;
    const miss = await post(graph.url, PROFILE, { code });
    expect(miss.body.errors).toBeUndefined();
    expect(miss.cache).toBe('MISS');
    const before = await subgraphRequests(graph.url, 'market');
    const hit = await post(graph.url, PROFILE, { code });
    expect(hit.cache).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    expect(await subgraphRequests(graph.url, 'market')).toBe(before);
    // The other gateway finds it in Redis.
    const shared = await post(other.url, PROFILE, { code });
    expect(shared.cache).toBe('HIT');
    expect(shared.text).toBe(miss.text);
  });

  it('fetches only the missing entities of a partly cached batch, in one request per subgraph', async () => {
    const [a, b, c, d] = CODES.slice(10, 14) as [string, string, string, string];
    const first = await post(graph.url, MARKET_OF, { codes: [a, b] });
    expect(first.body.errors).toBeUndefined();
    const requests = await subgraphRequests(graph.url, 'market');
    const hits = await metric(graph.url, 'cache_requests_total', { cache: 'entity', result: 'hit' });
    const batch = await post(graph.url, MARKET_OF, { codes: [c, a, d, b] });
    expect(batch.body.errors).toBeUndefined();
    expect(batch.body.data.subjects.map((s: { code: string }) => s.code)).toEqual([c, a, d, b]);
    expect(batch.body.data.subjects[1]).toEqual(first.body.data.subjects[0]);
    expect(batch.body.data.subjects[3]).toEqual(first.body.data.subjects[1]);
    expect(await subgraphRequests(graph.url, 'market')).toBe(requests + 1);
    expect(await metric(graph.url, 'cache_requests_total', { cache: 'entity', result: 'hit' })).toBe(hits + 2);
    // Fully cached now: no market request at all, whatever the order or operation.
    const again = await post(graph.url, MARKET_OF.replace('MarketOf', 'MarketAgain'), { codes: [d, c, b, a] });
    expect(again.body.data.subjects.map((s: { code: string }) => s.code)).toEqual([d, c, b, a]);
    expect(await subgraphRequests(graph.url, 'market')).toBe(requests + 1);
  });

  it('never serves a credit check from a cache: each check is recorded, from the departments’ evidence cached like any entity', async () => {
    const query = 'query($code: ID!) { creditCheck(code: $code, scenario: ADMINISTRATIVE_LICENSING) { checkId verdict measures { code } } }';
    const code = graph.seeded.examples.dishonestDebtor;
    const departments = ['market', 'tax', 'courts', 'environment'];
    const asked = async () => Promise.all([...departments, 'credit'].map((name) => subgraphRequests(graph.url, name)));
    const start = await asked();
    const one = await post(graph.url, query, { code });
    const afterOne = await asked();
    const two = await post(graph.url, query, { code });
    const afterTwo = await asked();
    expect(one.body.errors).toBeUndefined();
    expect(one.cache).toBeNull();
    expect(two.body.data.creditCheck.checkId).not.toBe(one.body.data.creditCheck.checkId);
    expect(two.body.data.creditCheck.verdict).toBe(one.body.data.creditCheck.verdict);
    expect(two.body.data.creditCheck.measures).toEqual(one.body.data.creditCheck.measures);
    // The first check asked every department; the second none of them, but the credit office (which records and decides it) again.
    expect(afterOne.slice(0, 4).map((n, i) => n - start[i]!)).toEqual([1, 1, 1, 1]);
    expect(afterTwo.slice(0, 4)).toEqual(afterOne.slice(0, 4));
    expect(afterTwo[4]! - afterOne[4]!).toBe(afterOne[4]! - start[4]!);
    // Both checks are on record.
    const record = await post(graph.url, 'query($id: ID!) { creditCheckRecord(checkId: $id) { checkId verdict } }', { id: two.body.data.creditCheck.checkId });
    expect(record.body.data.creditCheckRecord).toEqual({ checkId: two.body.data.creditCheck.checkId, verdict: two.body.data.creditCheck.verdict });
  });

  it('makes one subgraph fetch for concurrent misses of the same entity', async () => {
    const code = CODES[20]!;
    const before = await subgraphRequests(graph.url, 'tax');
    // Different operations (no response-cache or in-flight merging of identical bodies), same entity selection.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) => post(graph.url, `query Concurrent${n}($code: ID!) { subject(code: $code) { tax { latestRating { year level } } } }`, { code })),
    );
    for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
    expect(answers[0]!.body.errors).toBeUndefined();
    expect(await subgraphRequests(graph.url, 'tax')).toBe(before + 1);
  });

  it('shows a write through one gateway at once through another sharing the Redis', async () => {
    // A determination in force on the public key-attention list; the write is an objection to its record, which
    // marks the entry disputed (a list entry cannot be ended while its record stands: publication.ts).
    const listed = await post(other.url, '{ listEntries(kind: KEY_ATTENTION, first: 1) { nodes { code department sourceRecord } } }');
    const { code, department, sourceRecord } = listed.body.data.listEntries.nodes[0];
    const read = 'query ListsOf($code: ID!) { subject(code: $code) { code lists { kind sourceRecord dispute { verifyBy } } } }';
    const before = await post(other.url, read, { code });
    expect(before.body.data.subject.lists).toContainEqual({ kind: 'KEY_ATTENTION', sourceRecord, dispute: null });
    expect((await post(other.url, read, { code })).cache).toBe('HIT');
    // Warm the entity cache of both gateways too (a different operation selecting lists through an entity fetch).
    const viaEntities = `query ListsAndName($code: ID!) { subject(code: $code) { name lists { kind sourceRecord dispute { verifyBy } } } }`;
    await post(other.url, viaEntities, { code });
    const write = await post(
      graph.url,
      'mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id verifyBy } }',
      { input: { subjectCode: code, department, recordId: sourceRecord, reason: '记录有误', idempotencyKey: `cache-${sourceRecord}` } },
    );
    expect(write.body.errors).toBeUndefined();
    const { verifyBy } = write.body.data.fileObjection;
    const after = await post(other.url, read, { code });
    expect(after.cache).toBe('MISS');
    expect(after.body.data.subject.lists).toContainEqual({ kind: 'KEY_ATTENTION', sourceRecord, dispute: { verifyBy } });
    expect(after.body.data.subject.lists.length).toBe(before.body.data.subject.lists.length);
    const entities = await post(other.url, viaEntities, { code });
    expect(entities.body.data.subject.lists).toContainEqual({ kind: 'KEY_ATTENTION', sourceRecord, dispute: { verifyBy } });
  });

  it('reports cache metrics on /metrics', async () => {
    expect(await metric(graph.url, 'cache_requests_total', { cache: 'response', layer: 'l1', result: 'hit' })).toBeGreaterThan(0);
    expect(await metric(graph.url, 'cache_requests_total', { cache: 'entity', layer: 'l2', result: 'miss' })).toBeGreaterThan(0);
    expect(await metric(graph.url, 'cache_operation_duration_seconds_count', { operation: 'lookup' })).toBeGreaterThan(0);
  });

  it('serves correct answers while its Redis is down, and uses the cache again once Redis is back', async () => {
    const [port] = await freePorts(1);
    const startRedis = async () => {
      const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
      const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 50 });
      await probe.connect().catch(() => undefined);
      await probe.ping();
      probe.disconnect();
      return server;
    };
    let server = await startRedis();
    const gateway = await startGateway(graph, { REDIS_URL: `redis://127.0.0.1:${port}` }, 'gateway-outage');
    try {
      const code = graph.seeded.examples.redList;
      const reference = await post(graph.url, PROFILE, { code });
      expect(reference.body.errors).toBeUndefined();
      expect((await post(gateway.url, PROFILE, { code })).text).toBe(reference.text);
      expect((await post(gateway.url, PROFILE, { code })).cache).toBe('HIT');

      const stopped = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGKILL');
      await stopped;
      // Until the gateway notices the closed socket an L1 hit may still be served (still correct);
      // from then on every request is answered uncached, and answered right.
      let uncached = 0;
      for (let n = 0; n < 40 && uncached < 3; n++) {
        const answer = await post(gateway.url, PROFILE, { code });
        expect(answer.status).toBe(200);
        expect(answer.text).toBe(reference.text);
        if (answer.cache === null) uncached++;
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(uncached).toBe(3);
      expect(await metric(gateway.url, 'cache_errors_total')).toBeGreaterThan(0);

      server = await startRedis();
      // ioredis reconnects by itself (backoff up to 1 s); then the cache works again.
      let cached = false;
      for (let n = 0; n < 40 && !cached; n++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const answer = await post(gateway.url, PROFILE, { code });
        expect(answer.text).toBe(reference.text);
        cached = answer.cache === 'HIT';
      }
      expect(cached).toBe(true);
    } finally {
      await gateway.stop();
      server.kill('SIGKILL');
    }
  }, 60_000);
});

describe('the authorisation scope', () => {
  it('is part of every cache key', () => {
    expect(scopeOf({})).toBe('PUBLIC');
    const bank = (clientId: string) => ({ auth: { caller: { clientId, name: 'bank', role: 'FINANCIAL_INSTITUTION' as const, scopes: ['public', 'checks', 'tax:detail'] as const, via: 'api-key' as const } } });
    // A bank's answers depend on which subjects authorised that bank: its client is part of the scope.
    expect(scopeOf(bank('cli_a'))).not.toBe(scopeOf(bank('cli_b')));
    // A department's client reads its own department's objections and repair applications: its department is part of the scope.
    const clerk = (department: string) => ({ auth: { caller: { clientId: `cli_${department}`, name: 'clerk', role: 'DEPARTMENT' as const, scopes: ['public', 'records', 'personal', 'workflows'] as const, via: 'api-key' as const, department } } });
    expect(scopeOf(clerk('MARKET'))).not.toBe(scopeOf(clerk('COURTS')));
    const representation = { __typename: 'Subject', code: '91110105MA0000YY08' };
    const query = 'query X__market__1($representations:[_Any!]!){_entities(representations:$representations){...on Subject{name}}}';
    expect(entityKey('market', representation, query, 'PUBLIC')).not.toBe(entityKey('market', representation, query, 'CREDIT_OFFICE'));
    expect(responseKey('{ subject(code: "x") { name } }', null, {}, 'PUBLIC')).not.toBe(responseKey('{ subject(code: "x") { name } }', null, {}, 'BANK'));
    // The generated operation name is not part of an entity key; the selection is.
    expect(entityKey('market', representation, query, 'PUBLIC')).toBe(entityKey('market', representation, query.replace('X__market__1', 'Y__market__7'), 'PUBLIC'));
  });
});
