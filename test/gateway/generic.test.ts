/**
 * The gateway serves any Federation 2 supergraph (in-process: two small
 * subgraphs of another domain on Mercurius, composed here): refused without
 * the access spec unless told `--access open`; without a credit subgraph it
 * says at start-up that API keys are unavailable, refuses them, and accepts
 * bearer tokens; with the access spec linked, field-level authorisation
 * covers interfaces and unions of that graph too.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { SignJWT } from 'jose';
import { gatewayConfig } from '../../lib/config';
import { buildGatewayServer, type GatewayServer } from '../../gateway/server';
import { withPublicPolicies } from '../../scripts/federation-audit/open-policies';
import { compose, post as postTo, startSubgraph, type TestSubgraph } from './federated';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';
const PRODUCTS = `${LINK}
type Query { products: [Product!]! search(text: String!): [Item!]! }
interface Item { id: ID! }
type Product implements Item @key(fields: "id") { id: ID! name: String! price: Float }
type Service implements Item { id: ID! hours: Int }
`;
const REVIEWS = `${LINK}
type Product @key(fields: "id") { id: ID! reviews: [Review!]! }
type Review { body: String! stars: Int }
`;

const PRODUCT_ROWS = [
  { id: 'p1', name: 'Kettle', price: 19.5 },
  { id: 'p2', name: 'Teapot', price: 12 },
];

describe('the gateway on a supergraph of another domain', () => {
  const JWT_SECRET = crypto.randomBytes(32).toString('base64url');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-generic-'));
  let subgraphs: TestSubgraph[] = [];
  let plain: string;
  let withAccess: string;
  let restricted: string;
  const gateways: GatewayServer[] = [];
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));

  beforeAll(async () => {
    process.env.IDENTITY_SIGNING_KEY = crypto.randomBytes(32).toString('base64url');
    process.env.JWT_SECRET = JWT_SECRET;
    process.env.DATA_DIR = path.join(workDir, 'data');
    const products = await startSubgraph('products', PRODUCTS, {
      Query: {
        products: () => PRODUCT_ROWS,
        search: () => [{ __typename: 'Product', ...PRODUCT_ROWS[0] }, { __typename: 'Service', id: 's1', hours: 2 }],
      },
      Item: { __resolveType: (item: { __typename: string }) => item.__typename },
      Product: { __resolveReference: ({ id }: { id: string }) => PRODUCT_ROWS.find((p) => p.id === id) },
    });
    const reviews = await startSubgraph('reviews', REVIEWS, {
      Product: { __resolveReference: ({ id }: { id: string }) => ({ id, reviews: [{ body: `good ${id}`, stars: 4 }] }) },
    });
    subgraphs = [products, reviews];
    const supergraphSdl = compose([products, reviews]);
    plain = path.join(workDir, 'supergraph.graphql');
    fs.writeFileSync(plain, supergraphSdl);
    withAccess = path.join(workDir, 'supergraph.access.graphql');
    fs.writeFileSync(withAccess, withPublicPolicies(supergraphSdl));
    // The same graph with fields only the records scope may read, on an entity, a type another subgraph owns, and an interface member.
    restricted = path.join(workDir, 'supergraph.restricted.graphql');
    fs.writeFileSync(
      restricted,
      withPublicPolicies(supergraphSdl)
        .replace(/(\n  price: Float)/, '$1 @access(scopes: ["records"])')
        .replace(/(\n  stars: Int)/, '$1 @access(scopes: ["records"])')
        .replace(/(\n  hours: Int)/, '$1 @access(scopes: ["records"])'),
    );
  }, 30_000);
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    for (const { app } of subgraphs) await app.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  async function start(argv: string[]): Promise<GatewayServer> {
    const server = await buildGatewayServer(gatewayConfig({ CACHE: 'on' }, argv), logger);
    gateways.push(server);
    await server.app.ready();
    return server;
  }
  const post = (server: GatewayServer, query: string, headers: Record<string, string> = {}) => postTo(server, query, { headers });

  it('refuses a supergraph that does not link the access spec, saying how to serve it anyway', async () => {
    await expect(buildGatewayServer(gatewayConfig({}, ['--supergraph', plain]), logger)).rejects.toThrow(/does not link the access spec.*--access open/);
  });

  it('reads the switch from --access or ACCESS, the flag winning, and refuses anything else', () => {
    expect(gatewayConfig({}).access).toBe('enforce');
    expect(gatewayConfig({ ACCESS: 'open' }).access).toBe('open');
    expect(gatewayConfig({ ACCESS: 'open' }, ['--access', 'enforce']).access).toBe('enforce');
    expect(() => gatewayConfig({ ACCESS: 'off' })).toThrow(/ACCESS \(or --access\) must be 'enforce' or 'open', got 'off'/);
  });

  it('serves it with --access open, says API keys are unavailable, refuses them and accepts bearer tokens', async () => {
    const server = await start(['--supergraph', plain, '--access', 'open']);
    expect(logLines.join('')).toMatch(/field-level authorisation is OFF/);
    expect(logLines.join('')).toMatch(/no register of API clients: API keys are unavailable \(an X-Api-Key is refused as such\), bearer tokens are verified as usual/);
    expect(server.capabilities).toEqual({
      fieldAccess: 'off (--access open)',
      apiKeys: 'unavailable (no credit subgraph)',
      bearerTokens: 'verified',
      cache: 'in-process',
      audit: 'off (no credit subgraph)',
    });
    const federated = await post(server, '{ products { name reviews { body } } }');
    expect(federated.body).toEqual({ data: { products: [{ name: 'Kettle', reviews: [{ body: 'good p1' }] }, { name: 'Teapot', reviews: [{ body: 'good p2' }] }] } });
    const key = await post(server, '{ products { name } }', { 'x-api-key': 'cgk_x' });
    expect(key.status).toBe(401);
    expect(key.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'API_KEYS_UNAVAILABLE' });
    const token = await new SignJWT({ role: 'DEVELOPER' }).setProtectedHeader({ alg: 'HS256' }).setSubject('dev-1').setExpirationTime('5m').sign(Buffer.from(JWT_SECRET));
    const bearer = await post(server, '{ __schema { types { name } } }', { authorization: `Bearer ${token}`, 'x-purpose': 'docs' });
    expect(bearer.status).toBe(200);
    expect(bearer.body.data.__schema.types.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['Product', 'Item', 'Review']));
    const invalid = await post(server, '{ products { nmae } }');
    expect(invalid.body.errors[0]).toEqual(expect.objectContaining({ message: 'Cannot query field "nmae" on type "Product". Did you mean "name"?', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  });

  it('forbids fields across subgraphs and inside interface values without asking the wrong subgraph or failing the rest', async () => {
    const server = await start(['--supergraph', restricted]);
    const answer = await post(server, '{ search(text: "k") { id ... on Product { name price reviews { stars body } } ... on Service { hours } } products { ...Priced } } fragment Priced on Product { price }');
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({
      search: [{ id: 'p1', name: 'Kettle', price: null, reviews: [{ stars: null, body: 'good p1' }] }, { id: 's1', hours: null }],
      products: [{ price: null }, { price: null }],
    });
    expect(answer.body.errors.map((e: { path: (string | number)[]; extensions: { code: string } }) => [e.path.join('.'), e.extensions.code])).toEqual([
      ['search.0.price', 'FORBIDDEN'],
      ['search.0.reviews.0.stars', 'FORBIDDEN'],
      ['search.1.hours', 'FORBIDDEN'],
      ['products.0.price', 'FORBIDDEN'],
      ['products.1.price', 'FORBIDDEN'],
    ]);
    expect(JSON.stringify(answer.body)).not.toMatch(/__cg|internal error/);
  });

  it('enforces the policies of a supergraph that links the access spec, interfaces included', async () => {
    const server = await start(['--supergraph', withAccess]);
    const answer = await post(server, '{ search(text: "k") { id ... on Product { name reviews { stars } } ... on Service { hours } } }');
    expect(answer.body).toEqual({ data: { search: [{ id: 'p1', name: 'Kettle', reviews: [{ stars: 4 }] }, { id: 's1', hours: 2 }] } });
  });
});
