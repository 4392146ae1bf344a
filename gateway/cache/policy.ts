/**
 * Cache policy from the schema: how long an answer may be kept, read from
 * the `@cacheControl(maxAge: Int)` hints each department declares in its own
 * SDL where it owns the data (kept through composition with
 * `@composeDirective`, so the supergraph carries them). Nothing about TTLs is
 * hard-coded in the gateway.
 *
 * The rule, for a selection (an operation, or what an `_entities` fetch
 * selects on one entity type): the TTL is the minimum over
 * - every *top-level* field (a root field, or a field selected directly on the
 *   entity): its field hint, else its return type's hint, else 0 — a field
 *   nobody declared cacheable is not cached;
 * - every nested field that has a hint (field or return type); nested fields
 *   without one inherit from their parent, so a department marks only what
 *   changes faster than the profile it sits in.
 * A TTL of 0 means: never cached. That is how the credit office's
 * `creditCheck(s)` and its `CreditCheck` entity (the verdict) stay uncached —
 * each resolution decides and records a check — they simply carry no hint;
 * the departments' evidence for a check (`CreditCheck.market`, ...) carries
 * theirs and is cached like their profiles.
 */
import {
  buildASTSchema,
  getNamedType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';

export const CACHE_CONTROL = 'cacheControl';
/** Root fields whose answers a write to any subject can change (a new entry on a list page). */
const SEQUENCE_DEPENDENT_ROOT_FIELDS = new Set(['listEntries']);

export interface OperationPolicy {
  /** Seconds; 0 = not cacheable (mutation, unknown field, a field without a hint, a parse error). */
  ttl: number;
  /** Whether the answer can change by a write to a subject it does not contain. */
  dependsOnAnyWrite: boolean;
}

export interface EntityFetchPolicy {
  /** TTL per entity type selected (`... on Subject`); a type not listed is not cacheable. */
  ttlByType: Map<string, number>;
  /** The largest TTL over the types: > 0 when any part of the fetch is cacheable. */
  maxTtl: number;
}

const NOT_CACHEABLE: OperationPolicy = { ttl: 0, dependsOnAnyWrite: false };

function hintOf(directives: readonly DirectiveNode[] | undefined): number | undefined {
  const directive = directives?.find((d) => d.name.value === CACHE_CONTROL);
  const maxAge = directive?.arguments?.find((a) => a.name.value === 'maxAge');
  if (maxAge?.value.kind !== Kind.INT) return undefined;
  return Number(maxAge.value.value);
}

export class CachePolicy {
  private readonly schema: GraphQLSchema;
  private readonly typeHints = new Map<string, number>();
  /** Top-level key fields (`@join__type(key: "code")`): the identity of the entity, never a reason not to cache. */
  private readonly keyFields = new Map<string, Set<string>>();
  private readonly operations = new LRUCache<string, OperationPolicy>({ max: 2000 });
  private readonly fetches = new LRUCache<string, EntityFetchPolicy>({ max: 2000 });

  constructor(supergraphSdl: string) {
    const document = parse(supergraphSdl);
    this.schema = buildASTSchema(document, { assumeValid: true, assumeValidSDL: true });
    // Type-level hints, from the definition and any extension of the type.
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) {
        for (const directive of definition.directives ?? []) {
          const key = directive.name.value === 'join__type' ? directive.arguments?.find((a) => a.name.value === 'key')?.value : undefined;
          if (key?.kind !== Kind.STRING) continue;
          const fields = this.keyFields.get(definition.name.value) ?? new Set<string>();
          for (const field of key.value.split(/[\s{}]+/)) if (field) fields.add(field);
          this.keyFields.set(definition.name.value, fields);
        }
        const hint = hintOf(definition.directives);
        if (hint !== undefined) this.typeHints.set(definition.name.value, Math.min(hint, this.typeHints.get(definition.name.value) ?? hint));
      }
    }
  }

  /** Every hint the supergraph carries, for logs and tests: `Type` or `Type.field` → seconds. */
  hints(): Record<string, number> {
    const hints: Record<string, number> = Object.fromEntries(this.typeHints);
    for (const type of Object.values(this.schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const hint = hintOf(field.astNode?.directives);
        if (hint !== undefined) hints[`${type.name}.${field.name}`] = hint;
      }
    }
    return hints;
  }

  private fieldHint(field: GraphQLField<unknown, unknown>): number | undefined {
    return hintOf(field.astNode?.directives) ?? this.typeHints.get(getNamedType(field.type).name);
  }

  /** Minimum TTL over a selection set on `parent` (Infinity: nothing constrains it); 0 on anything unknown. */
  private selectionTtl(
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    fragments: Map<string, FragmentDefinitionNode>,
    topLevel: boolean,
    seen: Set<string>,
  ): number {
    let ttl = Infinity;
    for (const selection of selectionSet.selections) {
      if (ttl === 0) return 0;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
        const field = parent.getFields()[name];
        if (!field) return 0;
        const hint = this.fieldHint(field);
        if (hint !== undefined) ttl = Math.min(ttl, hint);
        else if (topLevel && !this.keyFields.get(parent.name)?.has(name)) return 0;
        if (selection.selectionSet) {
          ttl = Math.min(ttl, this.selectionTtl(selection.selectionSet, getNamedType(field.type), fragments, false, seen));
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        if (!type) return 0;
        ttl = Math.min(ttl, this.selectionTtl(selection.selectionSet, type, fragments, topLevel, seen));
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) return 0;
        const type = this.schema.getType(fragment.typeCondition.name.value);
        if (!type) return 0;
        ttl = Math.min(ttl, this.selectionTtl(fragment.selectionSet, type, fragments, topLevel, new Set([...seen, fragment.name.value])));
      }
    }
    return ttl;
  }

  private static parse(query: string): ReturnType<typeof CachePolicy.split> | undefined {
    let document: DocumentNode;
    try {
      document = parse(query, { noLocation: true });
    } catch {
      return undefined;
    }
    return CachePolicy.split(document);
  }

  private static split(document: DocumentNode): { operation: OperationDefinitionNode | undefined; fragments: Map<string, FragmentDefinitionNode>; document: DocumentNode } {
    const fragments = new Map<string, FragmentDefinitionNode>();
    const operations: OperationDefinitionNode[] = [];
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
    }
    return { operation: operations.length === 1 ? operations[0] : undefined, fragments, document };
  }

  /**
   * Policy of a client operation: only queries, TTL over every field. Cached
   * per query text and operation name; `document` is the text already parsed
   * (the pipeline parses each operation once).
   */
  operation(query: string, operationName?: string | null, document?: DocumentNode): OperationPolicy {
    const cacheKey = `${operationName ?? ''}\u0000${query}`;
    const known = this.operations.get(cacheKey);
    if (known) return known;
    const policy = this.computeOperation(document ? CachePolicy.split(document) : CachePolicy.parse(query), operationName ?? undefined);
    this.operations.set(cacheKey, policy);
    return policy;
  }

  private computeOperation(parsed: ReturnType<typeof CachePolicy.split> | undefined, operationName: string | undefined): OperationPolicy {
    if (!parsed) return NOT_CACHEABLE;
    const operation = operationName
      ? parsed.document.definitions.find(
          (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === operationName,
        )
      : parsed.operation;
    if (!operation || operation.operation !== 'query') return NOT_CACHEABLE;
    const root = this.schema.getQueryType();
    if (!root) return NOT_CACHEABLE;
    const ttl = this.selectionTtl(operation.selectionSet, root, parsed.fragments, true, new Set());
    const dependsOnAnyWrite = operation.selectionSet.selections.some(
      (s) => s.kind === Kind.FIELD && SEQUENCE_DEPENDENT_ROOT_FIELDS.has(s.name.value),
    );
    return { ttl: Number.isFinite(ttl) ? ttl : 0, dependsOnAnyWrite };
  }

  /**
   * Policy of a fetch the gateway sends a subgraph. An `_entities` fetch gets
   * a TTL per entity type; any other query (a root fetch) gets its operation
   * TTL under the key '' — used only to decide whether identical in-flight
   * requests may be merged (a creditCheck root fetch records a check, so two
   * identical ones are two checks, never one).
   */
  fetch(query: string): EntityFetchPolicy {
    const known = this.fetches.get(query);
    if (known) return known;
    const policy = this.computeFetch(query);
    this.fetches.set(query, policy);
    return policy;
  }

  private computeFetch(query: string): EntityFetchPolicy {
    const none: EntityFetchPolicy = { ttlByType: new Map(), maxTtl: 0 };
    const parsed = CachePolicy.parse(query);
    if (!parsed?.operation || parsed.operation.operation !== 'query') return none;
    const selections = parsed.operation.selectionSet.selections;
    const entities = selections.length === 1 && selections[0]!.kind === Kind.FIELD && selections[0]!.name.value === '_entities' ? selections[0] : undefined;
    if (!entities) {
      const { ttl } = this.computeOperation(parsed, undefined);
      return ttl > 0 ? { ttlByType: new Map([['', ttl]]), maxTtl: ttl } : none;
    }
    const ttlByType = new Map<string, number>();
    for (const selection of entities.selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD && selection.name.value === '__typename') continue;
      if (selection.kind !== Kind.INLINE_FRAGMENT || !selection.typeCondition) return none;
      const typename = selection.typeCondition.name.value;
      const type = this.schema.getType(typename);
      if (!type) return none;
      const ttl = this.selectionTtl(selection.selectionSet, type, parsed.fragments, true, new Set());
      ttlByType.set(typename, Math.min(Number.isFinite(ttl) ? ttl : 0, ttlByType.get(typename) ?? Infinity));
    }
    for (const [typename, ttl] of ttlByType) if (ttl <= 0) ttlByType.delete(typename);
    return { ttlByType, maxTtl: Math.max(0, ...ttlByType.values()) };
  }
}
