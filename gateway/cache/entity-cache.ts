/**
 * The entity cache: what each department answered for an entity, so a
 * repeated cross-department query costs no subgraph round trip.
 *
 * For an `_entities` fetch, each representation has its own key: a hash of
 * the subgraph, the representation (its __typename and key fields), the
 * fetch's selection (the query text, its generated operation name removed so
 * two client operations selecting the same fields share entries) and the
 * caller's scope. An entry depends on the subject's generation (the
 * representation's `code`) and on ALL; the generations are read with the
 * keys, *before* the subgraph is asked, and the fresh answer is stored with
 * them: a write that lands while the fetch is in flight bumps the generation
 * past the stored one, so the possibly older answer is never served.
 *
 * All keys of a batch are looked up at once (L1, then one Redis MGET); the
 * subgraph is sent only the missing representations, in one request, and the
 * answers are merged back in order. Concurrent misses of one key cause one
 * fetch (single flight): the others wait for it. A response with errors is
 * not stored (and its waiters fetch for themselves). TTL per entity type from
 * the schema's hints (policy.ts); a type with TTL 0 — the credit office's
 * CreditCheck — always goes to the subgraph.
 */
import { createHash } from 'node:crypto';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ALL, subjectCodeOf } from '../../lib/invalidation';
import type { CachePolicy } from './policy';
import type { CachedValue, CacheStore } from './store';

type Representation = Record<string, unknown>;
type FetchRepresentations = (representations: Representation[]) => Promise<GatewayGraphQLResponse>;
type Errors = NonNullable<GatewayGraphQLResponse['errors']>;

/** The selection of a fetch without its generated operation name (`query Profile__market__1(` → `query (`). */
function selectionOf(query: string): string {
  return query.replace(/^\s*query\s+[A-Za-z_][A-Za-z0-9_]*\s*(?=[({])/, 'query ');
}

/** The cache key of one representation of a fetch (entityKeys for a whole batch). */
export function entityKey(subgraph: string, representation: unknown, query: string, scope: string): string {
  return entityKeys(subgraph, query, scope)(representation);
}

/**
 * The keys of one fetch's representations: the subgraph, selection and scope are hashed once and
 * the hash state copied per representation (hashing the whole query text again for each of a
 * 1,000-bidder batch's entities was 15 % of the gateway's CPU).
 */
export function entityKeys(subgraph: string, query: string, scope: string): (representation: unknown) => string {
  const prefix = createHash('sha256').update(JSON.stringify([subgraph, selectionOf(query), scope]));
  return (representation) => prefix.copy().update(JSON.stringify(representation)).digest('base64url');
}

/** Errors of a fetch of a subset, with `_entities` indexes mapped back to the whole batch. */
function remapErrors(errors: Errors | undefined, indexes: readonly number[]): Errors {
  return (errors ?? []).map((error) => {
    const path = (error as { path?: (string | number)[] }).path;
    // A GraphQLError of our own (DEPARTMENT_UNAVAILABLE) has no path; a spread would drop its message.
    if (error instanceof Error || !path || path[0] !== '_entities' || typeof path[1] !== 'number') return error;
    return { ...error, path: ['_entities', indexes[path[1]] ?? path[1], ...path.slice(2)] } as typeof error;
  });
}

export class EntityCache {
  /** Key → the answer (JSON text) of the fetch in flight for it; undefined when that fetch failed. */
  private readonly inFlight = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly store: CacheStore,
    private readonly policy: CachePolicy,
  ) {}

  /**
   * Answers an entity fetch from the cache and the subgraph; undefined when
   * the fetch is not a cacheable entity fetch (the caller fetches it as is).
   */
  async resolve(subgraph: string, query: string, variables: Record<string, unknown> | undefined, scope: string, fetch: FetchRepresentations): Promise<GatewayGraphQLResponse | undefined> {
    const representations = variables?.representations;
    if (!Array.isArray(representations) || representations.length === 0) return undefined;
    const policy = this.policy.fetch(query);
    if (policy.maxTtl <= 0) return undefined;

    const keys: (string | undefined)[] = [];
    const codes: (string | undefined)[] = [];
    const ttls: number[] = [];
    const keyOf = entityKeys(subgraph, query, scope);
    for (const representation of representations as Representation[]) {
      const ttl = policy.ttlByType.get(String(representation?.__typename)) ?? 0;
      const code = ttl > 0 ? subjectCodeOf(representation?.code) : undefined;
      codes.push(code);
      ttls.push(ttl);
      keys.push(code ? keyOf(representation) : undefined);
    }
    const cacheable = keys.flatMap((key, at) => (key ? [at] : []));
    if (cacheable.length === 0) return undefined;

    // Single flight, from before the lookup: a key another request is already looking up or
    // fetching is waited for, not looked up or fetched again.
    const waiting: { at: number; answer: Promise<string | undefined> }[] = [];
    const leading = new Map<number, (body: string | undefined) => void>();
    const mine: number[] = [];
    for (const at of cacheable) {
      const pending = this.inFlight.get(keys[at]!);
      if (pending) {
        waiting.push({ at, answer: pending });
        continue;
      }
      let settle!: (body: string | undefined) => void;
      this.inFlight.set(keys[at]!, new Promise((resolve) => (settle = resolve)));
      leading.set(at, settle);
      mine.push(at);
    }
    const finish = (at: number, body: string | undefined) => {
      const settle = leading.get(at);
      if (!settle) return;
      leading.delete(at);
      this.inFlight.delete(keys[at]!);
      settle(body);
    };

    let lookup: Awaited<ReturnType<CacheStore['lookup']>>;
    try {
      lookup = await this.store.lookup('entity', mine.map((at) => keys[at]!), [...cacheable.map((at) => codes[at]!), ALL]);
    } catch (error) {
      for (const at of mine) finish(at, undefined);
      throw error;
    }
    if (!lookup) {
      // Cache unusable: the waiters fetch for themselves, and this is an ordinary fetch.
      for (const at of mine) finish(at, undefined);
      return undefined;
    }
    const generations = lookup.generations;

    const results: unknown[] = new Array(representations.length);
    const answered = new Array<boolean>(representations.length).fill(false);
    lookup.values.forEach((value, n) => {
      if (!value) return;
      const at = mine[n]!;
      results[at] = JSON.parse(value.body);
      answered[at] = true;
      finish(at, value.body);
    });
    const waitingAt = new Set(waiting.map((w) => w.at));
    const toFetch: number[] = [];
    for (let at = 0; at < representations.length; at++) if (!answered[at] && !waitingAt.has(at)) toFetch.push(at);

    const errors: Errors[number][] = [];
    const fetchInto = async (indexes: number[], lead: boolean) => {
      let response: GatewayGraphQLResponse | undefined;
      try {
        response = await fetch(indexes.map((at) => representations[at] as Representation));
      } finally {
        const entities = response?.data?._entities;
        const usable = Array.isArray(entities) && entities.length === indexes.length;
        const clean = usable && !(response?.errors && response.errors.length > 0);
        const toStore: { key: string; value: CachedValue; ttlSeconds: number }[] = [];
        indexes.forEach((at, n) => {
          if (usable) {
            results[at] = entities[n];
            answered[at] = true;
          }
          const body = clean && keys[at] ? JSON.stringify(entities[n]) : undefined;
          if (body !== undefined) {
            toStore.push({
              key: keys[at]!,
              ttlSeconds: ttls[at]!,
              value: { deps: [codes[at]!, ALL], gens: [generations.get(codes[at]!) ?? 0, generations.get(ALL) ?? 0], body },
            });
          }
          if (lead) finish(at, body);
        });
        // Not awaited: L1 has the entries at once; Redis gets them without delaying this answer.
        void this.store.store(toStore);
      }
      errors.push(...remapErrors(response.errors, indexes));
    };

    if (toFetch.length > 0) await fetchInto(toFetch, true);
    const again: number[] = [];
    for (const { at, answer } of waiting) {
      const body = await answer;
      if (body === undefined) again.push(at);
      else {
        results[at] = JSON.parse(body);
        answered[at] = true;
      }
    }
    if (again.length > 0) await fetchInto(again, false);

    return errors.length > 0 ? { data: { _entities: results }, errors } : { data: { _entities: results } };
  }
}
