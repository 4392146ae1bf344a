/**
 * Field access (gateway/auth/field-access.ts has the rules): after the
 * operation was validated, the fields the caller may not read leave the
 * document the gateway plans, so no department is asked for them; after
 * execution they are put back as null with FORBIDDEN errors (outcome
 * PARTIAL). With `policies` null (`--access open`) field-level authorisation
 * is off and this plugin does nothing.
 */
import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { fillForbidden, planFieldAccess, type AccessPlan, type AccessPolicies } from '../auth/field-access';
import type { GatewayPlugin } from '../pipeline';
import { hashOf } from './parse-validate';

export function fieldAccessPlugin(options: { schema: () => GraphQLSchema; policies: AccessPolicies | null }): GatewayPlugin {
  const { policies } = options;
  const plans = new LRUCache<string, AccessPlan & { hash: string }>({ max: 2000 });
  /** Requests whose answer must be filled. */
  const filling = new WeakSet<object>();
  return {
    name: 'field-access',
    onRequest(request) {
      if (!policies || !request.document || request.source === undefined) return;
      const markAbstract = request.scopesAt !== undefined;
      const key = JSON.stringify([request.source, request.operationName, [...request.scopes].sort(), markAbstract]);
      let plan = plans.get(key);
      if (!plan) {
        const planned = planFieldAccess(options.schema(), request.document, policies, request.scopes, { operationName: request.operationName, markAbstract });
        plan = { ...planned, hash: hashOf(JSON.stringify([request.source, request.operationName, [...planned.forbidden].sort(), markAbstract])) };
        plans.set(key, plan);
      }
      if (plan.document !== request.document) request.executable = { document: plan.document, hash: plan.hash };
      if (plan.forbidden.length > 0 || markAbstract) filling.add(request);
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
