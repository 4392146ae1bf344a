/**
 * The subgraph chain (gateway/fetch/) against the real market subgraph
 * (in-process, on PostgreSQL) and real sockets: the caller's identity signed
 * so the subgraph answers, the request id passed on, a silent or refusing
 * department turned into DEPARTMENT_UNAVAILABLE within the timeout, identical
 * calls merged, entities answered from the cache, and a write's
 * invalidations applied before the answer returns.
 */
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { buildUscc } from '../../../lib/identifiers';
import { createLogger, REQUEST_ID_HEADER } from '../../../lib/logger';
import { IDENTITY_HEADER, verifyIdentity } from '../../../lib/auth/identity-header';
import { PUBLIC_IDENTITY } from '../../../lib/auth/credentials';
import { generationsToBump } from '../../../lib/invalidation';
import { SUPERGRAPH_PATH } from '../../../gateway/compose';
import { CachePolicy } from '../../../gateway/cache/policy';
import { CacheStore, createCacheMetrics } from '../../../gateway/cache/store';
import { EntityCache } from '../../../gateway/cache/entity-cache';
import { composeLinks, type SubgraphCall } from '../../../gateway/fetch/chain';
import { createHttpSender } from '../../../gateway/fetch/http';
import { identityLink } from '../../../gateway/fetch/identity';
import { requestIdLink } from '../../../gateway/fetch/request-id';
import { timeoutLink } from '../../../gateway/fetch/timeout';
import { createSubgraphMetrics, metricsLink } from '../../../gateway/fetch/metrics';
import { departmentUnavailableLink } from '../../../gateway/fetch/department-unavailable';
import { invalidationLink } from '../../../gateway/fetch/invalidation';
import { inFlightLink } from '../../../gateway/fetch/in-flight';
import { entityCacheLink } from '../../../gateway/fetch/entity-cache';
import { marketSubgraph } from '../../../subgraphs/market';
import { startSubgraph, type SubgraphUnderTest } from '../../helpers/subgraph';

const code = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '330106', organisationBody: String(71000000 + n) });
const ENTITIES = 'query Profile__market__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on Subject { market { registration { name } } } } }';
// Long enough for a real subgraph on a loaded machine (CI shares its cores), short enough to wait out.
const TIMEOUT_MS = 2000;

describe('the subgraph chain', () => {
  let market: SubgraphUnderTest;
  let url: string;
  const http = createHttpSender();
  const policy = new CachePolicy(fs.readFileSync(SUPERGRAPH_PATH, 'utf8'));
  const logger = createLogger('chain-test', 'silent');
  const store = new CacheStore({ metrics: createCacheMetrics(new Registry()), logger });
  const context = { requestId: 'req-chain-1', caller: PUBLIC_IDENTITY, purpose: null, scope: 'PUBLIC' };
  const entityCall = (codes: string[], subgraphUrl = url): SubgraphCall => ({
    subgraph: 'market',
    url: subgraphUrl,
    query: ENTITIES,
    variables: { representations: codes.map((c) => ({ __typename: 'Subject', code: c })) },
    headers: {},
    context,
  });

  beforeAll(async () => {
    market = await startSubgraph(marketSubgraph);
    await market.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(market.app.server.address() as AddressInfo).port}/graphql`;
  }, 60_000);
  afterAll(async () => {
    await http.close();
    await store.close();
    await market?.close();
  });

  /** The full chain as server.ts builds it, with its own metrics. */
  function fullChain() {
    const metrics = createSubgraphMetrics(new Registry());
    const invalidated: string[][] = [];
    const fetch = composeLinks(
      [
        entityCacheLink(new EntityCache(store, policy)),
        inFlightLink(policy),
        departmentUnavailableLink(TIMEOUT_MS),
        invalidationLink(async (codes) => {
          invalidated.push(codes);
          await store.invalidate(generationsToBump(codes));
        }),
        metricsLink(metrics),
        requestIdLink(),
        identityLink(market.identityKey),
        timeoutLink(TIMEOUT_MS),
      ],
      http.send,
    );
    const requests = async () => (await metrics.duration.get()).values.find((v) => v.metricName === 'subgraph_request_duration_seconds_count')?.value ?? 0;
    return { fetch, requests, metrics, invalidated };
  }

  it('signs the caller and passes the request id, so the subgraph answers only through the gateway', async () => {
    const seen: SubgraphCall[] = [];
    const headersOf = composeLinks([requestIdLink(), identityLink(market.identityKey)], async (call) => (seen.push(call), { data: {} }));
    await headersOf(entityCall([code(1)]));
    expect(seen[0]!.headers[REQUEST_ID_HEADER]).toBe('req-chain-1');
    const sent = seen[0]!;
    const identity = verifyIdentity(sent.headers[IDENTITY_HEADER], market.identityKey, { audience: 'market', method: 'POST', target: new URL(sent.url).pathname, body: sent.body! });
    expect(identity).toEqual({ valid: true, identity: expect.objectContaining({ role: 'PUBLIC', requestId: 'req-chain-1' }) });

    const { fetch } = fullChain();
    const answer = await fetch(entityCall([code(1)]));
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toHaveLength(1);
    // Without the identity link the subgraph refuses: the department is reported unavailable.
    const unsigned = composeLinks([departmentUnavailableLink(TIMEOUT_MS)], http.send);
    const refused = await unsigned(entityCall([code(1)]));
    expect(refused.errors![0]!.extensions).toEqual(expect.objectContaining({ code: 'DEPARTMENT_UNAVAILABLE', department: 'MARKET', reason: 'http_401' }));
  });

  it('reports a department that does not answer within the timeout, or refuses connections, with its entities still resolved', async () => {
    const silent = net.createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise((resolve) => closed.close(resolve));
    try {
      const { fetch, metrics } = fullChain();
      const started = Date.now();
      const timedOut = await fetch(entityCall([code(2), code(3)], silentUrl));
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 5);
      // No __typename: the gateway keeps the entity's own (an @interfaceObject's representation names the interface).
      expect(timedOut.data!._entities).toEqual([{ market: null }, { market: null }]);
      expect(timedOut.errors![0]!.message).toBe(`department MARKET did not answer: no answer within ${TIMEOUT_MS} ms`);
      const refused = await fetch(entityCall([code(4)], closedUrl));
      expect(refused.errors![0]!.extensions).toEqual(expect.objectContaining({ code: 'DEPARTMENT_UNAVAILABLE', reason: 'econnrefused' }));
      // Said by kind: the socket's own words would name the subgraph's address.
      expect(refused.errors![0]!.message).toBe('department MARKET did not answer: the connection was refused');
      const failures = (await metrics.failures.get()).values.map((v) => [v.labels.reason, v.value]);
      expect(failures).toEqual(expect.arrayContaining([['timeout', 1], ['econnrefused', 1]]));
    } finally {
      silent.close();
    }
  });

  it('merges identical calls in flight and answers repeated entities from the cache', async () => {
    const { fetch, requests } = fullChain();
    const [a, b] = await Promise.all([fetch(entityCall([code(5)])), fetch(entityCall([code(5)]))]);
    expect(a).toEqual(b);
    expect(a.data).not.toBe(b.data); // each caller its own copy
    expect(await requests()).toBe(1);
    // code(5) is cached now: a batch with one new code asks the subgraph for that one only.
    const batch = await fetch(entityCall([code(5), code(6)]));
    expect(batch.data!._entities).toHaveLength(2);
    expect(await requests()).toBe(2);
    await fetch(entityCall([code(6), code(5)]));
    expect(await requests()).toBe(2);
  });

  it('applies the subjects a write reports as changed before answering: the next read goes to the department', async () => {
    const { fetch, requests, invalidated } = fullChain();
    await fetch(entityCall([code(7)]));
    await fetch(entityCall([code(7)]));
    expect(await requests()).toBe(1);
    // A write that reports code(7) as changed, as a subgraph's mutation does (lib/invalidation.ts).
    const write = composeLinks([invalidationLink(async (codes) => void (await store.invalidate(generationsToBump(codes)), invalidated.push(codes)))], async () => ({
      data: { recordPenalty: { id: '1' } },
      extensions: { invalidatedSubjects: [code(7)] },
    }));
    await write({ ...entityCall([]), query: 'mutation { recordPenalty { id } }' });
    expect(invalidated).toEqual([[code(7)]]);
    await fetch(entityCall([code(7)]));
    expect(await requests()).toBe(2);
  });
});
