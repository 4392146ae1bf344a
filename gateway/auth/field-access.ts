/**
 * Field-level authorisation, declared where the data is owned: each
 * department marks its fields `@access(scopes: [...])` in its own SDL (the
 * directive is kept through composition with @composeDirective), and the
 * gateway enforces it per field. A field the caller may not read is taken
 * out of the operation before it is planned, so no subgraph is ever asked
 * for it, and put back into the answer as null with a FORBIDDEN error, so
 * the rest of the request still answers.
 *
 * Semantics: a field needs at least one of the listed scopes; a field
 * without its own @access takes its type's; a field with neither is
 * readable by nobody (deny by default — test/auth/field-matrix.test.ts
 * fails for such a field, so a new field cannot slip through).
 */
import {
  getNamedType,
  getNullableType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  TypeInfo,
  visitWithTypeInfo,
  GraphQLError,
} from 'graphql';

export const ACCESS_DIRECTIVE = 'access';
/** Response key of the `__typename` that keeps an emptied selection valid; removed from the answer. */
const PLACEHOLDER = '__cgForbiddenPlaceholder';

/** Type name → (field name → scopes, any one of which grants it); `''` holds the type's own policy. */
export type AccessPolicies = Map<string, Map<string, readonly string[]>>;

/** Reads every @access application of a (super)graph SDL. */
export function accessPolicies(sdl: string): AccessPolicies {
  const policies: AccessPolicies = new Map();
  const scopesOf = (directives: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: unknown }[] }[] | undefined) => {
    const access = directives?.find((d) => d.name.value === ACCESS_DIRECTIVE);
    const argument = access?.arguments?.find((a) => a.name.value === 'scopes')?.value as { kind: string; values?: { value: string }[]; value?: string } | undefined;
    if (!argument) return undefined;
    return argument.kind === Kind.LIST ? (argument.values ?? []).map((v) => v.value) : [argument.value ?? ''];
  };
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
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

/** The scopes that grant a field, or undefined when nothing declares any (nobody may read it). */
export function requiredScopes(policies: AccessPolicies, type: string, field: string): readonly string[] | undefined {
  const ofType = policies.get(type);
  return ofType?.get(field) ?? ofType?.get('');
}

const isIntrospection = (field: string) => field.startsWith('__');

function allowed(policies: AccessPolicies, type: string, field: string, scopes: ReadonlySet<string>): boolean {
  if (isIntrospection(field)) return true; // introspection is governed separately (DEVELOPER only in production)
  const required = requiredScopes(policies, type, field);
  return required !== undefined && required.some((scope) => scopes.has(scope));
}

export interface AccessPlan {
  /** The operation without the fields the caller may not read (unchanged when nothing is forbidden). */
  document: DocumentNode;
  /** `Type.field` of every forbidden field the operation selected. */
  forbidden: string[];
}

/** Takes the forbidden fields out of an operation (an emptied selection keeps `__typename`, so it stays valid). */
export function planFieldAccess(schema: GraphQLSchema, document: DocumentNode, policies: AccessPolicies, scopes: ReadonlySet<string>): AccessPlan {
  const forbidden = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || allowed(policies, parent.name, node.name.value, scopes)) return undefined;
        forbidden.add(`${parent.name}.${node.name.value}`);
        return null;
      },
    }),
  );
  if (forbidden.size === 0) return { document, forbidden: [] };
  const withTypename = visit(rewritten, {
    SelectionSet: {
      leave(node): SelectionSetNode | undefined {
        if (node.selections.length > 0) return undefined;
        return {
          ...node,
          selections: [{ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: PLACEHOLDER }, name: { kind: Kind.NAME, value: '__typename' } }],
        };
      },
    },
  });
  return { document: withoutUnusedVariables(withTypename), forbidden: [...forbidden] };
}

/**
 * A variable only a forbidden field used would make the operation invalid
 * ("variable is never used"): its definition goes too (values sent for it are ignored).
 */
function withoutUnusedVariables(document: DocumentNode): DocumentNode {
  const used = new Set<string>();
  visit(document, {
    VariableDefinition: () => false, // the definition itself is not a use
    Variable(node) {
      used.add(node.name.value);
    },
  });
  return visit(document, {
    VariableDefinition(node) {
      return used.has(node.variable.name.value) ? undefined : null;
    },
  });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ResponsePath = (string | number)[];
/** The caller's scopes, or scopes that depend on where in the answer a field is (a bank's per-subject authorisation). */
export type ScopesAt = ReadonlySet<string> | ((path: ResponsePath) => ReadonlySet<string>);

/**
 * Puts the forbidden fields back into the answer: null, with a FORBIDDEN
 * error at each place, and null propagated as GraphQL does when the field
 * is non-null. Returns the errors to add.
 */
export function fillForbidden(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  policies: AccessPolicies,
  scopes: ScopesAt,
  data: { [key: string]: Json } | null,
): { data: { [key: string]: Json } | null; errors: GraphQLError[] } {
  const scopesAt = typeof scopes === 'function' ? scopes : () => scopes;
  const errors: GraphQLError[] = [];
  if (!data) return { data, errors };
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (operationName ? d.name?.value === operationName : true),
  );
  if (!operation) return { data, errors };
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return { data, errors };

  const fieldsOf = (selectionSet: SelectionSetNode, into: FieldNode[] = []): FieldNode[] => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) into.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) fieldsOf(selection.selectionSet, into);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) fieldsOf(fragment.selectionSet, into);
      }
    }
    return into;
  };

  /** Fills one object; returns false when a non-null field had to be nulled, so the object itself becomes null. */
  const fillObject = (type: GraphQLObjectType, selectionSet: SelectionSetNode, value: { [key: string]: Json }, path: ResponsePath): boolean => {
    delete value[PLACEHOLDER];
    for (const node of fieldsOf(selectionSet)) {
      const key = node.alias?.value ?? node.name.value;
      if (isIntrospection(node.name.value)) continue;
      const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[node.name.value];
      if (!field) continue;
      if (!allowed(policies, type.name, node.name.value, scopesAt(path))) {
        const required = requiredScopes(policies, type.name, node.name.value) ?? [];
        errors.push(
          // A refused mutation is named as one: nothing was read, the write was not made.
          new GraphQLError(`${type.name === 'Mutation' ? `not allowed to call mutation ${node.name.value}` : `not allowed to read ${type.name}.${node.name.value}`}${required.length ? ` (needs one of: ${required.join(', ')})` : ''}`, {
            path: [...path, key],
            extensions: { code: 'FORBIDDEN', field: `${type.name}.${node.name.value}`, requiredScopes: required },
          }),
        );
        value[key] = null;
        if (isNonNullType(field.type)) return false;
        continue;
      }
      if (node.selectionSet && value[key] !== undefined && value[key] !== null) {
        const filled = fillValue(field.type, node.selectionSet, value[key]!, [...path, key]);
        if (filled === undefined) {
          value[key] = null;
          if (isNonNullType(field.type)) return false;
        }
      }
    }
    return true;
  };

  /** Returns the value, or undefined when it must become null. */
  const fillValue = (type: GraphQLOutputType, selectionSet: SelectionSetNode, value: Json, path: ResponsePath): Json | undefined => {
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (!Array.isArray(value)) return value;
      const itemType = nullable.ofType as GraphQLOutputType;
      for (let i = 0; i < value.length; i++) {
        if (value[i] === null) continue;
        const item = fillValue(itemType, selectionSet, value[i]!, [...path, i]);
        if (item === undefined) {
          value[i] = null;
          if (isNonNullType(itemType)) return undefined;
        }
      }
      return value;
    }
    const named = getNamedType(type);
    if (!isObjectType(named) || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return fillObject(named, selectionSet, value, path) ? value : undefined;
  };

  const complete = fillObject(root, operation.selectionSet, data, []);
  return { data: complete ? data : null, errors };
}
