/**
 * Revocations, announced: whoever revokes an API client (the client CLI,
 * scripts/client.ts) publishes its id on a Redis channel once the revocation
 * is committed, and every gateway subscribed to it drops the client's keys
 * from its cache of valid keys at once — the same way cache invalidations
 * reach every gateway (lib/invalidation.ts). An announcement that does not
 * arrive (Redis down, no Redis configured) costs time, not safety: a cached
 * key is asked about again after API_KEY_CACHE_TTL_MS (5 s) in any case.
 */
import type Redis from 'ioredis';
import type { Logger } from '../logger';
import { connectRedis, fastFailOptions, redisTargetFrom, type RedisTarget } from '../redis';

export const REVOCATION_CHANNEL = 'cg:credentials:revoked';

/**
 * Announces a client's revocation when Redis is configured; resolves with
 * whether it was announced. A Redis that cannot be reached is an error: the
 * caller says so (the revocation itself stands, and takes effect within the
 * cache's TTL).
 */
export async function announceRevocation(clientId: string, env: Record<string, string | undefined> = process.env): Promise<boolean> {
  const target = redisTargetFrom(env);
  if (!target) return false;
  const client = connectRedis(target, { ...fastFailOptions(2000), enableOfflineQueue: true, maxRetriesPerRequest: 3 });
  try {
    await client.publish(REVOCATION_CHANNEL, JSON.stringify({ clientId }));
    return true;
  } finally {
    client.disconnect();
  }
}

/** Calls `onRevoked(clientId)` for every announced revocation, until closed; re-subscribes after a reconnect. */
export function subscribeToRevocations(target: RedisTarget, onRevoked: (clientId: string) => void, logger: Pick<Logger, 'warn'>): { close(): void } {
  const subscriber = connectRedis(target, { ...fastFailOptions(1000), enableOfflineQueue: true, commandTimeout: undefined });
  let lastWarning = 0;
  subscriber.on('error', (error: Error) => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    logger.warn({ err: error.message }, 'revocation channel unavailable: revoked keys are refused after the 5 s cache TTL');
  });
  subscriber.on('message', (_channel: string, message: string) => {
    try {
      const { clientId } = JSON.parse(message) as { clientId?: unknown };
      if (typeof clientId === 'string') onRevoked(clientId);
    } catch {
      // not ours
    }
  });
  (subscriber as Redis).subscribe(REVOCATION_CHANNEL).catch(() => {});
  return { close: () => subscriber.disconnect() };
}
