/**
 * plugins/parse-validate.ts: the client's text parsed once and validated with
 * the specification's rules before anything else reads it; every error in
 * the specification's words, with locations in that text.
 */
import { MAX_NESTING, nestingOfText, parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import type { GatewayPlugin } from '../../../gateway/pipeline';
import { buildSchema } from 'graphql';
import { executions, schema, send } from './harness';

const mutable = buildSchema('type Query { ok: Boolean } type Mutation { touch: Boolean }');

describe('parse-validate plugin', () => {
  const plugins = [parseValidatePlugin({ schema: () => schema })];

  it('refuses unknown fields with the specification’s message at the place in the client’s text', async () => {
    const query = '{\n  subject(code: "A") {\n    code\n    nmae\n  }\n  subjectz(code: "A") { code }\n}';
    const before = executions.count;
    const { status, body, request } = await send(plugins, { query });
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [
        { message: 'Cannot query field "nmae" on type "Subject". Did you mean "name"?', locations: [{ line: 4, column: 5 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
        { message: 'Cannot query field "subjectz" on type "Query". Did you mean "subject" or "subjects"?', locations: [{ line: 6, column: 3 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      ],
    });
    expect(request.outcome).toBe('BAD_USER_INPUT');
    expect(executions.count).toBe(before);
  });

  it('reports a syntax error where it is, and a request without a query as a bad request', async () => {
    const broken = await send(plugins, { query: '{ subject(code: "A") { code }' });
    expect(broken.status).toBe(400);
    expect(broken.body.errors).toEqual([{ message: 'Syntax Error: Expected Name, found <EOF>.', locations: [{ line: 1, column: 30 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
    for (const body of [{}, { query: '' }, { query: 42 }, { query: '{ __typename }', variables: [1] }, { query: '{ __typename }', operationName: 7 }]) {
      const { status, body: answer } = await send(plugins, body);
      expect(status).toBe(400);
      expect(answer.errors[0].extensions.code).toBe('BAD_REQUEST');
    }
  });

  it('refuses a batch (a JSON array of operations) saying batching is not supported', async () => {
    const before = executions.count;
    const { status, body } = await send(plugins, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(status).toBe(400);
    expect(body).toEqual({ errors: [{ message: expect.stringMatching(/^batched requests \(a JSON array of operations\) are not supported by this gateway: send one operation per request/), extensions: { code: 'BAD_REQUEST' } }] });
    expect(executions.count).toBe(before);
  });

  it('answers an automatic persisted query’s hash without its text with PERSISTED_QUERY_NOT_FOUND, as the APQ protocol does', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: 'ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38' } };
    const { status, body, headers } = await send(plugins, { extensions });
    expect(status).toBe(200);
    expect(body).toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    expect(headers['cache-control']).toBe('private, no-cache, must-revalidate');
    // The client's retry with the text runs it.
    const retried = await send(plugins, { query: '{ __typename }', extensions });
    expect(retried.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('runs a query sent with GET and refuses a mutation sent so with 405', async () => {
    const query = await send(plugins, { query: '{ __typename }' }, {}, { method: 'GET' });
    expect(query.body).toEqual({ data: { __typename: 'Query' } });
    const mutation = await send([parseValidatePlugin({ schema: () => mutable })], { query: 'mutation { touch }' }, {}, { method: 'GET' });
    expect(mutation.status).toBe(405);
    expect(mutation.headers.allow).toBe('POST');
    expect(mutation.body.errors).toEqual([{ message: 'a mutation cannot be sent with GET: send it with POST', extensions: { code: 'BAD_REQUEST' } }]);
    const variables = await send(plugins, { query: '{ __typename }', variables: '{not json' }, {}, { method: 'GET' });
    expect(variables.body.errors[0].message).toBe('the `variables` parameter must be a JSON object (URL-encoded JSON text)');
  });

  it('selects the operation by name and coerces its variables, refusing bad ones with their location', async () => {
    const query = 'query A($c: ID!) { subject(code: $c) { code } }\nquery B { __typename }';
    const chosen = await send(plugins, { query, operationName: 'A', variables: { c: 'X1' } });
    expect(chosen.body).toEqual({ data: { subject: { code: 'X1' } } });
    expect(chosen.request.operation?.name?.value).toBe('A');
    const unnamed = await send(plugins, { query });
    expect(unnamed.body.errors).toEqual([{ message: 'Must provide operation name if query contains multiple operations.', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }]);
    const unknown = await send(plugins, { query, operationName: 'C' });
    expect(unknown.body.errors[0]).toEqual({ message: 'Unknown operation named "C".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
    const missing = await send(plugins, { query, operationName: 'A', variables: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ message: 'Variable "$c" of required type "ID!" was not provided.', locations: [{ line: 1, column: 9 }], extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it('refuses text and variables nested deeper than the limit with a 400, before the parser recurses into them (2,000 levels were a stack overflow: 500)', async () => {
    const before = executions.count;
    const deep = `{ subject(code: "A") ${'{ market '.repeat(2000)}${'}'.repeat(2000)} }`;
    const text = await send(plugins, { query: deep });
    expect(text.status).toBe(400);
    expect(text.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'NESTING', figure: 2001, limit: MAX_NESTING });
    let nested: unknown = 'x';
    for (let i = 0; i < 5000; i++) nested = [nested];
    const variables = await send(plugins, { query: '{ __typename }', variables: { unused: nested } });
    expect(variables.status).toBe(400);
    expect(variables.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'NESTING', limit: MAX_NESTING });
    expect(executions.count).toBe(before);
    // Braces inside strings and comments are text, not nesting; within the limit it is parsed as usual.
    expect(nestingOfText('{ a(s: "{{{{[[[\\"{{", b: """ {{{ \\""" {{ """) # {{{{\n }')).toBe(2);
    const atLimit = `{ subject(code: "A") ${'{ market '.repeat(MAX_NESTING - 2)}${'}'.repeat(MAX_NESTING - 2)} }`;
    expect(nestingOfText(atLimit)).toBe(MAX_NESTING - 1);
    expect((await send(plugins, { query: atLimit })).body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('parses once: every later plugin and the execution get the same document', async () => {
    const seen: unknown[] = [];
    const reader: GatewayPlugin = { name: 'reader', onRequest: (request) => void seen.push(request.document) };
    const query = '{ subject(code: "A") { code } }';
    const first = await send([...plugins, reader, reader], { query });
    const second = await send([...plugins, reader], { query });
    expect(first.body.data.subject.code).toBe('A');
    expect(seen[0]).toBe(seen[1]);
    expect(seen[2]).toBe(seen[0]); // the same text is not parsed again
    expect(second.request.executable!.document).toBe(seen[0]);
  });
});
