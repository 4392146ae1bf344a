/**
 * plugins/response-cache.ts with a real in-process cache store: a repeated
 * query is answered from the cache with the bytes of the first answer and
 * executes nothing, another scope never gets it, answers with errors and
 * uncacheable fields are not stored, and a write to a subject it names is
 * seen at once.
 */
import { Registry } from 'prom-client';
import { buildUscc } from '../../../lib/identifiers';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { generationsToBump } from '../../../lib/invalidation';
import { CachePolicy } from '../../../gateway/cache/policy';
import { CacheStore, createCacheMetrics } from '../../../gateway/cache/store';
import { createResponseCache } from '../../../gateway/cache/response-cache';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { responseCachePlugin } from '../../../gateway/plugins/response-cache';
import { bearer, executions, JWT_SECRET, logger, schema, SDL, send } from './harness';

const code = buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: '51000001' });

describe('response-cache plugin', () => {
  const store = new CacheStore({ metrics: createCacheMetrics(new Registry()), logger });
  const plugins = [
    credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) }),
    parseValidatePlugin({ schema: () => schema }),
    responseCachePlugin({ cache: createResponseCache(store, new CachePolicy(SDL)) }),
  ];
  afterAll(() => store.close());
  const profile = { query: 'query($c: ID!) { subject(code: $c) { code name } }', variables: { c: code } };

  it('answers a repeated query with the same bytes and executes nothing', async () => {
    const miss = await send(plugins, profile);
    expect(miss.headers['x-cache']).toBe('MISS');
    const before = executions.count;
    const hit = await send(plugins, profile);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    expect(executions.count).toBe(before);
  });

  it('never serves one scope’s answer to another', async () => {
    await send(plugins, profile);
    const other = await send(plugins, profile, await bearer('APPROVAL_SYSTEM'));
    expect(other.headers['x-cache']).toBe('MISS');
  });

  it('stores no answer with errors and nothing with an uncacheable field', async () => {
    const failing = { query: 'query($c: ID!) { subject(code: $c) { code } }', variables: { c: code } };
    const broken = async () => ({ errors: [new (await import('graphql')).GraphQLError('department TAX did not answer', { extensions: { code: 'DEPARTMENT_UNAVAILABLE' } })] });
    await send(plugins, failing, {}, { execute: broken });
    expect((await send(plugins, failing)).headers['x-cache']).toBe('MISS');
    const check = await send(plugins, { query: `{ creditCheck(code: "${code}") }` });
    expect(check.headers['x-cache']).toBeUndefined();
  });

  it('misses once a write to a subject the answer names is announced', async () => {
    await send(plugins, profile);
    expect((await send(plugins, profile)).headers['x-cache']).toBe('HIT');
    await store.invalidate(generationsToBump([code]));
    expect((await send(plugins, profile)).headers['x-cache']).toBe('MISS');
  });
});
