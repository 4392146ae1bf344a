/**
 * The whole-response cache (plugins/response-cache.ts wires it into the
 * pipeline): a hit answers the stored bytes without planning or executing
 * anything (an approval system re-checking the same subject).
 *
 * Key: a hash of the query text, operation name, variables and the caller's
 * scope (context.ts `scopeOfCaller`), so no caller is served an answer made
 * for another scope. Stored: only queries (no mutation), only answers without
 * errors, for the minimum of the @cacheControl hints of every field of the
 * operation (policy.ts; a field without a hint at the top level — creditCheck,
 * creditChecks, whose every answer records a check — makes it uncacheable).
 *
 * Invalidation rule: a cached response depends on every subject code found in
 * its variables and in its data (any valid unified social credit code or
 * resident identity number, at any depth: lib/invalidation.ts
 * collectSubjectCodes, and those the answer held before natural persons were
 * masked in it), on ALL, and for list pages (`listEntries`) on
 * SEQUENCE, which every write bumps. The generations are read from Redis after
 * execution, with SEQUENCE first; if SEQUENCE moved since the request began,
 * a write landed meanwhile and the answer (which may predate it) is not stored.
 */
import { createHash } from 'node:crypto';
import type { DocumentNode } from 'graphql';
import { ALL, collectSubjectCodes, SEQUENCE, subjectCodeOf } from '../../lib/invalidation';
import type { CachePolicy } from './policy';
import type { CacheStore } from './store';

/** A miss the answer may be stored for. */
export interface ResponseMiss {
  key: string;
  ttl: number;
  startSequence: number;
  variables: unknown;
  dependsOnAnyWrite: boolean;
}

export const CACHE_STATUS_HEADER = 'x-cache';

export function responseKey(query: string, operationName: unknown, variables: unknown, scope: string): string {
  return createHash('sha256')
    .update(JSON.stringify([query, operationName ?? null, variables ?? null, scope]))
    .digest('base64url');
}

export function createResponseCache(store: CacheStore, policy: CachePolicy) {
  /** The stored answer, a miss to store the answer under, or undefined when the operation is not cacheable or the cache is unusable. */
  async function lookup(
    query: string,
    operationName: string | null,
    variables: unknown,
    scope: string,
    document?: DocumentNode,
  ): Promise<{ hit: string; subjects: string[] } | { miss: ResponseMiss } | undefined> {
    const { ttl, dependsOnAnyWrite } = policy.operation(query, operationName, document);
    if (ttl <= 0) return undefined;
    const key = `r:${responseKey(query, operationName ?? undefined, variables, scope)}`;
    const found = await store.lookup('response', [key], [ALL, SEQUENCE]);
    if (!found) return undefined;
    const hit = found.values[0];
    // The subjects it depends on are those its answer held (masked or not in the body): the audit names them.
    if (hit) return { hit: hit.body, subjects: hit.deps.filter((name) => subjectCodeOf(name) !== undefined) };
    return { miss: { key, ttl, startSequence: found.generations.get(SEQUENCE) ?? 0, variables, dependsOnAnyWrite } };
  }

  /** Stores an answer without errors, unless a write landed since the lookup; `subjects`: the codes it held before it was masked. */
  async function save(miss: ResponseMiss, data: unknown, text: string, subjects: Iterable<string> = []): Promise<void> {
    const codes = collectSubjectCodes(data, collectSubjectCodes(miss.variables, new Set(subjects)));
    const deps = [...codes, ALL, ...(miss.dependsOnAnyWrite ? [SEQUENCE] : [])];
    const names = [SEQUENCE, ...deps.filter((name) => name !== SEQUENCE)];
    const generations = await store.freshGenerations(names);
    if (!generations || generations[0] !== miss.startSequence) return;
    const byName = new Map(names.map((name, at) => [name, generations[at]!]));
    await store.store([{ key: miss.key, ttlSeconds: miss.ttl, value: { deps, gens: deps.map((name) => byName.get(name)!), body: text } }]);
  }

  return { lookup, save };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;
