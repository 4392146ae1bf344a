/**
 * Field access (gateway/auth/field-access.ts has the rules): after the
 * operation was validated, the fields the caller may not read leave the
 * document the answer is shaped by, and the plan's fetches
 * (auth/plan-pruning.ts, applied by execution.ts to the client's own plan),
 * so no department is asked for them; after execution they are put back as
 * null with FORBIDDEN errors (outcome PARTIAL), in the client's field order.
 * With `policies` null (`--access open`) field-level authorisation is off and
 * this plugin does nothing.
 */
import type { GraphQLCompositeType, GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { fillForbidden, planFieldAccess, readability, type AccessPlan, type AccessPolicies } from '../auth/field-access';
import type { FetchAccess } from '../auth/plan-pruning';
import type { GatewayPlugin } from '../pipeline';

export function fieldAccessPlugin(options: { schema: () => GraphQLSchema; policies: AccessPolicies | null }): GatewayPlugin {
  const { policies } = options;
  const plans = new LRUCache<string, AccessPlan & { access?: FetchAccess }>({ max: 2000 });
  /** What the fetches may ask for, per set of scopes (and reserved key). */
  const accesses = new LRUCache<string, FetchAccess>({ max: 200 });
  /** Requests whose answer must be filled. */
  const filling = new WeakSet<object>();

  function fetchAccess(scopes: ReadonlySet<string>, placeholder: string): FetchAccess {
    const scopesKey = [...scopes].sort().join(',');
    const key = `${scopesKey}\u0000${placeholder}`;
    let access = accesses.get(key);
    if (!access) {
      const decided = new Map<GraphQLCompositeType, Map<string, boolean>>();
      access = {
        key,
        placeholder,
        readable(parent, field) {
          let ofType = decided.get(parent);
          if (!ofType) decided.set(parent, (ofType = new Map()));
          let readable = ofType.get(field);
          if (readable === undefined) ofType.set(field, (readable = readability(options.schema(), policies!, parent, field, scopes).some));
          return readable;
        },
      };
      accesses.set(key, access);
    }
    return access;
  }

  return {
    name: 'field-access',
    onRequest(request) {
      if (!policies || !request.document || request.source === undefined) return;
      const markAbstract = request.scopesAt !== undefined;
      const key = JSON.stringify([request.queryHash, request.operationName, [...request.scopes].sort(), markAbstract]);
      let plan = plans.get(key);
      if (!plan) {
        const planned = planFieldAccess(options.schema(), request.document, policies, request.scopes, { operationName: request.operationName, markAbstract });
        plan = { ...planned, access: planned.forbidden.length > 0 ? fetchAccess(request.scopes, planned.reserved.placeholder) : undefined };
        plans.set(key, plan);
      }
      if (plan.document !== request.document || plan.access) request.executable = { document: plan.document, access: plan.access };
      if (plan.forbidden.length > 0 || plan.perRuntimeType || markAbstract) filling.add(request);
    },
    onResult(request, result) {
      if (!policies || !filling.has(request) || !request.document || !result.data) return;
      const filled = fillForbidden(options.schema(), request.document, request.operationName, policies, request.scopesAt ?? request.scopes, result.data as never, request.variableValues ?? request.variables);
      result.data = filled.data;
      if (filled.errors.length === 0) return;
      request.outcome = 'PARTIAL';
      result.errors = [...(result.errors ?? []), ...filled.errors];
    },
  };
}
