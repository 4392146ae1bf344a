/**
 * Rate limit: requests per client (per address for PUBLIC) per minute,
 * shared by every gateway through Redis; with Redis down each gateway limits
 * on its own rather than not at all, or refusing everyone. Over the limit:
 * 429 RATE_LIMITED with Retry-After.
 */
import type { RedisClient } from '../../lib/redis';
import { perMinuteLimiter, spend } from '../../lib/limits';
import { requestError, type GatewayPlugin } from '../pipeline';

export function rateLimitPlugin(options: { requestsPerMinute: number; redis?: RedisClient }): GatewayPlugin {
  const { requestsPerMinute } = options;
  const limiter = perMinuteLimiter(requestsPerMinute, 'cg:rate', options.redis);
  return {
    name: 'rate-limit',
    async onRequest(request) {
      const spent = await spend(limiter, request.caller.clientId ?? `ip:${request.ip}`);
      if (spent.granted) return;
      request.outcome = 'RATE_LIMITED';
      request.responseHeaders['retry-after'] = String(spent.retryAfterSeconds);
      request.respond(429, { errors: [requestError('RATE_LIMITED', `rate limit of ${requestsPerMinute} requests per minute reached; retry in ${spent.retryAfterSeconds} s`)] });
    },
  };
}
