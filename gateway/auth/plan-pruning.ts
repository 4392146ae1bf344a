/**
 * Field access on a query plan: the plan of the client's own operation (so
 * every field is routed to the subgraph it would be without authorisation)
 * with the fields the caller may not read taken out of its subgraph fetches,
 * so no department is asked for them.
 *
 * A field stays in a fetch, even when the caller may not read it, when the
 * plan itself needs it: a later fetch's representations (`requires`: keys
 * and `@requires` fields) or a `@fromContext` value name it. Such a field is
 * read by the gateway only to join or compute; the answer is shaped by the
 * document without it (field-access.ts), so it never reaches the client.
 *
 * A selection the pruning empties keeps `__typename` under the reserved
 * placeholder key (never as `__typename` itself, which an `@interfaceObject`
 * subgraph answers with the interface's name, over the concrete type the
 * gateway has), so the object is still fetched where it was. A root fetch
 * left with nothing but `__typename` is not sent at all (a refused mutation
 * is never run); an entity fetch left so is still sent, since it may be the
 * one that says which entities exist.
 */
import {
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  print,
  stripIgnoredCharacters,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { FetchNode, PlanNode, QueryPlan, QueryPlanSelectionNode } from '@apollo/query-planner';

/** What the caller may read, for pruning fetches: false only for a field no value could show it. */
export interface FetchAccess {
  /** Part of the pruned plan's cache key: the same key, the same decisions. */
  key: string;
  /** The response key that stands for an emptied selection (a reserved key of the client's document). */
  placeholder: string;
  readable(parent: GraphQLCompositeType, field: string): boolean;
}

/** Field name → the types a plan needs it on (its `requires` and context paths). */
type Needed = Map<string, Set<string>>;

function neededFields(plan: QueryPlan, schema: GraphQLSchema): Needed {
  const needed: Needed = new Map();
  const need = (field: string, type: string) => {
    const types = needed.get(field) ?? new Set<string>();
    types.add(type);
    needed.set(field, types);
  };
  const fromSelections = (selections: readonly QueryPlanSelectionNode[], parent: GraphQLCompositeType | undefined) => {
    for (const selection of selections) {
      if (selection.kind === 'InlineFragment') {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition) : parent;
        fromSelections(selection.selections, type && (isObjectType(type) || isAbstractType(type)) ? type : parent);
        continue;
      }
      need(selection.name, parent?.name ?? '*');
      const fields = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields() : undefined;
      const definition = fields?.[selection.name];
      const type = definition ? getNamedType(definition.type) : undefined;
      if (selection.selections) fromSelections(selection.selections, type && (isObjectType(type) || isAbstractType(type)) ? type : undefined);
    }
  };
  const walk = (node: PlanNode | undefined) => {
    if (!node) return;
    switch (node.kind) {
      case 'Fetch':
        if (node.requires) fromSelections(node.requires, undefined);
        // A @fromContext path names fields by name only: needed on every type.
        for (const rewrite of node.contextRewrites ?? []) for (const element of rewrite.path) if (/^[_A-Za-z]\w*$/.test(element)) need(element, '*');
        return;
      case 'Sequence':
      case 'Parallel':
        node.nodes.forEach(walk);
        return;
      case 'Flatten':
        walk(node.node);
        return;
      case 'Condition':
        walk(node.ifClause);
        walk(node.elseClause);
        return;
      case 'Defer':
        walk(node.primary.node);
        node.deferred.forEach((deferred) => walk(deferred.node));
        return;
    }
  };
  walk(plan.node?.kind === 'Subscription' ? undefined : plan.node);
  return needed;
}

/** Whether the plan needs `field` on `parent`: named on it, on a type it can be, or on an abstract type it is one of. */
function isNeeded(needed: Needed, schema: GraphQLSchema, parent: GraphQLCompositeType, field: string): boolean {
  const types = needed.get(field);
  if (!types) return false;
  if (types.has('*') || types.has(parent.name)) return true;
  for (const name of types) {
    const type = schema.getType(name);
    if (!type) continue;
    if (isAbstractType(type) && !isAbstractType(parent) && schema.isSubType(type, parent)) return true;
    if (isAbstractType(parent) && isObjectType(type) && schema.isSubType(parent, type)) return true;
  }
  return false;
}

/** One fetch without the fields the caller may not read; null when nothing is left to send. */
function pruneFetch(fetch: FetchNode, schema: GraphQLSchema, access: FetchAccess, needed: Needed): FetchNode | null {
  const document = fetch.operationDocumentNode ?? parse(fetch.operation);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return fetch;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const prunedFragments = new Map<string, FragmentDefinitionNode | null>();
  let removed = false;
  const placeholder: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: access.placeholder }, name: { kind: Kind.NAME, value: '__typename' } };

  const typeOf = (name: string | undefined, fallback: GraphQLCompositeType | undefined) => {
    const type = name ? schema.getType(name) : fallback;
    return type && (isObjectType(type) || isAbstractType(type)) ? type : undefined;
  };
  const prune = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType | undefined): SelectionSetNode => {
    const selections: SelectionNode[] = [];
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const fields = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields() : undefined;
        const definition = fields?.[name];
        // `_entities` and anything the supergraph does not know are the plan's own: kept, their inside pruned by type condition.
        if (definition && parent && !access.readable(parent, name) && !isNeeded(needed, schema, parent, name)) {
          removed = true;
          continue;
        }
        if (!selection.selectionSet) {
          selections.push(selection);
          continue;
        }
        const inner = prune(selection.selectionSet, definition ? typeOf(getNamedType(definition.type).name, undefined) : undefined);
        selections.push({ ...selection, selectionSet: inner.selections.length > 0 ? inner : { kind: Kind.SELECTION_SET, selections: [placeholder] } });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = prune(selection.selectionSet, typeOf(selection.typeCondition?.name.value, parent));
        if (inner.selections.length > 0) selections.push({ ...selection, selectionSet: inner });
        else removed = true;
      } else {
        const name = selection.name.value;
        if (!prunedFragments.has(name)) {
          const fragment = fragments.get(name);
          const inner = fragment ? prune(fragment.selectionSet, typeOf(fragment.typeCondition.name.value, undefined)) : undefined;
          prunedFragments.set(name, fragment && inner && inner.selections.length > 0 ? { ...fragment, selectionSet: inner } : null);
        }
        if (prunedFragments.get(name)) selections.push(selection);
        else removed = true;
      }
    }
    return { ...selectionSet, selections };
  };

  const selectionSet = prune(operation.selectionSet, root);
  if (!removed) return fetch;
  const onlyTypename = (set: SelectionSetNode) => set.selections.every((s) => s.kind === Kind.FIELD && s.name.value === '__typename');
  if (!fetch.requires && onlyTypename(selectionSet)) return null;

  // Only the fragments and variables the pruned operation still uses: a subgraph refuses unused ones.
  const usedFragments = new Set<string>();
  const usedVariables = new Set<string>();
  const collect = (node: SelectionSetNode) =>
    visit(node, {
      FragmentSpread(spread) {
        if (usedFragments.has(spread.name.value)) return;
        usedFragments.add(spread.name.value);
        const fragment = prunedFragments.get(spread.name.value);
        if (fragment) collect(fragment.selectionSet);
      },
      Variable(variable) {
        usedVariables.add(variable.name.value);
      },
    });
  collect(selectionSet);
  const pruned: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      { ...operation, selectionSet, variableDefinitions: operation.variableDefinitions?.filter((v) => usedVariables.has(v.variable.name.value)) },
      ...[...usedFragments].map((name) => prunedFragments.get(name)).filter((f): f is FragmentDefinitionNode => !!f),
    ],
  };
  return {
    ...fetch,
    operation: stripIgnoredCharacters(print(pruned)),
    operationDocumentNode: pruned,
    variableUsages: fetch.variableUsages?.filter((name) => usedVariables.has(name)),
  };
}

/** The plan with every fetch pruned for `access`; fetches with nothing left go, and so do the nodes they emptied. */
export function prunePlan(plan: QueryPlan, schema: GraphQLSchema, access: FetchAccess): QueryPlan {
  if (!plan.node || plan.node.kind === 'Subscription') return plan;
  const needed = neededFields(plan, schema);
  const prune = (node: PlanNode): PlanNode | null => {
    switch (node.kind) {
      case 'Fetch':
        return pruneFetch(node, schema, access, needed);
      case 'Sequence':
      case 'Parallel': {
        const nodes = node.nodes.map(prune).filter((n): n is PlanNode => n !== null);
        if (nodes.length === 0) return null;
        return nodes.length === 1 ? nodes[0]! : { ...node, nodes };
      }
      case 'Flatten': {
        const inner = prune(node.node);
        return inner ? { ...node, node: inner } : null;
      }
      case 'Condition': {
        const ifClause = node.ifClause && prune(node.ifClause);
        const elseClause = node.elseClause && prune(node.elseClause);
        if (!ifClause && !elseClause) return null;
        return { ...node, ifClause: ifClause ?? undefined, elseClause: elseClause ?? undefined };
      }
      case 'Defer':
        return node; // the gateway does not execute @defer
    }
  };
  const node = prune(plan.node);
  return node ? { ...plan, node } : { kind: 'QueryPlan' };
}
