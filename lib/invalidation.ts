/**
 * Cache invalidation, the part shared by the gateway and the writers.
 *
 * Every cached answer (an entity a department returned, a whole response)
 * records the *generation* of each subject it involves. A write bumps the
 * generations of the subjects it changed (Redis `INCR cg:gen:<code>`), so
 * every cached answer that involved them stops matching at once, in every
 * gateway, without finding or deleting the entries; a message on the
 * `cg:invalidate` channel tells each gateway to drop its in-process copy of
 * those generations. Besides subject codes there are two pseudo-subjects:
 *
 * - `*` (ALL): part of every cached answer; bumped by a write that cannot
 *   name its subjects (a new measures catalogue, a batch too large to list).
 * - `~seq` (SEQUENCE): bumped by every write. Answers that a write to *any*
 *   subject can change — the public list pages, where a newly listed subject
 *   is not in the cached page — depend on it; the gateway also reads it
 *   before and after executing a request and stores nothing when a write
 *   landed in between (the answer may predate it).
 *
 * Who reports writes: a subgraph executing a mutation returns the changed
 * codes in `extensions.invalidatedSubjects` (the gateway that carried it bumps
 * and broadcasts before answering, so a read after the write never sees the
 * old answer); writers outside the graph (the seed, feeds through
 * lib/bulk.ts) call `publishInvalidation` themselves when Redis is configured.
 */
import { validateSubjectCode } from './identifiers';
import { connectRedis, fastFailOptions, redisTargetFrom, type RedisClient } from './redis';
import type { ResolverMap } from './subgraph';

export const ALL = '*';
export const SEQUENCE = '~seq';
export const GENERATION_PREFIX = 'cg:gen:';
export const INVALIDATION_CHANNEL = 'cg:invalidate';
/** A write naming more subjects than this invalidates everything: one INCR instead of thousands. */
export const MAX_LISTED_SUBJECTS = 1000;

/** The canonical (upper-case) code when `value` is a valid subject code, else undefined. */
export function subjectCodeOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length !== 18) return undefined;
  const result = validateSubjectCode(value.toUpperCase());
  return result.valid ? result.code : undefined;
}

/**
 * Every subject code anywhere in a JSON-like value (arguments, results, rows).
 * The rule for what a cached answer "involves": any string that is a valid
 * unified social credit code or resident identity number, at any depth.
 * Masked identity numbers are not valid codes and are not collected.
 */
export function collectSubjectCodes(value: unknown, into: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 32 || value === null || value === undefined) return into;
  if (typeof value === 'string') {
    const code = subjectCodeOf(value);
    if (code) into.add(code);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSubjectCodes(item, into, depth + 1);
  } else if (typeof value === 'object' && !(value instanceof Date)) {
    for (const item of Object.values(value)) collectSubjectCodes(item, into, depth + 1);
  }
  return into;
}

/** The generation names a write of `codes` bumps, SEQUENCE first (see the gateway's store for why the order matters). */
export function generationsToBump(codes: Iterable<string>): string[] {
  const list = [...new Set(codes)];
  if (list.length === 0 || list.length > MAX_LISTED_SUBJECTS || list.includes(ALL)) return [SEQUENCE, ALL];
  return [SEQUENCE, ...list];
}

/** Bumps the generations of `names` and announces them, on an open client. */
export async function bumpAndPublish(client: RedisClient, names: readonly string[]): Promise<void> {
  // One command each (a cluster spreads the keys over nodes); SEQUENCE first.
  await Promise.all(names.map((name) => client.incr(GENERATION_PREFIX + name)));
  await client.publish(INVALIDATION_CHANNEL, JSON.stringify(names));
}

/**
 * For writers outside the graph (seed, feeds): bumps and broadcasts the
 * subjects' generations when Redis is configured; without Redis there is no
 * shared cache to reach (the embedded gateway's cache is in its own process,
 * and is only correct for writes that go through it). Waits until Redis has
 * the bump; a Redis that cannot be reached is reported, since the gateways'
 * cached answers of these subjects would stay stale until their TTL.
 */
export async function publishInvalidation(codes: Iterable<string>, env: Record<string, string | undefined> = process.env): Promise<void> {
  const target = redisTargetFrom(env);
  if (!target) return;
  const client = connectRedis(target, { ...fastFailOptions(2000), enableOfflineQueue: true, maxRetriesPerRequest: 3 });
  try {
    await bumpAndPublish(client, generationsToBump(codes));
  } finally {
    client.disconnect();
  }
}

/** Subjects changed by the current subgraph request, keyed by its context object. */
const changedByRequest = new WeakMap<object, Set<string>>();

export function recordChangedSubjects(context: object, codes: Iterable<string>): void {
  const set = changedByRequest.get(context) ?? new Set<string>();
  for (const code of codes) set.add(code);
  changedByRequest.set(context, set);
}

export function changedSubjects(context: object): string[] | undefined {
  const set = changedByRequest.get(context);
  return set && set.size > 0 ? [...set] : undefined;
}

/**
 * Wraps every Mutation resolver of a subgraph so a successful write records
 * the subjects it changed: every subject code in its arguments and in the
 * object it returns (the resolver's own result, with every column, not the
 * client's selection). A write that names none — a new measures catalogue,
 * feedback against a checkId — records ALL: invalidating too much costs
 * misses, invalidating too little serves an old answer. A refused write
 * throws and changes nothing, so it records nothing.
 */
export function withWriteInvalidation(resolvers: ResolverMap): ResolverMap {
  const mutation = resolvers.Mutation;
  if (!mutation) return resolvers;
  const wrapped: ResolverMap[string] = {};
  for (const [field, resolve] of Object.entries(mutation)) {
    wrapped[field] = async (root: unknown, args: unknown, context: object, info: unknown) => {
      const result = await resolve(root, args, context, info);
      const codes = collectSubjectCodes(result, collectSubjectCodes(args));
      recordChangedSubjects(context, codes.size > 0 ? codes : [ALL]);
      return result;
    };
  }
  return { ...resolvers, Mutation: wrapped };
}
