/**
 * The gateway's cache store: two levels.
 *
 * - L1, in this process (lru-cache): the whole cache when no Redis is
 *   configured (the embedded default, correct for a single gateway), and a
 *   small first level in front of Redis otherwise, which saves the round trip
 *   for hot entries.
 * - L2, Redis through ioredis (standalone `REDIS_URL`, or Redis Cluster
 *   `REDIS_CLUSTER_NODES`), shared by every gateway replica.
 *
 * Entries are never deleted to invalidate them: each records the generations
 * of what it depends on (lib/invalidation.ts) and is a hit only while they
 * are all unchanged. L1 keeps generations too (a few seconds, and dropped
 * when another gateway announces a bump on the pub/sub channel); with Redis,
 * Redis holds the true generations. Without Redis the in-process map is the
 * truth and is never evicted on its own (an evicted generation would read as
 * 0 and revive entries stored before the bump), only cleared with L1 as a
 * whole.
 *
 * Redis slow or down is a miss, never a client error: commands time out
 * quickly, nothing queues while disconnected, every failure is counted
 * (`cache_errors_total`) and the request is answered uncached. While Redis
 * is configured but not ready — including the subscriber, whose messages
 * keep L1 honest — the cache is bypassed entirely (not even L1 is served:
 * another gateway's writes could not reach it). On reconnecting, L1 is
 * cleared (announcements may have been missed) and bumps that could not be
 * written meanwhile are written then.
 */
import { LRUCache } from 'lru-cache';
import { Counter, Histogram, type Registry } from 'prom-client';
import type Redis from 'ioredis';
import type { Logger } from '../../lib/logger';
import { LATENCY_BUCKETS } from '../../lib/metrics';
import { bumpAndPublish, GENERATION_PREFIX, INVALIDATION_CHANNEL, ALL } from '../../lib/invalidation';
import { connectRedis, fastFailOptions, isCluster, type RedisClient, type RedisTarget } from '../../lib/redis';

export type CacheName = 'entity' | 'response';

/** What is stored: the value (JSON text), what it depends on and their generations when it was fetched. */
export interface CachedValue {
  deps: string[];
  gens: number[];
  /** JSON text: handed out as a fresh parse, so nothing downstream can mutate the cached copy. */
  body: string;
}

interface L1Entry extends CachedValue {
  /** Epoch ms when the entry ends (the TTL it was stored with). */
  expiresAt: number;
}

export interface CacheMetrics {
  requests: Counter<'cache' | 'layer' | 'result'>;
  errors: Counter<'operation'>;
  duration: Histogram<'operation'>;
}

export function createCacheMetrics(registry: Registry): CacheMetrics {
  return {
    requests: new Counter({
      name: 'cache_requests_total',
      help: 'Cache lookups by cache (entity, response), layer (l1 in process, l2 Redis) and result (hit, miss)',
      labelNames: ['cache', 'layer', 'result'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'cache_errors_total',
      help: 'Redis operations of the cache that failed or timed out (each served as a miss)',
      labelNames: ['operation'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'cache_operation_duration_seconds',
      help: 'Latency of Redis operations of the cache',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
  };
}

export interface CacheStoreOptions {
  redis?: RedisTarget;
  metrics: CacheMetrics;
  logger: Logger;
  /** Redis command timeout: a slower answer is a miss. */
  commandTimeoutMs?: number;
  /** L1 budget in bytes of JSON text. */
  l1MaxBytes?: number;
  /** How long L1 trusts a generation it read from Redis without an announcement. */
  l1GenerationTtlMs?: number;
}

const ENTRY_PREFIX = 'cg:c:';
/** The in-process generations, when they are the truth, are cleared with L1 beyond this many subjects. */
const MAX_LOCAL_GENERATIONS = 1_000_000;

export class CacheStore {
  private readonly metrics: CacheMetrics;
  private readonly logger: Logger;
  private readonly l1: LRUCache<string, L1Entry>;
  /** With Redis: a short-lived copy of Redis's generations. Without: the generations themselves. */
  private readonly l1Generations: LRUCache<string, number> | undefined;
  private readonly localGenerations = new Map<string, number>();
  private readonly client: RedisClient | undefined;
  private readonly subscriber: RedisClient | undefined;
  /** Bumps Redis could not take yet: written once it is back. */
  private readonly pendingBumps = new Set<string>();
  private lastErrorLog = 0;

  constructor(options: CacheStoreOptions) {
    this.metrics = options.metrics;
    this.logger = options.logger;
    const embedded = !options.redis;
    this.l1 = new LRUCache<string, L1Entry>({
      // The embedded cache is the whole cache; in front of Redis L1 only holds the hottest entries.
      maxSize: options.l1MaxBytes ?? (embedded ? 256 : 32) * 1024 * 1024,
      sizeCalculation: (entry) => entry.body.length + 64 + entry.deps.length * 24,
      max: embedded ? 200_000 : 50_000,
    });
    if (!options.redis) return;
    this.l1Generations = new LRUCache<string, number>({ max: 200_000, ttl: options.l1GenerationTtlMs ?? 5000 });
    this.client = connectRedis(options.redis, fastFailOptions(options.commandTimeoutMs ?? 100));
    // The subscriber may queue its SUBSCRIBE until connected; ioredis re-subscribes after each reconnect.
    this.subscriber = connectRedis(options.redis, { ...fastFailOptions(1000), enableOfflineQueue: true, commandTimeout: undefined });
    this.client.on('error', (error) => this.logError('connection', error));
    this.subscriber.on('error', (error) => this.logError('subscriber', error));
    let wasReady = false;
    this.subscriber.on('ready', () => {
      if (wasReady) {
        // Announcements sent while we were away are lost: forget everything L1 knows.
        this.l1.clear();
        this.l1Generations!.clear();
      }
      wasReady = true;
    });
    this.client.on('ready', () => void this.flushPendingBumps());
    this.subscriber.on('message', (_channel: string, message: string) => this.onAnnouncement(message));
    (this.subscriber as Redis).subscribe(INVALIDATION_CHANNEL).catch((error: unknown) => this.logError('subscribe', error));
  }

  /** Whether lookups and stores may run: always without Redis; with it, only while both connections are ready. */
  available(): boolean {
    if (!this.client) return true;
    return this.client.status === 'ready' && this.subscriber!.status === 'ready';
  }

  private logError(operation: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 5000) return;
    this.lastErrorLog = now;
    this.logger.warn({ operation, err: (error as Error).message }, 'cache: Redis unavailable, serving uncached');
  }

  private async timed<T>(operation: string, run: () => Promise<T>): Promise<T | undefined> {
    const stop = this.metrics.duration.startTimer({ operation });
    try {
      return await run();
    } catch (error) {
      this.metrics.errors.inc({ operation });
      this.logError(operation, error);
      return undefined;
    } finally {
      stop();
    }
  }

  private async redisGet(keys: string[]): Promise<(string | null)[] | undefined> {
    const client = this.client!;
    if (keys.length === 0) return [];
    // A cluster cannot MGET keys of several slots: single GETs, auto-pipelined per node.
    if (isCluster(client)) return Promise.all(keys.map((key) => client.get(key)));
    return client.mget(keys);
  }

  /** Local generation of `name`, or undefined when L1 does not know it (with Redis). */
  private localGeneration(name: string): number | undefined {
    if (!this.l1Generations) return this.localGenerations.get(name) ?? 0;
    return this.l1Generations.get(name);
  }

  /**
   * Looks `keys` up (L1, then Redis for what L1 misses) and reads the
   * generations of `names` in the same Redis round trip. Returns, per key, the
   * value when present and still current (every dependency at the generation
   * it was stored with), and the generations read — which a fetch made now
   * must store with. Undefined when the cache cannot be used.
   */
  async lookup(cache: CacheName, keys: readonly string[], names: readonly string[]): Promise<{ values: (CachedValue | undefined)[]; generations: Map<string, number> } | undefined> {
    if (!this.available()) {
      // Redis configured but not connected: served uncached, and counted so the outage shows.
      this.metrics.errors.inc({ operation: 'unavailable' });
      return undefined;
    }
    const generations = new Map<string, number>();
    const unknownNames: string[] = [];
    for (const name of new Set(names)) {
      const generation = this.localGeneration(name);
      if (generation === undefined) unknownNames.push(name);
      else generations.set(name, generation);
    }
    const now = Date.now();
    const found: (L1Entry | CachedValue | undefined)[] = keys.map((key) => {
      const entry = this.l1.get(key);
      return entry && entry.expiresAt > now ? entry : undefined;
    });
    const l1Misses = keys.filter((_key, at) => found[at] === undefined);
    const l1Hits = keys.length - l1Misses.length;
    if (l1Hits > 0) this.metrics.requests.inc({ cache, layer: 'l1', result: 'hit' }, l1Hits);
    if (l1Misses.length > 0) this.metrics.requests.inc({ cache, layer: 'l1', result: 'miss' }, l1Misses.length);

    if (this.client && (l1Misses.length > 0 || unknownNames.length > 0)) {
      const reply = await this.timed('lookup', () => this.redisGet([...unknownNames.map((name) => GENERATION_PREFIX + name), ...l1Misses.map((key) => ENTRY_PREFIX + key)]));
      if (!reply) return undefined;
      unknownNames.forEach((name, at) => {
        const generation = Number(reply[at] ?? 0);
        generations.set(name, generation);
        this.l1Generations!.set(name, generation);
      });
      let l2Hits = 0;
      let next = unknownNames.length;
      for (let at = 0; at < keys.length; at++) {
        if (found[at] !== undefined) continue;
        const raw = reply[next++];
        if (typeof raw !== 'string') continue;
        try {
          const stored = JSON.parse(raw) as L1Entry;
          found[at] = stored;
          l2Hits++;
          if (stored.expiresAt > now) this.l1.set(keys[at]!, stored, { ttl: stored.expiresAt - now });
        } catch {
          // A value we cannot read is a miss.
        }
      }
      if (l2Hits > 0) this.metrics.requests.inc({ cache, layer: 'l2', result: 'hit' }, l2Hits);
      if (l1Misses.length - l2Hits > 0) this.metrics.requests.inc({ cache, layer: 'l2', result: 'miss' }, l1Misses.length - l2Hits);
    }

    // Dependencies the caller could not name beforehand (a cached response records the subjects it
    // contained): their generations, from L1 or in a second Redis round trip.
    const missingNames = new Set<string>();
    for (const entry of found) {
      for (const dep of entry?.deps ?? []) {
        if (generations.has(dep)) continue;
        const local = this.localGeneration(dep);
        if (local === undefined) missingNames.add(dep);
        else generations.set(dep, local);
      }
    }
    if (missingNames.size > 0) {
      const names = [...missingNames];
      const reply = await this.timed('lookup', () => this.redisGet(names.map((name) => GENERATION_PREFIX + name)));
      if (!reply) return undefined;
      names.forEach((name, at) => {
        const generation = Number(reply[at] ?? 0);
        generations.set(name, generation);
        this.l1Generations!.set(name, generation);
      });
    }

    const values = found.map((entry) => {
      if (!entry) return undefined;
      for (let i = 0; i < entry.deps.length; i++) {
        const current = generations.get(entry.deps[i]!);
        if (current !== entry.gens[i]) return undefined;
      }
      return entry;
    });
    return { values, generations };
  }

  /**
   * Generations of `names` as Redis holds them now (bypassing L1), or the
   * local truth without Redis. Used where an old copy would be unsafe: the
   * check that no write landed while a response was being computed.
   */
  async freshGenerations(names: readonly string[]): Promise<number[] | undefined> {
    if (!this.available()) return undefined;
    if (!this.client) return names.map((name) => this.localGenerations.get(name) ?? 0);
    const reply = await this.timed('generations', () => this.redisGet(names.map((name) => GENERATION_PREFIX + name)));
    if (!reply) return undefined;
    return reply.map((value, at) => {
      const generation = Number(value ?? 0);
      this.l1Generations!.set(names[at]!, generation);
      return generation;
    });
  }

  /** Stores values for `ttlSeconds`, in L1 and in Redis. Failures are counted and otherwise ignored. */
  async store(entries: readonly { key: string; value: CachedValue; ttlSeconds: number }[]): Promise<void> {
    if (entries.length === 0 || !this.available()) return;
    const now = Date.now();
    const serialised: [string, string, number][] = [];
    for (const { key, value, ttlSeconds } of entries) {
      if (ttlSeconds <= 0) continue;
      const entry: L1Entry = { deps: value.deps, gens: value.gens, body: value.body, expiresAt: now + ttlSeconds * 1000 };
      this.l1.set(key, entry, { ttl: ttlSeconds * 1000 });
      if (this.client) serialised.push([ENTRY_PREFIX + key, JSON.stringify(entry), ttlSeconds]);
    }
    if (!this.client || serialised.length === 0) return;
    const client = this.client;
    await this.timed('store', async () => {
      if (isCluster(client)) {
        await Promise.all(serialised.map(([key, value, ttl]) => client.set(key, value, 'EX', ttl)));
        return;
      }
      const pipeline = client.pipeline();
      for (const [key, value, ttl] of serialised) pipeline.set(key, value, 'EX', ttl);
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
    });
  }

  /**
   * A write changed `names` (lib/invalidation.ts generationsToBump): bump
   * them here at once, then in Redis and announce them to every gateway.
   * Resolves once Redis has them (or they are queued for when it is back).
   */
  async invalidate(names: readonly string[]): Promise<void> {
    if (!this.client) {
      for (const name of names) this.localGenerations.set(name, (this.localGenerations.get(name) ?? 0) + 1);
      if (this.localGenerations.size > MAX_LOCAL_GENERATIONS) {
        this.l1.clear();
        this.localGenerations.clear();
      }
      return;
    }
    this.forgetLocally(names);
    for (const name of names) this.pendingBumps.add(name);
    await this.flushPendingBumps();
  }

  private async flushPendingBumps(): Promise<void> {
    if (!this.client || this.pendingBumps.size === 0 || this.client.status !== 'ready') return;
    const names = [...this.pendingBumps];
    this.pendingBumps.clear();
    const done = await this.timed('invalidate', async () => {
      await bumpAndPublish(this.client!, names);
      return true;
    });
    if (!done) for (const name of names) this.pendingBumps.add(name);
  }

  /** An announcement from any gateway (ourselves included): forget those generations here. */
  private onAnnouncement(message: string): void {
    try {
      const names = JSON.parse(message) as unknown;
      if (Array.isArray(names)) this.forgetLocally(names.filter((name): name is string => typeof name === 'string'));
    } catch {
      // Not ours.
    }
  }

  private forgetLocally(names: readonly string[]): void {
    if (names.includes(ALL)) {
      this.l1.clear();
      this.l1Generations?.clear();
      return;
    }
    for (const name of names) this.l1Generations?.delete(name);
  }

  async close(): Promise<void> {
    this.client?.disconnect();
    this.subscriber?.disconnect();
  }
}
