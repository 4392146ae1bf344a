/**
 * Complexity: depth, cost and alias limits (graphql-armor rules, run on the
 * validated document; introspection is not counted). Over a limit:
 * 400 QUERY_TOO_COMPLEX saying which, with the locations in the client's text.
 */
import { validate, type GraphQLError, type GraphQLSchema, type ValidationContext } from 'graphql';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { LRUCache } from 'lru-cache';
import type { GatewayPlugin } from '../pipeline';

export interface ComplexityLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
}

export const DEFAULT_COMPLEXITY: ComplexityLimits = { maxDepth: 10, maxCost: 20_000, maxAliases: 30 };

export function complexityPlugin(options: { schema: () => GraphQLSchema; limits: ComplexityLimits }): GatewayPlugin {
  const { limits } = options;
  // graphql-armor throws on the first violation by default; reported instead, they come back as validation errors.
  const report = { propagateOnRejection: false, onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)] };
  const rules = [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...report }),
    costLimitRule({ maxCost: limits.maxCost, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
  ];
  const verdicts = new LRUCache<string, readonly GraphQLError[]>({ max: 1000 });
  return {
    name: 'complexity',
    onRequest(request) {
      if (!request.document || request.source === undefined) return;
      let errors = verdicts.get(request.source);
      if (!errors) {
        errors = validate(options.schema(), request.document, rules);
        verdicts.set(request.source, errors);
      }
      if (errors.length === 0) return;
      request.outcome = 'QUERY_TOO_COMPLEX';
      request.respond(400, {
        errors: errors.map((error) => {
          const formatted = error.toJSON();
          return { ...formatted, message: formatted.message.replace(/^Syntax Error: /, ''), extensions: { code: 'QUERY_TOO_COMPLEX' } };
        }),
      });
    },
  };
}
