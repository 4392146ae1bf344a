/**
 * Budgets per minute, shared by every gateway through Redis (with Redis down each gateway counts on
 * its own rather than not at all): the request rate, failed authentications, natural persons looked
 * up. One limiter and one way to spend from it.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from './redis';

const WINDOW_SECONDS = 60;

/** `points` per minute under `keyPrefix`. */
export function perMinuteLimiter(points: number, keyPrefix: string, redis: RedisClient | undefined): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix });
  return redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: WINDOW_SECONDS, insuranceLimiter: memory }) : memory;
}

/**
 * Spends `points` of `key`'s budget: granted, or refused with the seconds until the budget allows it.
 * A refused attempt spends nothing: refusals do not pile up past the budget, so a key is free again
 * when its granted attempts are given back (an outage's lookups answered 503) or the minute ends.
 */
export async function spend(limit: RateLimiterAbstract, key: string, points = 1): Promise<{ granted: true } | { granted: false; retryAfterSeconds: number }> {
  try {
    await limit.consume(key, points);
    return { granted: true };
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    await limit.reward(key, points).catch(() => {});
    return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
  }
}
