/** plugins/rate-limit.ts: per client (per address for PUBLIC) per minute, shared through Redis by every gateway. */
import Redis from 'ioredis';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { rateLimitPlugin } from '../../../gateway/plugins/rate-limit';
import { bearer, JWT_SECRET, send } from './harness';

// Database 6 of the shared Redis: flushed here, used by no other suite.
const REDIS_URL = 'redis://127.0.0.1:6379/6';

describe('rate-limit plugin', () => {
  const credentials = credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) });
  const query = { query: '{ __typename }' };
  const redis = new Redis(REDIS_URL);
  beforeAll(() => redis.flushdb());
  afterAll(() => redis.disconnect());

  it('answers 429 RATE_LIMITED with Retry-After past the limit, per client and per address', async () => {
    const plugins = [credentials, rateLimitPlugin({ requestsPerMinute: 3 })];
    const platform = await bearer('TRADING_PLATFORM', 'platform-a');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(plugins, query, platform)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await send(plugins, query, platform);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.request.outcome).toBe('RATE_LIMITED');
    // Another client, and PUBLIC callers from two addresses, have budgets of their own.
    expect((await send(plugins, query, await bearer('TRADING_PLATFORM', 'platform-b'))).status).toBe(200);
    expect((await send(plugins, query, {}, { ip: '10.1.1.1' })).status).toBe(200);
    expect((await send(plugins, query, {}, { ip: '10.1.1.2' })).status).toBe(200);
  });

  it('shares one budget between two gateways through Redis', async () => {
    const a = [credentials, rateLimitPlugin({ requestsPerMinute: 4, redis })];
    const b = [credentials, rateLimitPlugin({ requestsPerMinute: 4, redis })];
    const headers = await bearer('TRADING_PLATFORM', 'platform-shared');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send(i % 2 === 0 ? a : b, query, headers)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.slice(4)).toEqual([429, 429]);
  });
});
