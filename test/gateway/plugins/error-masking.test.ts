/**
 * plugins/error-masking.ts: the contract's codes pass as they are; a
 * subgraph's or the planner's message passes when it carries no internal
 * detail; a stack, SQL, a path or a JavaScript error becomes "internal error"
 * with the request id; subgraph names never leave.
 */
import { GraphQLError } from 'graphql';
import { carriesInternalDetail, errorMaskingPlugin } from '../../../gateway/plugins/error-masking';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { schema, send } from './harness';

describe('error-masking plugin', () => {
  const plugins = [parseValidatePlugin({ schema: () => schema }), errorMaskingPlugin()];
  const answering = (...errors: GraphQLError[]) => async () => ({ data: { subject: null }, errors });
  const query = { query: '{ subject(code: "A") { code } }' };

  it('passes the contract’s codes, without the subgraph’s name', async () => {
    const unavailable = new GraphQLError('department TAX did not answer: no answer within 3000 ms', { path: ['subject'], extensions: { code: 'DEPARTMENT_UNAVAILABLE', department: 'TAX', serviceName: 'tax' } });
    const { body } = await send(plugins, query, {}, { execute: answering(unavailable) });
    expect(body.errors).toEqual([{ message: 'department TAX did not answer: no answer within 3000 ms', path: ['subject'], extensions: { code: 'DEPARTMENT_UNAVAILABLE', department: 'TAX' } }]);
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
