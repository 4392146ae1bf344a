/**
 * Failed authentication is not free: every API-key attempt the gateway
 * cannot already vouch for reserves one point per minute of its source
 * address's budget and of the presented key's, *before* the credit office is
 * asked; a key that turns out valid gives both back. Once either budget is
 * spent, attempts are refused (429 RATE_LIMITED, reason AUTH_FAILURES)
 * without a lookup, so a flood of bogus keys costs the credit office at most
 * the budget, however many requests arrive at once (a reservation is
 * atomic, a check-then-count would let a burst through). Counted across
 * gateways in Redis when it is configured; with Redis down, each gateway
 * counts on its own rather than not at all.
 */
import crypto from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from '../redis';

export interface AuthFailureBudgets {
  /** Failed attempts per minute from one source address. */
  perAddress: number;
  /** Failed attempts per minute with one credential, from anywhere. */
  perCredential: number;
}

export type Reservation =
  | { granted: true; /** The attempt succeeded: its points are given back. */ succeeded(): Promise<void> }
  | { granted: false; retryAfterSeconds: number; spent: 'address' | 'credential' };

export interface AuthFailureGuard {
  /** Reserves one failed attempt for `address` and `credential` before the credential is looked up. */
  reserve(address: string, credential: string): Promise<Reservation>;
}

const WINDOW_SECONDS = 60;

function limiter(points: number, keyPrefix: string, redis: RedisClient | undefined): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix });
  return redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: WINDOW_SECONDS, insuranceLimiter: memory }) : memory;
}

/** A credential is counted by a digest, never kept in clear. */
function credentialKey(credential: string): string {
  return crypto.createHash('sha256').update(credential).digest('base64url').slice(0, 32);
}

async function take(limit: RateLimiterAbstract, key: string): Promise<RateLimiterRes | { retryAfterSeconds: number }> {
  try {
    return await limit.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    return { retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
  }
}

export function authFailureGuard(budgets: AuthFailureBudgets, redis?: RedisClient): AuthFailureGuard {
  const byAddress = limiter(budgets.perAddress, 'cg:authfail:address', redis);
  const byCredential = limiter(budgets.perCredential, 'cg:authfail:credential', redis);
  return {
    async reserve(address, credential) {
      const addressKey = address || 'unknown';
      const digest = credentialKey(credential);
      const fromAddress = await take(byAddress, addressKey);
      if ('retryAfterSeconds' in fromAddress) return { granted: false, retryAfterSeconds: fromAddress.retryAfterSeconds, spent: 'address' };
      const withCredential = await take(byCredential, digest);
      if ('retryAfterSeconds' in withCredential) {
        await byAddress.reward(addressKey).catch(() => {});
        return { granted: false, retryAfterSeconds: withCredential.retryAfterSeconds, spent: 'credential' };
      }
      return {
        granted: true,
        async succeeded() {
          await Promise.all([byAddress.reward(addressKey), byCredential.reward(digest)]).catch(() => {});
        },
      };
    },
  };
}
