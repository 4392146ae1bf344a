/**
 * Field-level authorisation, declared where the data is owned: each
 * department marks its fields `@access(scopes: [...])` in its own SDL (the
 * directive is kept through composition with @composeDirective; a supergraph
 * "links the access spec" with `@link(url: "https://credit-graph.dev/access/v0.1")`),
 * and the gateway enforces it per field. A field the caller may not read is
 * taken out of the operation after the operation was validated and before it
 * is planned, so no subgraph is ever asked for it, and put back into the
 * answer as null with a FORBIDDEN error, so the rest of the request answers.
 *
 * Semantics: a field needs at least one of the listed scopes; a field
 * without its own @access takes its type's; a field with neither is
 * readable by nobody (deny by default — test/auth/field-policies.test.ts
 * fails for such a field, so a new field cannot slip through). A field
 * selected on an interface is readable when the interface's policy (if it
 * declares one) and the policy of that field on every object type that can
 * be there allow it: the same answer whatever the runtime type. Introspection
 * (`__schema`, `__type`, `__typename` and the `__*` types) is governed
 * separately (plugins/introspection.ts).
 *
 * The rewrite never leaves anything the client did not write that would be
 * invalid: a fragment or inline fragment it empties is removed (with its
 * spreads), a variable only removed fields used is dropped, and a field whose
 * whole selection was removed keeps one `__typename` under a reserved alias
 * (so the answer still says whether the object exists); fillForbidden removes
 * every reserved key from the answer.
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
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

export const ACCESS_DIRECTIVE = 'access';
/** The access spec's URL prefix in a supergraph's @link. */
export const ACCESS_SPEC_URL = 'https://credit-graph.dev/access/';
/** Response key of the `__typename` that keeps an emptied selection valid; removed from the answer. */
const PLACEHOLDER = '__cgForbiddenPlaceholder';
/** Response key of the runtime type of an interface or union value, for putting fields back in it; removed from the answer. */
const RUNTIME_TYPE = '__cgTypename';

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

/**
 * Whether `field` selected on `parent` (as the document has it: an object type
 * or an interface) may be read with `scopes`. The one decision both the
 * rewrite and the fill use.
 */
export function fieldAllowed(schema: GraphQLSchema, policies: AccessPolicies, parent: GraphQLCompositeType, field: string, scopes: ReadonlySet<string>): boolean {
  if (field.startsWith('__') || parent.name.startsWith('__')) return true;
  if (isObjectType(parent)) return grants(requiredScopes(policies, parent.name, field), scopes);
  if (!isInterfaceType(parent)) return false; // a union has no fields but __typename
  const own = requiredScopes(policies, parent.name, field);
  if (own !== undefined && !grants(own, scopes)) return false;
  const possible = schema.getPossibleTypes(parent);
  if (possible.length === 0) return own !== undefined;
  return possible.every((type) => grants(requiredScopes(policies, type.name, field), scopes));
}

/** The scopes a FORBIDDEN error names for a field. */
function scopesNamed(schema: GraphQLSchema, policies: AccessPolicies, parent: GraphQLCompositeType, field: string): readonly string[] {
  const own = requiredScopes(policies, parent.name, field);
  if (own !== undefined || !isInterfaceType(parent)) return own ?? [];
  return [...new Set(schema.getPossibleTypes(parent).flatMap((type) => requiredScopes(policies, type.name, field) ?? []))];
}

export interface AccessPlan {
  /** The operation to execute: the selected operation without the fields the caller may not read (the input itself when nothing is forbidden). */
  document: DocumentNode;
  /** `Type.field` of every forbidden field the operation selected. */
  forbidden: string[];
}

const typenameField = (alias: string): FieldNode => ({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: '__typename' } });

function selectedOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
}

/**
 * Takes the forbidden fields out of the selected operation of a validated
 * document. When anything is forbidden, or with `markAbstract` (scopes that
 * depend on the subject: the answer will be filled), every interface or
 * union value also selects its runtime type under a reserved alias.
 */
export function planFieldAccess(
  schema: GraphQLSchema,
  document: DocumentNode,
  policies: AccessPolicies,
  scopes: ReadonlySet<string>,
  options: { operationName?: string | null; markAbstract?: boolean } = {},
): AccessPlan {
  const forbidden = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const removed = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || fieldAllowed(schema, policies, parent, node.name.value, scopes)) return undefined;
        forbidden.add(`${parent.name}.${node.name.value}`);
        return null;
      },
    }),
  );
  if (forbidden.size === 0 && !options.markAbstract) return { document, forbidden: [] };
  const operation = selectedOperation(removed, options.operationName);
  if (!operation) return { document, forbidden: [...forbidden] };

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
        selections.push({ ...selection, selectionSet: inner.selections.length > 0 ? inner : { kind: Kind.SELECTION_SET, selections: [typenameField(PLACEHOLDER)] } });
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
  if (root.selections.length === 0) root = { kind: Kind.SELECTION_SET, selections: [typenameField(PLACEHOLDER)] };

  // Only the fragments the pruned operation still reaches, and only the variables they and it use.
  const reached = new Map<string, FragmentDefinitionNode>();
  const usedVariables = new Set<string>();
  const walk = (node: SelectionSetNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (!fragment || reached.has(spread.name.value)) return;
        const pruned = { ...fragment, selectionSet: prune(fragment.selectionSet) };
        reached.set(spread.name.value, pruned);
        walk(pruned.selectionSet);
      },
      Variable(variable) {
        usedVariables.add(variable.name.value);
      },
    });
  walk(root);
  for (const directive of operation.directives ?? []) {
    visit(directive, {
      Variable(variable) {
        usedVariables.add(variable.name.value); // a variable of the operation's own directives
      },
    });
  }
  let rewritten: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      { ...operation, variableDefinitions: operation.variableDefinitions?.filter((v) => usedVariables.has(v.variable.name.value)), selectionSet: root },
      ...[...fragments.keys()].filter((name) => reached.has(name)).map((name) => reached.get(name)!),
    ],
  };
  // The answer will be filled: interface and union values must say their runtime type.
  rewritten = withRuntimeTypes(schema, rewritten);
  return { document: rewritten, forbidden: [...forbidden] };
}

/** Every selection of an interface or union value also asks for its runtime type (RUNTIME_TYPE). */
function withRuntimeTypes(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const type = typeInfo.getType();
        if (!node.selectionSet || !type || !isAbstractType(getNamedType(type))) return undefined;
        if (node.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.alias?.value === RUNTIME_TYPE)) return undefined;
        return { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, typenameField(RUNTIME_TYPE)] } };
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
 * is non-null; removes the reserved keys the rewrite added. Returns the
 * errors to add.
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
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const root = schema.getRootType(operation.operation);
  if (!root) return { data, errors };

  const included = (node: SelectionNode) =>
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  const applies = (condition: string | undefined, runtime: GraphQLObjectType) => {
    if (!condition || condition === runtime.name) return true;
    const type = schema.getType(condition);
    return !!type && isAbstractType(type) && schema.isSubType(type, runtime);
  };
  /** The fields that apply to a value of type `runtime`, grouped by response key, each with the type it was selected on. */
  const fieldsOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, runtime: GraphQLObjectType, into = new Map<string, { node: FieldNode; parent: GraphQLCompositeType }[]>(), seen = new Set<string>()) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        into.set(key, [...(into.get(key) ?? []), { node: selection, parent }]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        if (applies(condition, runtime)) fieldsOf(selection.selectionSet, condition ? (schema.getType(condition) as GraphQLCompositeType) : parent, runtime, into, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value) || !applies(fragment.typeCondition.name.value, runtime)) continue;
        seen.add(fragment.name.value);
        fieldsOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType, runtime, into, seen);
      }
    }
    return into;
  };

  /** Fills one object; returns false when a non-null field had to be nulled, so the object itself becomes null. */
  const fillObject = (declared: GraphQLCompositeType, runtime: GraphQLObjectType, selections: SelectionSetNode, value: { [key: string]: Json }, path: ResponsePath): boolean => {
    delete value[PLACEHOLDER];
    delete value[RUNTIME_TYPE];
    for (const [key, nodes] of fieldsOf(selections, declared, runtime)) {
      const name = nodes[0]!.node.name.value;
      if (name.startsWith('__')) continue;
      const field: GraphQLField<unknown, unknown> | undefined = runtime.getFields()[name];
      if (!field) continue;
      const here = scopesAt(path);
      const denied = nodes.find(({ parent }) => !fieldAllowed(schema, policies, parent, name, here));
      if (denied) {
        const required = scopesNamed(schema, policies, denied.parent, name);
        errors.push(
          // A refused mutation is named as one: nothing was read, and the write was not made.
          new GraphQLError(`${denied.parent.name === 'Mutation' ? `not allowed to call mutation ${name}` : `not allowed to read ${denied.parent.name}.${name}`}${required.length ? ` (needs one of: ${required.join(', ')})` : ''}`, {
            nodes: denied.node,
            path: [...path, key],
            extensions: { code: 'FORBIDDEN', field: `${denied.parent.name}.${name}`, requiredScopes: required },
          }),
        );
        value[key] = null;
        if (isNonNullType(field.type)) return false;
        continue;
      }
      const inner = nodes.flatMap(({ node }) => node.selectionSet?.selections ?? []);
      if (inner.length > 0 && value[key] !== undefined && value[key] !== null) {
        const filled = fillValue(field.type, { kind: Kind.SELECTION_SET, selections: inner }, value[key]!, [...path, key]);
        if (filled === undefined) {
          value[key] = null;
          if (isNonNullType(field.type)) return false;
        }
      }
    }
    return true;
  };

  /** Returns the value, or undefined when it must become null. */
  const fillValue = (type: GraphQLOutputType, selections: SelectionSetNode, value: Json, path: ResponsePath): Json | undefined => {
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (!Array.isArray(value)) return value;
      const itemType = nullable.ofType as GraphQLOutputType;
      for (let i = 0; i < value.length; i++) {
        if (value[i] === null) continue;
        const item = fillValue(itemType, selections, value[i]!, [...path, i]);
        if (item === undefined) {
          value[i] = null;
          if (isNonNullType(itemType)) return undefined;
        }
      }
      return value;
    }
    const named = getNamedType(type);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    let runtime: GraphQLObjectType | undefined;
    if (isObjectType(named)) runtime = named;
    else if (isAbstractType(named)) {
      const typename = value[RUNTIME_TYPE] ?? value.__typename;
      const type = typeof typename === 'string' ? schema.getType(typename) : undefined;
      runtime = isObjectType(type) ? type : undefined;
    }
    if (!runtime) {
      delete value[PLACEHOLDER];
      delete value[RUNTIME_TYPE];
      return value;
    }
    return fillObject(isObjectType(named) || isAbstractType(named) ? named : runtime, runtime, selections, value, path) ? value : undefined;
  };

  const complete = fillObject(root, root, operation.selectionSet, data, []);
  return { data: complete ? data : null, errors };
}
