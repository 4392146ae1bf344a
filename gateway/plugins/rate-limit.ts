/**
 * Rate limit: requests per client (per address for PUBLIC) per minute,
 * shared by every gateway through Redis; with Redis down each gateway limits
 * on its own rather than not at all, or refusing everyone. Over the limit:
 * 429 RATE_LIMITED with Retry-After.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from '../../lib/redis';
import { requestError, type GatewayPlugin } from '../pipeline';

export function rateLimitPlugin(options: { requestsPerMinute: number; redis?: RedisClient }): GatewayPlugin {
  const { requestsPerMinute } = options;
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: 'cg:rate',
        points: requestsPerMinute,
        duration: 60,
        insuranceLimiter: new RateLimiterMemory({ points: requestsPerMinute, duration: 60 }),
      })
    : new RateLimiterMemory({ points: requestsPerMinute, duration: 60 });
  return {
    name: 'rate-limit',
    async onRequest(request) {
      try {
        await limiter.consume(request.caller.clientId ?? `ip:${request.ip}`);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const seconds = Math.ceil(error.msBeforeNext / 1000);
        request.outcome = 'RATE_LIMITED';
        request.responseHeaders['retry-after'] = String(seconds);
        request.respond(429, { errors: [requestError('RATE_LIMITED', `rate limit of ${requestsPerMinute} requests per minute reached; retry in ${seconds} s`)] });
      }
    },
  };
}
