/**
 * gateway/execution.ts on small federated graphs of another domain,
 * in-process, against stock Apollo Gateway where stock is the reference:
 * the client's own plan is kept when field access empties a selection (no
 * re-routing to another subgraph); a subgraph that does not answer for an
 * @interfaceObject leaves the rest of each entity as stock leaves it;
 * introspection the planner does not know (`__Type.isOneOf`) is answered,
 * alone or next to planned fields, in the client's order.
 */
import { compose, OurGateways, post, startStock, startSubgraph, type TestSubgraph } from './federated';

const link = (imports: string[]) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${imports.map((i) => `"${i}"`).join(', ')}])`;

describe('execution: the plan of the client’s own operation', () => {
  const ours = new OurGateways();
  const subgraphs: TestSubgraph[] = [];
  afterAll(async () => {
    await ours.close();
    for (const { app } of subgraphs) await app.close();
  });

  it('keeps the routing of a selection field access empties (the subgraph that would answer it is asked, not another)', async () => {
    // Both subgraphs resolve Query.media; only `library` has pages. `{ media { __typename } }` alone is planned to `archive` (the first), which refuses.
    const calls = { archive: 0, library: 0 };
    const archive = await startSubgraph('archive', `${link(['@key', '@shareable'])}\ntype Query { media: Book @shareable }\ntype Book @key(fields: "id") { id: ID! title: String @shareable }`, {
      Query: { media: () => { calls.archive++; throw new Error('the archive subgraph must not be asked'); } },
    });
    const library = await startSubgraph('library', `${link(['@key', '@shareable'])}\ntype Query { media: Book @shareable }\ntype Book @key(fields: "id") { id: ID! title: String @shareable pages: Int }`, {
      Query: { media: () => { calls.library++; return { id: 'b1', title: 'Kong Yiji', pages: 12 }; } },
    });
    subgraphs.push(archive, library);
    const sdl = compose([archive, library]).replace(/(\n  pages: Int)/, '$1 @access(scopes: ["records"])');
    const server = await ours.start(sdl);
    const answer = await post(server, '{ media { pages } }');
    expect(answer.body).toEqual({
      errors: [expect.objectContaining({ message: 'not allowed to read Book.pages (needs one of: records)', path: ['media', 'pages'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })],
      data: { media: { pages: null } },
    });
    expect(calls).toEqual({ archive: 0, library: 1 });
  });

  it('keeps the @skip/@include conditions of the client’s plan, their variables’ defaults included, when the field they guard is forbidden', async () => {
    // `note` is another subgraph's: its fetch is planned under a Condition on the variable.
    const shop = await startSubgraph('shop', `${link(['@key'])}\ntype Query { product: Product }\ntype Product @key(fields: "id") { id: ID! price: Float }`, {
      Query: { product: () => ({ id: 'p1', price: 3.5 }) },
    });
    const notes = await startSubgraph('notes', `${link(['@key'])}\ntype Product @key(fields: "id") { id: ID! note: String }`, {
      Product: { __resolveReference: ({ id }: { id: string }) => ({ id, note: 'fragile' }) },
    });
    subgraphs.push(shop, notes);
    const server = await ours.start(compose([shop, notes]).replace(/(\n  note: String)/, '$1 @access(scopes: ["records"])'));
    const included = await post(server, 'query ($show: Boolean = true) { product { price note @include(if: $show) } }');
    expect(included.body).toEqual({ errors: [expect.objectContaining({ path: ['product', 'note'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })], data: { product: { price: 3.5, note: null } } });
    const skipped = await post(server, 'query ($hide: Boolean = true) { product { price note @skip(if: $hide) } }');
    expect(skipped.body).toEqual({ data: { product: { price: 3.5 } } });
  });

  describe('an @interfaceObject subgraph that does not answer', () => {
    let accounts: TestSubgraph;
    let activity: TestSubgraph;
    let sdl: string;
    const ROWS = [
      { __typename: 'User', id: 'u1', name: 'Ann', email: 'ann@example.org' },
      { __typename: 'Bank', id: 'b1', name: 'ICBC', swift: 'ICBKCNBJ' },
    ];
    beforeAll(async () => {
      const find = ({ id }: { id: string }) => ROWS.find((row) => row.id === id);
      accounts = await startSubgraph(
        'accounts',
        `${link(['@key'])}
type Query { accounts: [Account!]! }
interface Account @key(fields: "id") { id: ID! name: String }
type User implements Account @key(fields: "id") { id: ID! name: String email: String! }
type Bank implements Account @key(fields: "id") { id: ID! name: String swift: String }`,
        { Query: { accounts: () => ROWS }, Account: { __resolveType: (a: { __typename: string }) => a.__typename, __resolveReference: find }, User: { __resolveReference: find }, Bank: { __resolveReference: find } },
      );
      activity = await startSubgraph('activity', `${link(['@key', '@interfaceObject'])}\ntype Query { recent: [Account!]! }\ntype Account @key(fields: "id") @interfaceObject { id: ID! lastSeen: String }`, {
        Account: { __resolveReference: ({ id }: { id: string }) => ({ id, lastSeen: `seen ${id}` }) },
      });
      subgraphs.push(accounts);
      sdl = compose([accounts, activity]);
    });

    it('leaves the rest of each entity, its concrete type and its type’s fields, as stock Apollo Gateway does, and names the department', async () => {
      const server = await ours.start(sdl);
      const stock = await startStock(sdl);
      try {
        const query = '{ accounts { __typename id name lastSeen ... on User { email } ... on Bank { swift } } }';
        const up = await post(server, query);
        expect(up.body).toEqual(await stock.query(query));
        expect(up.body.data.accounts[0]).toEqual({ __typename: 'User', id: 'u1', name: 'Ann', lastSeen: 'seen u1', email: 'ann@example.org' });

        await activity.app.close();
        const down = await post(server, query);
        const stockDown = (await stock.query(query)) as { data: unknown };
        expect(down.body.data).toEqual(stockDown.data);
        expect(down.body.data.accounts).toEqual([
          { __typename: 'User', id: 'u1', name: 'Ann', lastSeen: null, email: 'ann@example.org' },
          { __typename: 'Bank', id: 'b1', name: 'ICBC', lastSeen: null, swift: 'ICBKCNBJ' },
        ]);
        expect(down.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'DEPARTMENT_UNAVAILABLE', department: 'ACTIVITY' }) })]);
      } finally {
        await stock.stop();
      }
    });
  });

  describe('introspection', () => {
    let server: Awaited<ReturnType<OurGateways['start']>>;
    beforeAll(async () => {
      const products = await startSubgraph('products', `${link(['@key'])}\ntype Query { products: [Product!]! }\ntype Product @key(fields: "id") { id: ID! name: String }`, {
        Query: { products: () => [{ id: 'p1', name: 'Kettle' }] },
      });
      subgraphs.push(products);
      server = await ours.start(compose([products]));
    });

    it('answers __Type.isOneOf (graphql 16.9+), which the planner does not know', async () => {
      const answer = await post(server, '{ __type(name: "Product") { name isOneOf } }');
      expect(answer.body).toEqual({ data: { __type: { name: 'Product', isOneOf: null } } });
      const full = await post(server, 'query { __schema { types { name isOneOf } } }');
      expect(full.body.errors).toBeUndefined();
      expect(full.body.data.__schema.types).toEqual(expect.arrayContaining([{ name: 'Product', isOneOf: null }]));
    });

    it('answers introspection next to planned fields, through fragments, in the client’s order of root fields', async () => {
      const query = 'query Mixed($t: String!) { first: products { id } ...Intro kind: __typename last: products { name } }\nfragment Intro on Query { about: __type(name: $t) { name isOneOf } }';
      const answer = await post(server, query, { variables: { t: 'Product' } });
      expect(answer.text).toBe(JSON.stringify({ data: { first: [{ id: 'p1' }], about: { name: 'Product', isOneOf: null }, kind: 'Query', last: [{ name: 'Kettle' }] } }));
    });
  });
});
