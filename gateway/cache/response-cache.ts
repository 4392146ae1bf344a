/**
 * The whole-response cache, in front of Apollo: a hit returns the stored
 * bytes from a Fastify preHandler, without parsing, validating, planning or
 * executing anything (an approval system re-checking the same subject).
 *
 * Key: a hash of the query text, operation name, variables and the caller's
 * scope (context.ts `scopeOf`), so no caller is served an answer made for
 * another scope. Stored: only queries (no mutation), only answers without
 * errors, for the minimum of the @cacheControl hints of every field of the
 * operation (policy.ts; a field without a hint at the top level — creditCheck,
 * creditChecks, whose every answer records a check — makes it uncacheable).
 *
 * Invalidation rule: a cached response depends on every subject code found in
 * its variables and in its data (any valid unified social credit code or
 * resident identity number, at any depth: lib/invalidation.ts
 * collectSubjectCodes), on ALL, and for list pages (`listEntries`) on
 * SEQUENCE, which every write bumps. The generations are read from Redis after
 * execution, with SEQUENCE first; if SEQUENCE moved since the request began,
 * a write landed meanwhile and the answer (which may predate it) is not stored.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ALL, collectSubjectCodes, SEQUENCE } from '../../lib/invalidation';
import { scopeOf } from '../context';
import type { CachePolicy } from './policy';
import type { CacheStore } from './store';

interface GraphQLRequestBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

interface Miss {
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
  const misses = new WeakMap<FastifyRequest, Miss>();

  async function preHandler(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    if (request.method !== 'POST') return undefined;
    const body = request.body as GraphQLRequestBody | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.query !== 'string') return undefined;
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const { ttl, dependsOnAnyWrite } = policy.operation(body.query, operationName);
    if (ttl <= 0) return undefined;
    const key = `r:${responseKey(body.query, operationName, body.variables, scopeOf(request))}`;
    const lookup = await store.lookup('response', [key], [ALL, SEQUENCE]);
    if (!lookup) return undefined;
    const hit = lookup.values[0];
    if (hit) {
      return reply.header('content-type', 'application/json; charset=utf-8').header(CACHE_STATUS_HEADER, 'HIT').send(hit.body);
    }
    misses.set(request, { key, ttl, startSequence: lookup.generations.get(SEQUENCE) ?? 0, variables: body.variables, dependsOnAnyWrite });
    reply.header(CACHE_STATUS_HEADER, 'MISS');
    return undefined;
  }

  async function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const miss = misses.get(request);
    if (!miss) return payload;
    misses.delete(request);
    if (reply.statusCode !== 200) return payload;
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
    if (text === undefined) return payload;
    let parsed: { data?: unknown; errors?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      return payload;
    }
    if (parsed.errors !== undefined || !parsed.data) return payload;
    const codes = collectSubjectCodes(parsed.data, collectSubjectCodes(miss.variables));
    const deps = [...codes, ALL, ...(miss.dependsOnAnyWrite ? [SEQUENCE] : [])];
    const names = [SEQUENCE, ...deps.filter((name) => name !== SEQUENCE)];
    const generations = await store.freshGenerations(names);
    if (!generations || generations[0] !== miss.startSequence) return payload;
    const byName = new Map(names.map((name, at) => [name, generations[at]!]));
    await store.store([{ key: miss.key, ttlSeconds: miss.ttl, value: { deps, gens: deps.map((name) => byName.get(name)!), body: text } }]);
    return payload;
  }

  return { preHandler, onSend };
}
