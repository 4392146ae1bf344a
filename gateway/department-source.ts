/**
 * How the gateway talks to one department subgraph: @apollo/gateway hands
 * each fetch of a query plan to a data source; ours passes it down the
 * subgraph chain (gateway/fetch/chain.ts), built once in server.ts:
 *
 *   entity cache → in-flight merging → department-unavailable → invalidation
 *     → metrics → request id → identity signature → timeout → HTTP
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from './context';
import type { SubgraphNext } from './fetch/chain';

export class DepartmentSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: { name: string; url: string },
    private readonly fetch: SubgraphNext,
  ) {}

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { query, operationName, variables } = options.request;
    return this.fetch({
      subgraph: this.subgraph.name,
      url: this.subgraph.url,
      query: query ?? '',
      operationName: operationName ?? undefined,
      variables: variables as Record<string, unknown> | undefined,
      headers: {},
      context: 'incomingRequestContext' in options ? (options.context as GatewayContext) : undefined,
    });
  }
}
