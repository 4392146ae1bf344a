/** plugins/complexity.ts: depth, cost and alias limits as QUERY_TOO_COMPLEX, introspection not counted. */
import { complexityPlugin, DEFAULT_COMPLEXITY } from '../../../gateway/plugins/complexity';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { executions, schema, send } from './harness';

describe('complexity plugin', () => {
  const plugins = [parseValidatePlugin({ schema: () => schema }), complexityPlugin({ schema: () => schema, limits: { ...DEFAULT_COMPLEXITY, maxDepth: 2, maxAliases: 3 } })];

  it('refuses a query deeper than the limit, with the place in the client’s text', async () => {
    const before = executions.count;
    const { status, body, request } = await send(plugins, { query: '{ subject(code: "A") { tax { level } } }' });
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX' });
    expect(body.errors[0].message).toMatch(/depth/i);
    expect(request.outcome).toBe('QUERY_TOO_COMPLEX');
    expect(executions.count).toBe(before);
  });

  it('refuses alias amplification, also through a fragment', async () => {
    const aliases = Array.from({ length: 5 }, (_, i) => `a${i}: subject(code: "A") { code }`).join(' ');
    expect((await send(plugins, { query: `{ ${aliases} }` })).body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect((await send(plugins, { query: `{ ...F } fragment F on Query { ${aliases} }` })).body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('lets a query within the limits and introspection through', async () => {
    expect((await send(plugins, { query: '{ subject(code: "A") { code } }' })).status).toBe(200);
    const introspection = await send(plugins, { query: '{ __schema { types { name fields { name type { name ofType { name } } } } } }' });
    expect(introspection.status).toBe(200);
    expect(introspection.body.errors).toBeUndefined();
  });
});
