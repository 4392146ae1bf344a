/**
 * Stock Apollo Gateway for the benchmark: a plain ApolloServer with an
 * ApolloGateway over a supergraph file, every option at its default (the
 * default data source and HTTP fetcher, no cache, no plugins), on Apollo's
 * standalone server. The one addition: the subgraphs refuse unsigned calls,
 * so each subgraph request carries the caller signed for its URL and body
 * (./identity.ts), added around the default fetcher.
 *
 *   node --import tsx scripts/bench/stock-gateway.ts --supergraph FILE --port N [--health-port M]
 *
 * Subgraph URLs come from the supergraph file. Serves POST /graphql (any path,
 * in fact); with --health-port, a plain HTTP 200 on that port once the
 * gateway has loaded the supergraph (for the federation audit, which waits
 * on a GET; Apollo Server answers a GET without a query with 400).
 */
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { benchIdentityHeaders, signingKeyFromEnv } from './identity';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { supergraph: { type: 'string' }, port: { type: 'string' }, 'health-port': { type: 'string' } } });
  if (!values.supergraph || !values.port) throw new Error('usage: stock-gateway.ts --supergraph FILE --port N');
  const key = signingKeyFromEnv();
  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(values.supergraph, 'utf8'),
    buildService: ({ name, url }) => {
      const source = new RemoteGraphQLDataSource({ url });
      const fetcher = source.fetcher;
      source.fetcher = (target, init) =>
        fetcher(target, { ...init, headers: { ...(init?.headers as Record<string, string>), ...benchIdentityHeaders(key, name, String(target), String(init?.body ?? '')) } });
      return source;
    },
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(values.port) } });
  console.log(`stock Apollo Gateway listening on ${url}`);
  const healthPort = values['health-port'];
  if (healthPort) http.createServer((_request, response) => response.end('OK')).listen(Number(healthPort), '127.0.0.1');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
