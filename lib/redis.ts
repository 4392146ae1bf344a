/**
 * One way to reach Redis for every process that uses it (the gateway's cache,
 * writers that publish invalidations): standalone from `REDIS_URL`, or Redis
 * Cluster from `REDIS_CLUSTER_NODES` (comma-separated host:port seeds).
 *
 * A cache must never make a request slower than no cache: commands fail fast
 * (`commandTimeout`), nothing waits in an offline queue while Redis is down
 * (`enableOfflineQueue: false`, no per-command retries), and ioredis keeps
 * reconnecting by itself in the background, with a capped backoff.
 */
import Redis, { Cluster, type RedisOptions } from 'ioredis';

type Env = Record<string, string | undefined>;

export type RedisClient = Redis | Cluster;

export interface RedisTarget {
  url?: string;
  clusterNodes?: { host: string; port: number }[];
}

/** Where Redis is, or undefined when neither variable is set (in-process cache only). */
export function redisTargetFrom(env: Env): RedisTarget | undefined {
  const nodes = (env.REDIS_CLUSTER_NODES ?? '')
    .split(',')
    .map((node) => node.trim())
    .filter((node) => node !== '')
    .map((node) => {
      const at = node.lastIndexOf(':');
      const port = Number(node.slice(at + 1));
      if (at <= 0 || !Number.isInteger(port) || port <= 0) throw new Error(`REDIS_CLUSTER_NODES: '${node}' is not host:port`);
      return { host: node.slice(0, at), port };
    });
  if (nodes.length > 0) return { clusterNodes: nodes };
  if (env.REDIS_URL) return { url: env.REDIS_URL };
  return undefined;
}

/** Reconnect after 50 ms, 100 ms, ... up to 1 s between attempts, forever. */
const retryStrategy = (times: number) => Math.min(times * 50, 1000);

/** Fail-fast options for request-path commands. */
export function fastFailOptions(commandTimeoutMs: number): RedisOptions {
  return {
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy,
    // Connect in the background; the first requests are misses until it is ready.
    lazyConnect: false,
  };
}

export function connectRedis(target: RedisTarget, options: RedisOptions): RedisClient {
  if (target.clusterNodes) {
    return new Cluster(target.clusterNodes, {
      redisOptions: options,
      enableOfflineQueue: options.enableOfflineQueue ?? true,
      clusterRetryStrategy: retryStrategy,
      // Keys of one MGET live on many nodes in a cluster (CROSSSLOT): the cache issues
      // single-key commands instead and auto-pipelining groups them per node.
      enableAutoPipelining: true,
    });
  }
  return new Redis(target.url!, options);
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}
