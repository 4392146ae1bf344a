/**
 * plugins/complexity.ts: depth, cost (lists counted by their size), aliases
 * (__typename included) through fragments, the answer's size and the
 * execution deadline, PUBLIC tighter than registered clients; every refusal
 * QUERY_TOO_COMPLEX with its figure and limit, introspection not counted.
 */
import { parse } from 'graphql';
import { budgetOf, complexityPlugin, measureOperation, withExecutionDeadline, type CallerBudgets } from '../../../gateway/plugins/complexity';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import type { Execute } from '../../../gateway/pipeline';
import { bearer, executions, graphqlExecute, JWT_SECRET, schema, send } from './harness';

const BUDGETS: CallerBudgets = {
  public: { maxDepth: 3, maxCost: 500, maxAliases: 3, maxResponseBytes: 2_000, executionTimeoutMs: 200 },
  registered: { maxDepth: 3, maxCost: 50_000, maxAliases: 30, maxResponseBytes: 200_000, executionTimeoutMs: 200 },
};

const measure = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition')!;
  return measureOperation(schema, document, operation as never, variables);
};

describe('complexity plugin', () => {
  const credentials = credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) });
  const plugins = [credentials, parseValidatePlugin({ schema: () => schema }), complexityPlugin({ schema: () => schema, budgets: BUDGETS })];
  const codes = (n: number) => Array.from({ length: n }, (_, i) => `C${i}`);

  it('counts what the answer can hold: each field per object, a list by its codes, an unsized list as 10', () => {
    expect(measure('{ subject(code: "A") { code name } }').cost).toBe(3);
    expect(measure('query($c: [ID!]!) { subjects(codes: $c) { code name } }', { c: codes(1000) }).cost).toBe(1 + 1000 * 2);
    expect(measure('{ subjects(codes: ["A", "B", "C"]) { code } }').cost).toBe(1 + 3);
    // records has no size argument: taken as 10.
    expect(measure('{ records(code: "A") { id } }').cost).toBe(1 + 10);
    // __typename is a field like any other, aliases and all.
    expect(measure('{ a: __typename b: __typename subject(code: "A") { __typename } }')).toMatchObject({ cost: 4, aliases: 2 });
  });

  it('follows fragments, scaled where they are spread, without measuring exponentially', () => {
    const spread = measure('query($c: [ID!]!) { subjects(codes: $c) { ...F } } fragment F on Subject { code x: name y: name }', { c: codes(100) });
    expect(spread).toMatchObject({ cost: 1 + 100 * 3, aliases: 2, depth: 2 });
    // Each fragment spreads the one before twice: 2^40 fields, measured at once.
    const levels = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Subject { ...F${i} ...F${i} }`).join('\n');
    const started = Date.now();
    const bomb = measure(`{ subject(code: "A") { ...F40 } } fragment F0 on Subject { code } ${levels}`);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(bomb.cost).toBeGreaterThan(1e12);
  });

  it('refuses too much cost with the figure and the limit, and runs nothing', async () => {
    const before = executions.count;
    const { status, body, request } = await send(plugins, { query: 'query($c: [ID!]!) { subjects(codes: $c) { code name tax { level } } }', variables: { c: codes(1000) } });
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/estimated cost .* is 4,001, over this caller's limit of 500$/),
        locations: [{ line: 1, column: 1 }],
        extensions: { code: 'QUERY_TOO_COMPLEX', reason: 'COST', figure: 4001, limit: 500 },
      }),
    ]);
    expect(request.outcome).toBe('QUERY_TOO_COMPLEX');
    expect(executions.count).toBe(before);
  });

  it('gives registered clients the larger budget', async () => {
    const query = { query: 'query($c: [ID!]!) { subjects(codes: $c) { code name tax { level } } }', variables: { c: codes(1000) } };
    expect((await send(plugins, query, await bearer('TRADING_PLATFORM'))).status).toBe(200);
    expect(budgetOf({ role: 'PUBLIC' } as never, BUDGETS)).toBe(BUDGETS.public);
    expect(budgetOf({ role: 'DEVELOPER' } as never, BUDGETS)).toBe(BUDGETS.registered);
  });

  it('refuses alias amplification, __typename included, also through a fragment', async () => {
    const typenames = Array.from({ length: 5 }, (_, i) => `t${i}: __typename`).join(' ');
    const direct = await send(plugins, { query: `{ ${typenames} }` });
    expect(direct.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'ALIASES', figure: 5, limit: 3 });
    const throughFragment = await send(plugins, { query: `{ ...F } fragment F on Query { ${typenames} }` });
    expect(throughFragment.body.errors[0].extensions.reason).toBe('ALIASES');
  });

  it('refuses a query deeper than the limit, at its deepest field in the client\'s text', async () => {
    const shallow = complexityPlugin({ schema: () => schema, budgets: { ...BUDGETS, public: { ...BUDGETS.public, maxDepth: 2 } } });
    const within = await send([parseValidatePlugin({ schema: () => schema }), shallow], { query: '{ subject(code: "A") { code } }' });
    expect(within.status).toBe(200);
    const refused = await send([parseValidatePlugin({ schema: () => schema }), shallow], { query: '{ subject(code: "A") {\n  tax { ...T } } }\nfragment T on TaxProfile { level }' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ locations: [{ line: 3, column: 28 }], extensions: { reason: 'DEPTH', figure: 3, limit: 2 } });
  });

  it('lets introspection through uncounted', async () => {
    // Deeper than 3 and wider than the cost budget would allow, were it counted (its answer is bounded by the schema).
    const introspection = await send(plugins, { query: '{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }' }, await bearer('DEVELOPER'));
    expect(introspection.status).toBe(200);
    expect(introspection.body.errors).toBeUndefined();
  });

  it('does not send an answer over the size limit: QUERY_TOO_COMPLEX with its size', async () => {
    const big = { query: 'query($c: [ID!]!) { subjects(codes: $c) { code } }', variables: { c: codes(400) } };
    const refused = await send(plugins, big);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', reason: 'RESPONSE_SIZE', limit: 2000 }) })] });
    expect(refused.body.errors[0].extensions.figure).toBeGreaterThan(2000);
    expect(refused.text).not.toContain('C399');
    expect((await send(plugins, big, await bearer('APPROVAL_SYSTEM'))).status).toBe(200);
  });

  it('ends a query at its deadline, and aborts what it still waits for', async () => {
    let aborted = false;
    const slow: Execute = (request) =>
      new Promise((resolve) => {
        request.signal?.addEventListener('abort', () => {
          aborted = true;
          resolve({ data: null });
        });
      });
    const { status, body, request } = await send(plugins, { query: '{ subject(code: "A") { code } }' }, {}, { execute: withExecutionDeadline(slow, BUDGETS) });
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'EXECUTION_TIME', limit: 200 });
    expect(request.outcome).toBe('QUERY_TOO_COMPLEX');
    expect(aborted).toBe(true);
    // Within the deadline nothing changes.
    expect((await send(plugins, { query: '{ subject(code: "A") { code } }' }, {}, { execute: withExecutionDeadline(graphqlExecute, BUDGETS) })).status).toBe(200);
  });
});
