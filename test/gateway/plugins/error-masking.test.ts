/**
 * plugins/error-masking.ts: the contract's codes pass as they are, with only
 * the contract's extension keys; a subgraph's or the planner's message passes
 * when it carries no internal detail; a stack, SQL, a path or a JavaScript
 * error becomes "internal error" with the request id; subgraph names never
 * leave; what execution answered never points into the client's text, and a
 * subgraph's complaint about a query's text is the gateway's fault.
 */
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { GraphQLError, Source } from 'graphql';
import { carriesInternalDetail, errorMaskingPlugin } from '../../../gateway/plugins/error-masking';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { schema, send } from './harness';
import { compose, OurGateways, post, startSubgraph } from '../federated';

describe('error-masking plugin', () => {
  const plugins = [parseValidatePlugin({ schema: () => schema }), errorMaskingPlugin()];
  const answering = (...errors: GraphQLError[]) => async () => ({ data: { subject: null }, errors });
  const query = { query: '{ subject(code: "A") { code } }' };

  it('passes the contract’s codes, without the subgraph’s name', async () => {
    const unavailable = new GraphQLError('department TAX did not answer: no answer within 3000 ms', { path: ['subject'], extensions: { code: 'DEPARTMENT_UNAVAILABLE', department: 'TAX', reason: 'timeout', subgraph: 'tax', serviceName: 'tax' } });
    const { body } = await send(plugins, query, {}, { execute: answering(unavailable) });
    expect(body.errors).toEqual([{ message: 'department TAX did not answer: no answer within 3000 ms', path: ['subject'], extensions: { code: 'DEPARTMENT_UNAVAILABLE', department: 'TAX', reason: 'timeout' } }]);
  });

  it('keeps only the contract’s extension keys of a subgraph’s error, and none of its locations', async () => {
    const source = new Source('query($representations:[_Any!]!){_entities(representations:$representations){...on Subject{tax{level}}}}');
    const invalid = new GraphQLError('invalid subject code \'X\': checksum', {
      source,
      positions: [40],
      path: ['subject'],
      extensions: { code: 'BAD_USER_INPUT', reason: 'CHECKSUM', input: 'X', sql: 'select * from tax.rating', stacktrace: ['at resolve (/srv/tax.ts:1:1)'], hint: 'pg_trgm', exception: {}, serviceName: 'tax' },
    });
    const { body } = await send(plugins, query, {}, { execute: answering(invalid) });
    expect(body.errors).toEqual([{ message: "invalid subject code 'X': checksum", path: ['subject'], extensions: { code: 'BAD_USER_INPUT', reason: 'CHECKSUM', input: 'X' } }]);
  });

  it('turns a subgraph’s complaint about a query’s text into an internal error, while the client’s own keeps its locations', async () => {
    const subgraphs = new GraphQLError('Cannot query field "nmae" on type "Subject".', { source: new Source('{ subject { nmae } }'), positions: [12], extensions: { code: 'GRAPHQL_VALIDATION_FAILED', serviceName: 'credit' } });
    const { body, request } = await send(plugins, query, {}, { execute: answering(subgraphs) });
    expect(body.errors).toEqual([{ message: `internal error (request ${request.id})`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    const own = await send(plugins, { query: '{ subject(code: "A") { nmae } }' });
    expect(own.body.errors).toEqual([{ message: 'Cannot query field "nmae" on type "Subject". Did you mean "name"?', locations: [{ line: 1, column: 24 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });

  it('keeps a subgraph’s or the planner’s message that says nothing of the insides', async () => {
    const downstream = new GraphQLError('Product not found', { path: ['subject'], extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'products', exception: { stacktrace: ['at x (/srv/a.js:1:1)'] } } });
    const planner = new GraphQLError('Cannot plan the operation: no subgraph can resolve the field "Book.title"');
    const { body } = await send(plugins, query, {}, { execute: answering(downstream, planner) });
    expect(body.errors).toEqual([
      { message: 'Product not found', path: ['subject'], extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' } },
      { message: 'Cannot plan the operation: no subgraph can resolve the field "Book.title"', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
  });

  it('masks a message with a stack, SQL, a database’s words, a path or a JavaScript error', async () => {
    const leaks = [
      'Error: boom\n    at resolve (/srv/subgraphs/tax/index.ts:40:11)',
      'select * from tax.arrears where subject_code = $1',
      'duplicate key value violates unique constraint "arrears_pkey"',
      'relation "tax.arrears" does not exist',
      'Cannot read properties of undefined (reading \'code\')',
      'connect ECONNREFUSED 127.0.0.1:5432',
      'failed in /app/node_modules/pg/lib/client.js',
    ];
    for (const message of leaks) expect({ message, masked: carriesInternalDetail(message) }).toEqual({ message, masked: true });
    const { body, request } = await send(plugins, query, {}, { execute: answering(new GraphQLError(leaks[1]!, { path: ['subject'], extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' } })) });
    expect(body.errors).toEqual([{ message: `internal error (request ${request.id})`, path: ['subject'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  });

  it('masks what the execution threw', async () => {
    const { body, request } = await send(plugins, query, {}, { execute: async () => { throw new TypeError("Cannot read properties of undefined (reading 'x')"); } });
    expect(body.errors).toEqual([{ message: `internal error (request ${request.id})`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  });
});

describe('error masking through the gateway', () => {
  const ours = new OurGateways();
  afterAll(() => ours.close());

  it('never shows a subgraph’s validation errors as the client’s, nor its internal extensions', async () => {
    const things = await startSubgraph('things', 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\ntype Query { thing: Thing }\ntype Thing { id: ID! name: String }', {});
    const supergraph = compose([things]);
    await things.app.close();
    // A subgraph out of step with the supergraph, answering 200 with errors (as graphql-yoga does for application/json).
    const stale = Fastify();
    stale.post('/graphql', async () => ({
      data: null,
      errors: [
        { message: 'Cannot query field "name" on type "Thing".', locations: [{ line: 1, column: 9 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['at validate (/srv/node_modules/graphql/validation/validate.js:1:1)'] } },
        { message: 'no thing today', path: ['thing'], locations: [{ line: 1, column: 3 }], extensions: { code: 'BAD_USER_INPUT', reason: 'CLOSED', sql: 'select name from thing', hint: 'x' } },
      ],
    }));
    await stale.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `http://127.0.0.1:${(stale.server.address() as AddressInfo).port}/graphql`;
      const server = await ours.start(supergraph.replace(/(@join__graph\(name: "things", url: )"[^"]*"/, `$1"${url}"`));
      const { body } = await post(server, '{ thing { name } }');
      expect(body.data).toEqual({ thing: null });
      expect(body.errors).toEqual([
        { message: expect.stringMatching(/^internal error \(request [\w-]+\)$/), extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        { message: 'no thing today', path: ['thing'], extensions: { code: 'BAD_USER_INPUT', reason: 'CLOSED' } },
      ]);
    } finally {
      await stale.close();
    }
  });
});
