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
import type { RedisClient } from '../redis';
import { perMinuteLimiter, spend } from '../limits';

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

/** A credential is counted by a digest, never kept in clear. */
function credentialKey(credential: string): string {
  return crypto.createHash('sha256').update(credential).digest('base64url').slice(0, 32);
}

export function authFailureGuard(budgets: AuthFailureBudgets, redis?: RedisClient): AuthFailureGuard {
  const byAddress = perMinuteLimiter(budgets.perAddress, 'cg:authfail:address', redis);
  const byCredential = perMinuteLimiter(budgets.perCredential, 'cg:authfail:credential', redis);
  return {
    async reserve(address, credential) {
      const addressKey = address || 'unknown';
      const digest = credentialKey(credential);
      const fromAddress = await spend(byAddress, addressKey);
      if (!fromAddress.granted) return { granted: false, retryAfterSeconds: fromAddress.retryAfterSeconds, spent: 'address' };
      const withCredential = await spend(byCredential, digest);
      if (!withCredential.granted) {
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
