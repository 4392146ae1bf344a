/**
 * Field access on interfaces and unions of a federated graph, in-process:
 * a field selected on an interface is decided per value by its runtime type
 * (`Node.id`: the ids of the types the caller may see), the answer keeps the
 * client's field order with forbidden fields in place, and the gateway's
 * reserved response keys cannot be forged or hidden by a client's aliases.
 */
import crypto from 'node:crypto';
import { SignJWT } from 'jose';
import { compose, OurGateways, post, startSubgraph, type TestSubgraph } from './federated';
import type { GatewayServer } from '../../gateway/server';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const DIRECTORY = `${LINK}
type Query { nodes: [Node]! node(id: ID!): Node hits: [Hit]! }
interface Node { id: ID! label: String }
type Person implements Node @key(fields: "id") { id: ID! label: String phone: String }
type Court implements Node @key(fields: "id") { id: ID! label: String seat: String }
union Hit = Person | Court
`;
// A court's name is "Person": a client alias that could pass for the runtime type would make it one.
const ROWS = [
  { __typename: 'Person', id: 'p1', label: 'Ann', phone: '555' },
  { __typename: 'Court', id: 'c1', label: 'Person', seat: 'Beijing' },
];

describe('field access on interfaces and unions, per runtime type', () => {
  const JWT_SECRET = crypto.randomBytes(32).toString('base64url');
  const ours = new OurGateways();
  let directory: TestSubgraph;
  let server: GatewayServer;
  let records: Record<string, string>;

  beforeAll(async () => {
    process.env.JWT_SECRET = JWT_SECRET;
    directory = await startSubgraph('directory', DIRECTORY, {
      Query: { nodes: () => ROWS, node: (_: unknown, { id }: { id: string }) => ROWS.find((row) => row.id === id) ?? null, hits: () => ROWS },
      Node: { __resolveType: (row: { __typename: string }) => row.__typename },
      Hit: { __resolveType: (row: { __typename: string }) => row.__typename },
    });
    // A person's id and phone are for the records scope; a court's are public.
    const sdl = compose([directory])
      .replace(/(type Person[^{]*\{[^}]*\n  id: ID!)/, '$1 @access(scopes: ["records"])')
      .replace(/(type Person[^{]*\{[^}]*\n  phone: String)/, '$1 @access(scopes: ["records"])');
    server = await ours.start(sdl);
    const token = await new SignJWT({ role: 'APPROVAL_SYSTEM' }).setProtectedHeader({ alg: 'HS256' }).setSubject('approvals').setExpirationTime('5m').sign(Buffer.from(JWT_SECRET));
    records = { authorization: `Bearer ${token}`, 'x-purpose': 'interfaces test' };
  });
  afterAll(async () => {
    await ours.close();
    await directory.app.close();
  });

  it('answers Node.id for the types the caller may see, and FORBIDDEN with the runtime type for the others', async () => {
    const { status, body } = await post(server, '{ nodes { id label } }');
    expect(status).toBe(200);
    // Node.id is non-null: the person's node becomes null, as GraphQL propagates it; the court's id is there.
    expect(body.data).toEqual({ nodes: [null, { id: 'c1', label: 'Person' }] });
    expect(body.errors.map((e: { path: unknown; extensions: { field: string } }) => [e.path, e.extensions.field])).toEqual([[['nodes', 0, 'id'], 'Person.id']]);
  });

  it('reads them all with the scope, and a single node by its runtime type', async () => {
    const all = await post(server, '{ nodes { id label } }', { headers: records });
    expect(all.body).toEqual({ data: { nodes: [{ id: 'p1', label: 'Ann' }, { id: 'c1', label: 'Person' }] } });
    const court = await post(server, '{ node(id: "c1") { id ... on Court { seat } } }');
    expect(court.body).toEqual({ data: { node: { id: 'c1', seat: 'Beijing' } } });
  });

  it('keeps the client’s field order with a forbidden field in place', async () => {
    const { text } = await post(server, '{ nodes { ... on Person { phone label } ... on Court { seat label } } }');
    expect(JSON.parse(text).errors.map((e: { path: unknown }) => e.path)).toEqual([['nodes', 0, 'phone']]);
    expect(JSON.stringify(JSON.parse(text).data)).toBe(JSON.stringify({ nodes: [{ phone: null, label: 'Ann' }, { seat: 'Beijing', label: 'Person' }] }));
  });

  it('cannot be made to take a client’s alias for its own keys: runtime type, placeholder, old or new names', async () => {
    // (`__typename: label` is left out: stock Apollo Gateway's own planner takes it for the runtime type.)
    for (const alias of ['__cgType', '__cgTypename', '__cg_Type', '__cgForbiddenPlaceholder']) {
      const { body } = await post(server, `{ hits: nodes { ${alias}: label ... on Person { phone } ... on Court { seat } } }`);
      expect({ alias, data: body.data }).toEqual({ alias, data: { hits: [{ [alias]: 'Ann', phone: null }, { [alias]: 'Person', seat: 'Beijing' }] } });
      expect(body.errors.map((e: { path: unknown }) => e.path)).toEqual([['hits', 0, 'phone']]);
    }
    const emptied = await post(server, '{ hits: nodes { ... on Person { __cgEmpty: label phone } } node(id: "p1") { ... on Person { phone } } }');
    expect(emptied.body.data).toEqual({ hits: [{ __cgEmpty: 'Ann', phone: null }, {}], node: { phone: null } });
  });
});
