/** plugins/metrics.ts: operations and their latency by name, answered errors by code, refusals included. */
import { createServiceMetrics, MAX_OPERATION_LABELS, OTHER_OPERATIONS } from '../../../lib/metrics';
import { accessPolicies } from '../../../gateway/auth/field-access';
import { fieldAccessPlugin } from '../../../gateway/plugins/field-access';
import { metricsPlugin } from '../../../gateway/plugins/metrics';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { bearer, JWT_SECRET, schema, SDL, send } from './harness';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';

describe('metrics plugin', () => {
  const metrics = createServiceMetrics('gateway-test');
  const plugins = [credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) }), parseValidatePlugin({ schema: () => schema }), fieldAccessPlugin({ schema: () => schema, policies: accessPolicies(SDL) }), metricsPlugin({ metrics })];
  const sample = async (name: string, labels: Record<string, string>) => {
    const text = await metrics.registry.metrics();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('counts operations by name with their latency, and errors by code', async () => {
    await send(plugins, { query: 'query Profile { subject(code: "A") { code } }' });
    await send(plugins, { query: 'query Profile { subject(code: "A") { code } }' });
    await send(plugins, { query: '{ subject(code: "A") { tax { amount } } }' });
    await send(plugins, { query: '{ nope }' });
    expect(await sample('graphql_operations_total', { operation: 'Profile' })).toBe(2);
    expect(await sample('graphql_operation_duration_seconds_count', { operation: 'Profile' })).toBe(2);
    expect(await sample('graphql_operations_total', { operation: 'anonymous' })).toBe(2);
    expect(await sample('graphql_errors_total', { code: 'FORBIDDEN' })).toBe(1);
    expect(await sample('graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
  });

  it('labels at most MAX_OPERATION_LABELS names, whatever names clients invent, and counts the rest together; anonymous callers cannot use up the registered clients\' names', async () => {
    for (let i = 0; i < MAX_OPERATION_LABELS + 50; i++) await send(plugins, { query: `query Invented${i} { __typename }` });
    const text = await metrics.registry.metrics();
    const names = new Set(text.split('\n').filter((l) => l.startsWith('graphql_operations_total{')).map((l) => /operation="([^"]*)"/.exec(l)![1]));
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 2);
    expect(await sample('graphql_operations_total', { operation: OTHER_OPERATIONS })).toBeGreaterThanOrEqual(50);
    // Names seen before the bound keep their own label.
    await send(plugins, { query: 'query Profile { subject(code: "A") { code } }' });
    expect(await sample('graphql_operations_total', { operation: 'Profile' })).toBe(3);
    // A registered client's new operation still gets its own label after the anonymous flood.
    await send(plugins, { query: 'query LicenceCheck { __typename }' }, await bearer('APPROVAL_SYSTEM'));
    expect(await sample('graphql_operations_total', { operation: 'LicenceCheck' })).toBe(1);
  });
});
