/**
 * Field-level authorisation, declared where the data is owned: each
 * department marks its fields `@access(scopes: [...])` in its own SDL (the
 * directive is kept through composition with @composeDirective; a supergraph
 * "links the access spec" with `@link(url: "https://credit-graph.dev/access/v0.1")`),
 * and the gateway enforces it per field. The client's operation is planned
 * as it was sent (so the plan routes it as it would without authorisation);
 * the fields the caller may not read then leave the plan's subgraph fetches
 * (plan-pruning.ts) and the document the answer is shaped by, and are put
 * back into the answer as null with a FORBIDDEN error, so the rest of the
 * request answers.
 *
 * Semantics: a field needs at least one of the listed scopes; a field
 * without its own @access takes its type's; a field with neither is
 * readable by nobody (deny by default — test/auth/field-policies.test.ts
 * fails for such a field, so a new field cannot slip through). A field
 * selected on an interface is decided per value, by its runtime type: it is
 * readable when the interface's own policy (if it declares one) and the
 * runtime type's policy for that field allow it (`Node.id`: the ids of the
 * types the caller may see). It leaves the plan only when no type that can
 * be there allows it. Introspection (`__schema`, `__type`, `__typename` and
 * the `__*` types) is governed separately (plugins/introspection.ts).
 *
 * The shaping document never leaves anything the client did not write that
 * would be invalid: a fragment or inline fragment it empties is removed
 * (with its spreads), the operation keeps every variable definition (the
 * plan's @skip/@include conditions read their defaults from it), and a
 * field whose whole selection was removed keeps a `__typename` under a
 * reserved alias (so the answer still says whether the object exists).
 * The reserved aliases are chosen per document so that none is a response
 * key of the client's (reservedKeys): a client cannot forge or hide one.
 * fillForbidden rebuilds every object in the client's field order, so
 * nothing reserved is left in the answer.
 */
import {
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

export const ACCESS_DIRECTIVE = 'access';
/** The access spec's URL prefix in a supergraph's @link. */
export const ACCESS_SPEC_URL = 'https://credit-graph.dev/access/';
/** The start of every reserved response key; lengthened for a document whose own keys start with it. */
const RESERVED_PREFIX = '__cg';

/** Type name → (field name → scopes, any one of which grants it); `''` holds the type's own policy. */
export type AccessPolicies = Map<string, Map<string, readonly string[]>>;

/** Whether a supergraph links the access spec (and so declares the policies the gateway enforces). */
export function linksAccessSpec(sdl: string): boolean {
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const url = directive.arguments?.find((a) => a.name.value === 'url')?.value;
      if (url?.kind === Kind.STRING && url.value.startsWith(ACCESS_SPEC_URL)) return true;
    }
  }
  return false;
}

/** Reads every @access application of a (super)graph SDL: object types and interfaces, and their fields. */
export function accessPolicies(sdl: string): AccessPolicies {
  const policies: AccessPolicies = new Map();
  const scopesOf = (directives: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: unknown }[] }[] | undefined) => {
    const access = directives?.find((d) => d.name.value === ACCESS_DIRECTIVE);
    const argument = access?.arguments?.find((a) => a.name.value === 'scopes')?.value as { kind: string; values?: { value: string }[]; value?: string } | undefined;
    if (!argument) return undefined;
    return argument.kind === Kind.LIST ? (argument.values ?? []).map((v) => v.value) : [argument.value ?? ''];
  };
  for (const definition of parse(sdl).definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    const type = policies.get(definition.name.value) ?? new Map<string, readonly string[]>();
    const own = scopesOf(definition.directives);
    if (own) type.set('', [...new Set([...(type.get('') ?? []), ...own])]);
    for (const field of definition.fields ?? []) {
      const scopes = scopesOf(field.directives);
      if (scopes) type.set(field.name.value, [...new Set([...(type.get(field.name.value) ?? []), ...scopes])]);
    }
    policies.set(definition.name.value, type);
  }
  return policies;
}

/** The scopes that grant a field, or undefined when nothing declares any. */
export function requiredScopes(policies: AccessPolicies, type: string, field: string): readonly string[] | undefined {
  const ofType = policies.get(type);
  return ofType?.get(field) ?? ofType?.get('');
}

const grants = (required: readonly string[] | undefined, scopes: ReadonlySet<string>) => required !== undefined && required.some((scope) => scopes.has(scope));

/** Why a field is not readable on a value: the coordinate whose policy refused, and the scopes it names. */
interface Refusal {
  coordinate: string;
  required: readonly string[];
}

/**
 * Whether `field` selected on `parent` (as the document has it) may be read
 * on a value whose runtime type is `runtime` (undefined when the answer does
 * not say: then every type that can be there must allow it). The one
 * decision the fill makes; returns why not, or undefined when allowed.
 */
export function refusal(
  schema: GraphQLSchema,
  policies: AccessPolicies,
  parent: GraphQLCompositeType,
  runtime: GraphQLObjectType | undefined,
  field: string,
  scopes: ReadonlySet<string>,
): Refusal | undefined {
  if (field.startsWith('__') || parent.name.startsWith('__')) return undefined;
  const refusedBy = (type: string): Refusal | undefined => {
    const required = requiredScopes(policies, type, field);
    return grants(required, scopes) ? undefined : { coordinate: `${type}.${field}`, required: required ?? [] };
  };
  if (isObjectType(parent)) return refusedBy(parent.name);
  if (!isInterfaceType(parent)) return { coordinate: `${parent.name}.${field}`, required: [] }; // a union has no fields but __typename
  const own = requiredScopes(policies, parent.name, field);
  if (own !== undefined && !grants(own, scopes)) return { coordinate: `${parent.name}.${field}`, required: own };
  if (runtime) return refusedBy(runtime.name);
  const possible = schema.getPossibleTypes(parent);
  if (possible.length === 0) return own !== undefined ? undefined : { coordinate: `${parent.name}.${field}`, required: [] };
  for (const type of possible) {
    const refused = refusedBy(type.name);
    if (refused) return refused;
  }
  return undefined;
}

/**
 * Whether `field` selected on `parent` may be read on at least one value
 * (`some`) and on every value (`all`) the caller could get there: what the
 * plan keeps, and whether the answer must then be decided per runtime type.
 */
export function readability(schema: GraphQLSchema, policies: AccessPolicies, parent: GraphQLCompositeType, field: string, scopes: ReadonlySet<string>): { some: boolean; all: boolean } {
  if (field.startsWith('__') || parent.name.startsWith('__')) return { some: true, all: true };
  if (!isInterfaceType(parent)) {
    const allowed = isObjectType(parent) && grants(requiredScopes(policies, parent.name, field), scopes);
    return { some: allowed, all: allowed };
  }
  const own = requiredScopes(policies, parent.name, field);
  if (own !== undefined && !grants(own, scopes)) return { some: false, all: false };
  const possible = schema.getPossibleTypes(parent);
  if (possible.length === 0) return { some: own !== undefined, all: own !== undefined };
  const allowed = possible.filter((type) => grants(requiredScopes(policies, type.name, field), scopes)).length;
  return { some: allowed > 0, all: allowed === possible.length };
}

/** The response keys the gateway adds to a document and removes from its answer, none of them one of the client's. */
export interface ReservedKeys {
  /** The `__typename` that keeps an emptied selection (of a document or a subgraph fetch) valid. */
  placeholder: string;
  /** The runtime type of an interface or union value, selected in an inline fragment per possible type. */
  runtimeType: string;
}

const reservedByDocument = new WeakMap<DocumentNode, ReservedKeys>();

/** The reserved keys for a document: a prefix no response key or field name of it starts with. */
export function reservedKeys(document: DocumentNode): ReservedKeys {
  let reserved = reservedByDocument.get(document);
  if (reserved) return reserved;
  const keys: string[] = [];
  visit(document, {
    Field(node) {
      keys.push(node.name.value);
      if (node.alias) keys.push(node.alias.value);
    },
  });
  let prefix = RESERVED_PREFIX;
  while (keys.some((key) => key.startsWith(prefix))) prefix += '_';
  reserved = { placeholder: `${prefix}Empty`, runtimeType: `${prefix}Type` };
  reservedByDocument.set(document, reserved);
  return reserved;
}

export interface AccessPlan {
  /**
   * The document the answer is shaped by: the selected operation without the
   * fields the caller may not read (the input itself when nothing is
   * forbidden and nothing is decided per runtime type).
   */
  document: DocumentNode;
  /** `Type.field` of every field the operation selected that no value the caller could get there allows. */
  forbidden: string[];
  /** Whether some interface field is allowed on some runtime types only (the answer is decided per value). */
  perRuntimeType: boolean;
  reserved: ReservedKeys;
}

const aliased = (alias: string, name: string): FieldNode => ({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: name } });

/** `... on T { <alias>: __typename }` for every possible type of an abstract type: says the runtime type without ever failing on an unknown one. */
export function runtimeTypeMarkers(schema: GraphQLSchema, type: GraphQLCompositeType, alias: string): InlineFragmentNode[] {
  const possible = isAbstractType(type) ? schema.getPossibleTypes(type) : [];
  return possible.map((object) => ({
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: object.name } },
    selectionSet: { kind: Kind.SELECTION_SET, selections: [aliased(alias, '__typename')] },
  }));
}

/**
 * What stands for an emptied selection on `type`: its `__typename` under the
 * placeholder key; for an interface or union, per possible type, so that a
 * value whose runtime type the answer does not know stays an object.
 */
function placeholderFor(schema: GraphQLSchema, type: GraphQLCompositeType, reserved: ReservedKeys): SelectionSetNode {
  const markers = runtimeTypeMarkers(schema, type, reserved.runtimeType);
  return { kind: Kind.SELECTION_SET, selections: markers.length > 0 ? markers : [aliased(reserved.placeholder, '__typename')] };
}

function selectedOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
}

/**
 * Takes the forbidden fields out of the selected operation of a validated
 * document. When anything is forbidden or decided per runtime type, or with
 * `markAbstract` (scopes that depend on the subject: the answer will be
 * filled), every interface or union value also selects its runtime type
 * under a reserved key.
 */
export function planFieldAccess(
  schema: GraphQLSchema,
  document: DocumentNode,
  policies: AccessPolicies,
  scopes: ReadonlySet<string>,
  options: { operationName?: string | null; markAbstract?: boolean } = {},
): AccessPlan {
  const reserved = reservedKeys(document);
  const forbidden = new Set<string>();
  let perRuntimeType = false;
  const typeInfo = new TypeInfo(schema);
  /** The type of each field whose selection may be emptied, for its placeholder. */
  const typeOf = new Map<FieldNode, GraphQLCompositeType>();
  const removed = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          const parent = typeInfo.getParentType();
          if (!parent) return undefined;
          const readable = readability(schema, policies, parent, node.name.value, scopes);
          if (!readable.all) perRuntimeType ||= readable.some;
          if (readable.some) return undefined;
          forbidden.add(`${parent.name}.${node.name.value}`);
          return null;
        },
        leave(node) {
          const type = typeInfo.getType();
          const named = type ? getNamedType(type) : undefined;
          if (node.selectionSet && named && (isObjectType(named) || isAbstractType(named))) typeOf.set(node, named);
        },
      },
    }),
  );
  if (forbidden.size === 0 && !perRuntimeType && !options.markAbstract) return { document, forbidden: [], perRuntimeType, reserved };
  const operation = selectedOperation(removed, options.operationName);
  if (!operation) return { document, forbidden: [...forbidden], perRuntimeType, reserved };

  // Fragments the removal emptied, to a fixpoint (a fragment that only spread an emptied one is empty too).
  const fragments = new Map(removed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const empty = new Set<string>();
  const prune = (selectionSet: SelectionSetNode): SelectionSetNode => {
    const selections: SelectionNode[] = [];
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (!empty.has(selection.name.value)) selections.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = prune(selection.selectionSet);
        if (inner.selections.length > 0) selections.push({ ...selection, selectionSet: inner });
      } else if (selection.selectionSet) {
        const inner = prune(selection.selectionSet);
        const type = typeOf.get(selection);
        selections.push({ ...selection, selectionSet: inner.selections.length > 0 || !type ? inner : placeholderFor(schema, type, reserved) });
      } else {
        selections.push(selection);
      }
    }
    return { ...selectionSet, selections };
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, fragment] of fragments) {
      if (!empty.has(name) && prune(fragment.selectionSet).selections.length === 0) {
        empty.add(name);
        changed = true;
      }
    }
  }
  let root = prune(operation.selectionSet);
  const rootType = schema.getRootType(operation.operation);
  if (root.selections.length === 0 && rootType) root = placeholderFor(schema, rootType, reserved);

  // Only the fragments the pruned operation still reaches (an unused one would be invalid).
  const reached = new Map<string, FragmentDefinitionNode>();
  const walk = (node: SelectionSetNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (!fragment || reached.has(spread.name.value)) return;
        const pruned = { ...fragment, selectionSet: prune(fragment.selectionSet) };
        reached.set(spread.name.value, pruned);
        walk(pruned.selectionSet);
      },
    });
  walk(root);
  const rewritten: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      { ...operation, selectionSet: root },
      ...[...fragments.keys()].filter((name) => reached.has(name)).map((name) => reached.get(name)!),
    ],
  };
  // The answer will be filled: interface and union values must say their runtime type.
  return { document: withRuntimeTypes(schema, rewritten, reserved), forbidden: [...forbidden], perRuntimeType, reserved };
}

/** Every selection of an interface or union value also says its runtime type (runtimeTypeMarkers). */
function withRuntimeTypes(schema: GraphQLSchema, document: DocumentNode, reserved: ReservedKeys): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const type = typeInfo.getType();
        const named = type ? getNamedType(type) : undefined;
        if (!node.selectionSet || !named || !isAbstractType(named)) return undefined;
        const marked = (s: SelectionNode) => s.kind === Kind.INLINE_FRAGMENT && s.selectionSet.selections.some((m) => m.kind === Kind.FIELD && m.alias?.value === reserved.runtimeType);
        if (node.selectionSet.selections.some(marked)) return undefined;
        return { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, ...runtimeTypeMarkers(schema, named, reserved.runtimeType)] } };
      },
    }),
  );
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ResponsePath = (string | number)[];
/** The caller's scopes, or scopes that depend on where in the answer a field is (a bank's per-subject authorisation). */
export type ScopesAt = ReadonlySet<string> | ((path: ResponsePath) => ReadonlySet<string>);

/**
 * Puts the forbidden fields back into the answer: null, with a FORBIDDEN
 * error at each place, and null propagated as GraphQL does when the field
 * is non-null. Every object is rebuilt with the client's keys in the
 * client's order (CollectFields order), so a field put back stands where
 * the client asked for it and no reserved key is left. Returns the errors
 * to add.
 */
export function fillForbidden(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  policies: AccessPolicies,
  scopes: ScopesAt,
  data: { [key: string]: Json } | null,
  /** The operation's coerced variables (defaults applied), for @skip and @include. */
  variables: Record<string, unknown> = {},
): { data: { [key: string]: Json } | null; errors: GraphQLError[] } {
  const scopesAt = typeof scopes === 'function' ? scopes : () => scopes;
  const errors: GraphQLError[] = [];
  if (!data) return { data, errors };
  const operation = selectedOperation(document, operationName);
  if (!operation) return { data, errors };
  const { runtimeType } = reservedKeys(document);
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const root = schema.getRootType(operation.operation);
  if (!root) return { data, errors };
  const mutationRoot = schema.getMutationType();

  const included = (node: SelectionNode) =>
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  /** Whether a type condition applies to a value: by its runtime type, or (unknown) as the gateway shaped it, by the declared type. */
  const applies = (condition: string | undefined, declared: GraphQLCompositeType, runtime: GraphQLObjectType | undefined) => {
    if (!condition) return true;
    const type = schema.getType(condition);
    const actual = runtime ?? declared;
    if (!type || condition === actual.name) return !!type;
    return isAbstractType(type) && !isAbstractType(actual) ? schema.isSubType(type, actual) : isInterfaceType(type) && isInterfaceType(actual) && schema.isSubType(type, actual);
  };
  /** The fields that apply to a value, grouped by response key in the client's order, each with the type it was selected on. */
  const fieldsOf = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    declared: GraphQLCompositeType,
    runtime: GraphQLObjectType | undefined,
    into = new Map<string, { node: FieldNode; parent: GraphQLCompositeType }[]>(),
    seen = new Set<string>(),
  ) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        into.set(key, [...(into.get(key) ?? []), { node: selection, parent }]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        if (applies(condition, declared, runtime)) fieldsOf(selection.selectionSet, condition ? (schema.getType(condition) as GraphQLCompositeType) : parent, declared, runtime, into, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value) || !applies(fragment.typeCondition.name.value, declared, runtime)) continue;
        seen.add(fragment.name.value);
        fieldsOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType, declared, runtime, into, seen);
      }
    }
    return into;
  };

  /** The object rebuilt, or undefined when a non-null field had to be nulled, so the object itself becomes null. */
  const fillObject = (declared: GraphQLCompositeType, runtime: GraphQLObjectType | undefined, selections: SelectionSetNode, value: { [key: string]: Json }, path: ResponsePath) => {
    const filled: { [key: string]: Json } = {};
    const fieldsHere = runtime ? runtime.getFields() : isInterfaceType(declared) ? declared.getFields() : {};
    for (const [key, nodes] of fieldsOf(selections, declared, declared, runtime)) {
      const name = nodes[0]!.node.name.value;
      const field: GraphQLField<unknown, unknown> | undefined = name.startsWith('__') ? undefined : fieldsHere[name];
      if (!field) {
        if (value[key] !== undefined) filled[key] = value[key]!;
        continue;
      }
      const here = scopesAt(path);
      const refused = nodes.map(({ node, parent }) => ({ node, why: refusal(schema, policies, parent, runtime, name, here) })).find(({ why }) => why);
      if (refused) {
        const { coordinate, required } = refused.why!;
        errors.push(
          // A refused mutation is named as one: nothing was read, and the write was not made.
          new GraphQLError(`${declared === mutationRoot ? `not allowed to call mutation ${name}` : `not allowed to read ${coordinate}`}${required.length ? ` (needs one of: ${required.join(', ')})` : ''}`, {
            nodes: refused.node,
            path: [...path, key],
            extensions: { code: 'FORBIDDEN', field: coordinate, requiredScopes: required },
          }),
        );
        if (isNonNullType(field.type)) return undefined;
        filled[key] = null;
        continue;
      }
      const answer = value[key];
      if (answer === undefined) continue;
      const inner = nodes.flatMap(({ node }) => node.selectionSet?.selections ?? []);
      if (inner.length === 0 || answer === null) {
        filled[key] = answer;
        continue;
      }
      const completed = fillValue(field.type, { kind: Kind.SELECTION_SET, selections: inner }, answer, [...path, key]);
      if (completed === undefined && isNonNullType(field.type)) return undefined;
      filled[key] = completed ?? null;
    }
    return filled;
  };

  /** Returns the value, or undefined when it must become null. */
  const fillValue = (type: GraphQLOutputType, selections: SelectionSetNode, value: Json, path: ResponsePath): Json | undefined => {
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (!Array.isArray(value)) return value;
      const itemType = nullable.ofType as GraphQLOutputType;
      const items: Json[] = [];
      for (let i = 0; i < value.length; i++) {
        const item = value[i] === null ? null : fillValue(itemType, selections, value[i]!, [...path, i]);
        if (item === undefined && isNonNullType(itemType)) return undefined;
        items.push(item ?? null);
      }
      return items;
    }
    const named = getNamedType(type);
    if (typeof value !== 'object' || value === null || Array.isArray(value) || (!isObjectType(named) && !isAbstractType(named))) return value;
    let runtime: GraphQLObjectType | undefined;
    if (isObjectType(named)) runtime = named;
    else {
      // Only the reserved key: a client's own `__typename` alias cannot pass for the runtime type.
      const typename = value[runtimeType];
      const type = typeof typename === 'string' ? schema.getType(typename) : undefined;
      runtime = isObjectType(type) && schema.isSubType(named, type) ? type : undefined;
    }
    return fillObject(named, runtime, selections, value, path);
  };

  const complete = fillObject(root, root, operation.selectionSet, data, []);
  return { data: complete ?? null, errors };
}
