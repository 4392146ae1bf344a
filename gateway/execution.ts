/**
 * The execution step of the pipeline: the client's operation planned by
 * @apollo/query-planner over the supergraph, the plan run by @apollo/gateway's
 * executeQueryPlan through the departments' data sources (DepartmentSource →
 * the subgraph chain), and the answer shaped by the document the plugins
 * prepared (request.executable: the client's, or it without what field access
 * forbade).
 *
 * - Plans are made from the client's document as sent and kept per text and
 *   operation name; field access prunes a plan's fetches per caller
 *   (auth/plan-pruning.ts), kept per plan and decision, so what the caller may
 *   not read never changes where the rest is fetched.
 * - Introspection (`__schema`, `__type` at the root) is answered here by
 *   graphql-js from the API schema, never planned: the planner's own schema
 *   model lacks the newer introspection fields (`__Type.isOneOf`, graphql
 *   16.9+). An operation with both is split, and the two answers merged in
 *   the client's order of root fields.
 */
import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  executeSync,
  getOperationAST,
  Kind,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../lib/logger';
import { prunePlan } from './auth/plan-pruning';
import { scopeOfCaller, type GatewayContext } from './context';
import type { Execute, ExecutionOutcome, GatewayRequest } from './pipeline';

export interface Execution {
  /** The client-facing schema: what operations are validated against and introspection answers. */
  apiSchema: GraphQLSchema;
  /** The whole supergraph (inaccessible types and fields included): the types of the plans' fetches. */
  supergraphSchema: GraphQLSchema;
  /** Subgraph names, as the plans name them. */
  subgraphs: string[];
  execute: Execute;
}

const INTROSPECTION_ROOT_FIELDS = new Set(['__schema', '__type']);

/** An operation split into what is planned and what introspection answers; null for an empty part. */
interface Split {
  planned: DocumentNode | null;
  introspection: DocumentNode | null;
}

const splits = new WeakMap<DocumentNode, Map<string, Split>>();

/** The selected operation of a document with only `selections` at its root, and only the fragments and variables they use. */
function withRoot(document: DocumentNode, operation: OperationDefinitionNode, selections: SelectionNode[]): DocumentNode | null {
  if (selections.length === 0) return null;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const used = new Set<string>();
  const variables = new Set<string>();
  const collect = (node: SelectionSetNode | OperationDefinitionNode['directives']) =>
    visit(node as SelectionSetNode, {
      FragmentSpread(spread) {
        if (used.has(spread.name.value)) return;
        used.add(spread.name.value);
        const fragment = fragments.get(spread.name.value);
        if (fragment) collect(fragment.selectionSet);
      },
      Variable(variable) {
        variables.add(variable.name.value);
      },
    });
  const selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections };
  collect(selectionSet);
  for (const directive of operation.directives ?? []) visit(directive, { Variable: (variable) => void variables.add(variable.name.value) });
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      { ...operation, selectionSet, variableDefinitions: operation.variableDefinitions?.filter((v) => variables.has(v.variable.name.value)) },
      ...[...fragments.values()].filter((fragment) => used.has(fragment.name.value)),
    ],
  };
}

/** Splits the root introspection fields (through root fragments too) from the rest of a query; the document itself when it has none. */
export function splitIntrospection(document: DocumentNode, operationName: string | null): Split {
  const byName = splits.get(document) ?? new Map<string, Split>();
  splits.set(document, byName);
  const known = byName.get(operationName ?? '');
  if (known) return known;
  const operation = getOperationAST(document, operationName);
  let split: Split = { planned: document, introspection: null };
  if (operation?.operation === 'query') {
    const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    const introspects = (set: SelectionSetNode, seen: Set<string>): boolean =>
      set.selections.some((s) =>
        s.kind === Kind.FIELD
          ? INTROSPECTION_ROOT_FIELDS.has(s.name.value)
          : s.kind === Kind.INLINE_FRAGMENT
            ? introspects(s.selectionSet, seen)
            : !seen.has(s.name.value) && !!fragments.get(s.name.value) && introspects(fragments.get(s.name.value)!.selectionSet, new Set([...seen, s.name.value])),
      );
    const part = (set: SelectionSetNode): { planned: SelectionNode[]; introspection: SelectionNode[] } => {
      const planned: SelectionNode[] = [];
      const introspection: SelectionNode[] = [];
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          (INTROSPECTION_ROOT_FIELDS.has(selection.name.value) ? introspection : planned).push(selection);
          continue;
        }
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : undefined;
        if (selection.kind === Kind.FRAGMENT_SPREAD && (!fragment || !introspects(fragment.selectionSet, new Set([fragment.name.value])))) {
          planned.push(selection);
          continue;
        }
        // An inline fragment, or a spread of a fragment that introspects: split inside it, as inline fragments.
        const inline =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selection
            : { kind: Kind.INLINE_FRAGMENT as const, typeCondition: fragment!.typeCondition, directives: selection.directives, selectionSet: fragment!.selectionSet };
        const inner = part(inline.selectionSet);
        if (inner.planned.length > 0) planned.push({ ...inline, selectionSet: { kind: Kind.SELECTION_SET, selections: inner.planned } });
        if (inner.introspection.length > 0) introspection.push({ ...inline, selectionSet: { kind: Kind.SELECTION_SET, selections: inner.introspection } });
      }
      return { planned, introspection };
    };
    if (introspects(operation.selectionSet, new Set())) {
      const parts = part(operation.selectionSet);
      split = { planned: withRoot(document, operation, parts.planned), introspection: withRoot(document, operation, parts.introspection) };
    }
  }
  byName.set(operationName ?? '', split);
  return split;
}

/** The root response keys of an operation in the client's order (fragments included). */
function rootKeys(document: DocumentNode, operationName: string | null): string[] {
  const operation = getOperationAST(document, operationName);
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const keys: string[] = [];
  const walk = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) keys.push(selection.alias?.value ?? selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value) && fragments.has(selection.name.value)) walk(fragments.get(selection.name.value)!.selectionSet, new Set([...seen, selection.name.value]));
    }
  };
  if (operation) walk(operation.selectionSet, new Set());
  return [...new Set(keys)];
}

export function createExecution(options: {
  supergraphSdl: string;
  /** The data source for each subgraph (the department's, through the subgraph chain). */
  dataSource: (subgraph: string) => GraphQLDataSource<GatewayContext>;
  logger: Logger;
  /** Plans kept (per text and operation name, and pruned per field-access decision). */
  planCacheSize?: number;
}): Execution {
  const supergraph = Supergraph.build(options.supergraphSdl);
  const apiFederationSchema = supergraph.apiSchema();
  const apiSchema = apiFederationSchema.toGraphQLJSSchema();
  const supergraphSchema = supergraph.schema.toGraphQLJSSchema();
  const planner = new QueryPlanner(supergraph);
  const subgraphs = [...supergraph.subgraphs().names()];
  const services: ServiceMap = Object.fromEntries(subgraphs.map((name) => [name, options.dataSource(name)]));
  const plans = new LRUCache<string, QueryPlan>({ max: options.planCacheSize ?? 1000 });
  const prunedPlans = new LRUCache<string, QueryPlan>({ max: options.planCacheSize ?? 1000 });

  function planOf(request: GatewayRequest, planned: DocumentNode): QueryPlan {
    const key = `${request.queryHash}\u0000${request.operationName ?? ''}`;
    let plan = plans.get(key);
    if (!plan) {
      plan = planner.buildQueryPlan(operationFromDocument(apiFederationSchema, planned, { operationName: request.operationName ?? undefined }));
      plans.set(key, plan);
    }
    const access = request.executable?.access;
    if (!access) return plan;
    const prunedKey = `${key}\u0000${access.key}`;
    let pruned = prunedPlans.get(prunedKey);
    if (!pruned) {
      pruned = prunePlan(plan, supergraphSchema, access);
      prunedPlans.set(prunedKey, pruned);
    }
    return pruned;
  }

  const execute: Execute = async (request) => {
    const client = splitIntrospection(request.document!, request.operationName);
    const shaping = splitIntrospection(request.executable!.document, request.operationName);
    let result: ExecutionOutcome = { data: {} };
    if (client.planned && shaping.planned) {
      const plan = planOf(request, client.planned);
      const operationContext = buildOperationContext({ schema: apiSchema, operationDocument: shaping.planned, operationName: request.operationName ?? undefined });
      const context: GatewayContext = { requestId: request.id, caller: request.caller, purpose: request.purpose, scope: scopeOfCaller(request.caller), signal: request.signal };
      const requestContext = {
        logger: options.logger,
        schema: apiSchema,
        request: { query: request.source, operationName: request.operationName ?? undefined, variables: request.variables },
        response: { http: { headers: new Map(), status: undefined } },
        context,
        cache: undefined,
        document: shaping.planned,
        source: request.source!,
        queryHash: request.queryHash,
        operationName: operationContext.operation.name?.value ?? null,
        operation: operationContext.operation,
        metrics: {},
        overallCachePolicy: undefined,
      } as unknown as GatewayGraphQLRequestContext<GatewayContext>;
      result = (await executeQueryPlan(plan, services, requestContext, operationContext, supergraphSchema, apiFederationSchema)) as ExecutionOutcome;
    }
    if (!client.introspection) return result;
    const introspection = executeSync({ schema: apiSchema, document: client.introspection, rootValue: {}, variableValues: request.variables, operationName: request.operationName ?? undefined });
    const errors = [...(result.errors ?? []), ...(introspection.errors ?? [])];
    if (result.data === null || result.data === undefined || !introspection.data) return { ...result, data: null, ...(errors.length > 0 ? { errors } : {}) };
    // Both answers, in the order the client asked for the root fields.
    const data: Record<string, unknown> = {};
    for (const key of rootKeys(request.document!, request.operationName)) {
      if (key in introspection.data) data[key] = introspection.data[key];
      else if (key in result.data) data[key] = result.data[key];
    }
    return { ...result, data, ...(errors.length > 0 ? { errors } : {}) };
  };

  return { apiSchema, supergraphSchema, subgraphs, execute };
}
