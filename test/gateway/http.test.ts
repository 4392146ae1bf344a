/**
 * GraphQL over HTTP at the gateway, in-process on a small federated graph:
 * GET with a `query` parameter executes a query through the same pipeline as
 * a POST (a mutation is refused with 405); only a browser's page load (no
 * query, HTML accepted) gets the playground, or in production a page saying
 * how to call the API; a batch and a persisted query's bare hash get
 * answers that say what they are.
 */
import { compose, OurGateways, startSubgraph, type TestSubgraph } from './federated';
import type { GatewayServer } from '../../gateway/server';

const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { products: [Product!]! }
type Mutation { addProduct(name: String!): Product! }
type Product @key(fields: "id") { id: ID! name: String }`;

describe('GraphQL over HTTP', () => {
  const ours = new OurGateways();
  let products: TestSubgraph;
  let supergraph: string;
  let added = 0;
  beforeAll(async () => {
    products = await startSubgraph('products', SDL, {
      Query: { products: () => [{ id: 'p1', name: 'Kettle' }] },
      Mutation: { addProduct: (_: unknown, { name }: { name: string }) => ({ id: `p${++added + 1}`, name }) },
    });
    supergraph = compose([products]);
  });
  afterAll(async () => {
    await ours.close();
    await products.app.close();
  });

  const get = (server: GatewayServer, url: string, accept = 'application/json') => server.app.inject({ method: 'GET', url, headers: { accept } });
  const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  describe('in development', () => {
    let server: GatewayServer;
    beforeAll(async () => {
      server = await ours.start(supergraph);
    });

    it('executes a GET query, variables and operation name from the query string, and gives a browser the playground only on a page load', async () => {
      const answer = await get(server, `/graphql?query=${encodeURIComponent('query P($n: Boolean!) { products { id name @include(if: $n) } }')}&variables=${encodeURIComponent('{"n":true}')}&operationName=P`);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ data: { products: [{ id: 'p1', name: 'Kettle' }] } });
      // A browser following a link with a query executes it too.
      const linked = await get(server, `/graphql?query=${encodeURIComponent('{ products { id } }')}`, browser);
      expect(linked.json()).toEqual({ data: { products: [{ id: 'p1' }] } });
      const page = await get(server, '/graphql', browser);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toMatch(/graphiql\.min\.js/);
      const bare = await get(server, '/graphql');
      expect(bare.statusCode).toBe(400);
      expect(bare.json().errors[0]).toEqual({ message: 'a GET must carry a non-empty `query` parameter', extensions: { code: 'BAD_REQUEST' } });
    });

    it('refuses a mutation sent with GET (405, nothing written), and runs it with POST', async () => {
      const refused = await get(server, `/graphql?query=${encodeURIComponent('mutation { addProduct(name: "Teapot") { id } }')}`);
      expect(refused.statusCode).toBe(405);
      expect(refused.headers.allow).toBe('POST');
      expect(added).toBe(0);
      const posted = await server.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: 'mutation { addProduct(name: "Teapot") { id name } }' } });
      expect(posted.json()).toEqual({ data: { addProduct: { id: 'p2', name: 'Teapot' } } });
      expect(added).toBe(1);
    });

    it('says a batch is not supported and a bare persisted-query hash is not found', async () => {
      const batch = await server.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: JSON.stringify([{ query: '{ products { id } }' }, { query: '{ products { name } }' }]) });
      expect(batch.statusCode).toBe(400);
      expect(batch.json().errors[0].message).toMatch(/^batched requests \(a JSON array of operations\) are not supported/);
      const hashOnly = await server.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } } });
      expect(hashOnly.statusCode).toBe(200);
      expect(hashOnly.json()).toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
      const byGet = await get(server, `/graphql?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } }))}`);
      expect(byGet.json().errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });
  });

  describe('in production', () => {
    let server: GatewayServer;
    beforeAll(async () => {
      server = await ours.start(supergraph, { env: { NODE_ENV: 'production' } });
    });

    it('gives a browser a page saying the playground is not served and how to call the API, and executes GET queries', async () => {
      const page = await get(server, '/graphql', browser);
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/The playground is not served in production/);
      expect(page.body).toMatch(/GET \(\?query=\.\.\./);
      expect(page.body).not.toMatch(/<script/);
      const answer = await get(server, `/graphql?query=${encodeURIComponent('{ products { id } }')}`, browser);
      expect(answer.json()).toEqual({ data: { products: [{ id: 'p1' }] } });
    });
  });
});
