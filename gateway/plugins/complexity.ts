/**
 * Complexity: what one operation may cost, decided on the validated document
 * that will run, with the request's variables, before anything executes; and
 * what its answer may weigh and how long it may take, after. PUBLIC callers
 * have tighter budgets than registered clients (lib/config.ts, docs/security.md).
 *
 *   depth     fields nested in fields, through fragments
 *   cost      the values the answer can hold: every field once per object it
 *             is selected on (__typename included); a list counts its size —
 *             the length of a list argument (`codes`), a slicing argument
 *             (`first`, `size`; on a connection its `nodes`), else 10
 *   aliases   aliased fields, __typename included
 *   response  bytes of the serialised answer (checked before it is sent)
 *   time      a query's execution (withExecutionDeadline)
 *
 * Every refusal is 400 QUERY_TOO_COMPLEX naming the figure and the limit
 * (`extensions: { reason, figure, limit }`), located in the client's text.
 * Introspection (__schema, __type) is bounded by the schema and not counted.
 */
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  Kind,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { OperationBudget } from '../../lib/config';
import type { CallerIdentity } from '../../lib/auth/credentials';
import { serialise, type Execute, type GatewayPlugin, type GatewayRequest } from '../pipeline';

export type { OperationBudget } from '../../lib/config';

export interface CallerBudgets {
  public: OperationBudget;
  registered: OperationBudget;
}

/** A list whose size no argument gives is taken to hold this many items. */
export const ASSUMED_LIST_SIZE = 10;
/** Arguments that say how many items a list holds (or the list inside a connection: its `nodes`/`edges`). */
const SLICING_ARGUMENTS = ['first', 'last', 'size', 'limit'];

export type ComplexityReason = 'DEPTH' | 'COST' | 'ALIASES' | 'RESPONSE_SIZE' | 'EXECUTION_TIME';

export interface OperationMeasure {
  depth: number;
  cost: number;
  aliases: number;
  /** The field at the greatest depth, for the refusal's location. */
  deepest: FieldNode | undefined;
}

/** The budget of a caller: PUBLIC's for no credential, the registered one for every client. */
export function budgetOf(caller: CallerIdentity, budgets: CallerBudgets): OperationBudget {
  return caller.role === 'PUBLIC' ? budgets.public : budgets.registered;
}

interface Tally {
  cost: number;
  depth: number;
  aliases: number;
  deepest: FieldNode | undefined;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

function numberOf(value: ValueNode, variables: Record<string, unknown>): number | undefined {
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return typeof given === 'number' ? given : undefined;
  }
  return undefined;
}

function lengthOf(value: ValueNode, variables: Record<string, unknown>): number | undefined {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return Array.isArray(given) ? given.length : undefined;
  }
  return undefined;
}

/** How many items the arguments of `node` say a list holds: a slicing argument (or its default), else the longest list argument. */
function sizeFromArguments(definition: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): number | undefined {
  for (const name of SLICING_ARGUMENTS) {
    const given = node.arguments?.find((a) => a.name.value === name);
    const value = given ? numberOf(given.value, variables) : definition.args.find((a) => a.name === name)?.defaultValue;
    if (typeof value === 'number') return Math.max(0, value);
  }
  let longest: number | undefined;
  for (const argument of node.arguments ?? []) {
    const length = lengthOf(argument.value, variables);
    if (length !== undefined) longest = Math.max(longest ?? 0, length);
  }
  return longest;
}

/**
 * Measures an operation. Fragments are measured once each and scaled where
 * they are spread, so a document that spreads fragments exponentially costs
 * what it would return without the measuring itself taking exponential time.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const measuredFragments = new Map<string, Tally>();

  const measureSet = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, slice: number | undefined): Tally => {
    const tally: Tally = { cost: 0, depth: 0, aliases: 0, deepest: undefined };
    /** A nested tally: its cost once per item it is selected on, its aliases as written, its depth below this level. */
    const add = (inner: Tally, items: number, depthOffset: number, at?: FieldNode) => {
      tally.cost += inner.cost * items;
      tally.aliases += inner.aliases;
      const depth = inner.depth + depthOffset;
      if (depth > tally.depth) {
        tally.depth = depth;
        tally.deepest = inner.deepest ?? at;
      }
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (selection.alias) tally.aliases += 1;
        if (INTROSPECTION_ROOTS.has(name)) continue;
        const definition = name === '__typename' || !('getFields' in parent) ? undefined : parent.getFields()[name];
        const isList = definition !== undefined && isListType(getNullableType(definition.type));
        const own = definition ? sizeFromArguments(definition, selection, variables) : undefined;
        const size = isList ? (own ?? slice ?? ASSUMED_LIST_SIZE) : 1;
        const type = definition ? getNamedType(definition.type) : undefined;
        if (!selection.selectionSet || !type || !isCompositeType(type)) {
          // A leaf (or __typename): one value per item, a list of them as many.
          tally.cost += size;
          add({ cost: 0, depth: 0, aliases: 0, deepest: undefined }, 1, 1, selection);
          continue;
        }
        tally.cost += 1;
        add(measureSet(selection.selectionSet, type, isList ? undefined : own), size, 1, selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        add(measureSet(selection.selectionSet, isCompositeType(type) ? type : parent, slice), 1, 0);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        // Spread inside a connection, its lists take the connection's slice: measured once per slice.
        const key = `${fragment.name.value}\u0000${slice ?? ''}`;
        let measured = measuredFragments.get(key);
        if (!measured) {
          const type = schema.getType(fragment.typeCondition.name.value);
          measured = measureSet(fragment.selectionSet, isCompositeType(type) ? type : parent, slice);
          measuredFragments.set(key, measured);
        }
        add(measured, 1, 0);
      }
    }
    return tally;
  };

  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, cost: 0, aliases: 0, deepest: undefined };
  const { cost, depth, aliases, deepest } = measureSet(operation.selectionSet, root, undefined);
  return { cost, depth, aliases, deepest };
}

const figure = (n: number) => (Number.isFinite(n) && n < 1e15 ? Math.round(n).toLocaleString('en-US') : n.toExponential(2));

/** A refusal: the measure, the figure and the limit, in the message and in the extensions. */
export function tooComplex(reason: ComplexityReason, value: number, limit: number, what: string, nodes?: ASTNode | readonly ASTNode[]): GraphQLFormattedError {
  const unit = reason === 'RESPONSE_SIZE' ? ' bytes' : reason === 'EXECUTION_TIME' ? ' ms' : '';
  const error = new GraphQLError(`${what} is ${figure(value)}${unit}, over this caller's limit of ${figure(limit)}${unit}`, { nodes });
  const formatted = error.toJSON();
  return { ...formatted, extensions: { code: 'QUERY_TOO_COMPLEX', reason, figure: Number.isFinite(value) ? Math.round(value) : Number.MAX_SAFE_INTEGER, limit } };
}

/** Every limit the operation exceeds (empty when it is within its budget). */
export function budgetRefusals(measure: OperationMeasure, budget: OperationBudget, operation: OperationDefinitionNode): GraphQLFormattedError[] {
  const refusals: GraphQLFormattedError[] = [];
  if (measure.depth > budget.maxDepth) {
    refusals.push(tooComplex('DEPTH', measure.depth, budget.maxDepth, 'the operation\'s depth', measure.deepest ?? operation));
  }
  if (measure.aliases > budget.maxAliases) {
    refusals.push(tooComplex('ALIASES', measure.aliases, budget.maxAliases, 'the number of aliased fields (__typename included)', operation));
  }
  if (measure.cost > budget.maxCost) {
    refusals.push(tooComplex('COST', measure.cost, budget.maxCost, 'the operation\'s estimated cost (the values its answer can hold, lists counted by their size)', operation));
  }
  return refusals;
}

function refuse(request: GatewayRequest, errors: GraphQLFormattedError[]): void {
  request.outcome = 'QUERY_TOO_COMPLEX';
  request.respond(400, { errors });
}

export function complexityPlugin(options: { schema: () => GraphQLSchema; budgets: CallerBudgets }): GatewayPlugin {
  return {
    name: 'complexity',
    onRequest(request) {
      const { document, operation } = request;
      if (!document || !operation) return;
      const measure = measureOperation(options.schema(), document, operation, request.variableValues ?? request.variables);
      const refusals = budgetRefusals(measure, budgetOf(request.caller, options.budgets), operation);
      if (refusals.length > 0) refuse(request, refusals);
    },
    onSend(request, text) {
      // A length in UTF-16 units is at most the byte length and at least a third of it: most answers need no count.
      const limit = budgetOf(request.caller, options.budgets).maxResponseBytes;
      if (text.length * 3 <= limit) return;
      const bytes = Buffer.byteLength(text);
      if (bytes <= limit) return;
      request.log.warn({ requestId: request.id, bytes, limit }, 'answer over the response-size limit not sent');
      request.status = 400;
      request.outcome = 'QUERY_TOO_COMPLEX';
      request.result = { errors: [tooComplex('RESPONSE_SIZE', bytes, limit, 'the answer', request.operation)] };
      request.responseText = serialise(request.result);
    },
  };
}

/**
 * The execution step within the caller's deadline: a query still running
 * when it passes is answered QUERY_TOO_COMPLEX, and the subgraph fetches it
 * still waits for are aborted (`request.signal`, which the fetch chain's
 * timeout link follows). A mutation is never cut off half-way: its writes are
 * bounded by the subgraph timeout alone.
 */
export function withExecutionDeadline(execute: Execute, budgets: CallerBudgets): Execute {
  return async (request) => {
    if (request.operation?.operation === 'mutation') return execute(request);
    const limit = budgetOf(request.caller, budgets).executionTimeoutMs;
    const controller = new AbortController();
    request.signal = controller.signal;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), limit);
    });
    const started = process.hrtime.bigint();
    try {
      const outcome = await Promise.race([execute(request), deadline]);
      if (outcome !== 'deadline') return outcome;
      controller.abort();
      request.status = 400;
      request.outcome = 'QUERY_TOO_COMPLEX';
      const elapsed = Number((process.hrtime.bigint() - started) / 1_000_000n);
      return { errors: [tooComplex('EXECUTION_TIME', elapsed, limit, 'the execution time', request.operation)] };
    } finally {
      clearTimeout(timer);
    }
  };
}
