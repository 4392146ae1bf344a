/**
 * Stock Apollo Gateway for the benchmark: a plain ApolloServer with an
 * ApolloGateway over a supergraph file, every option at its default (the
 * default data source and HTTP fetcher, no cache, no plugins), on Apollo's
 * standalone server. The one addition: the subgraphs refuse unsigned calls,
 * so each subgraph request carries the signed caller (./identity.ts).
 *
 *   node --import tsx scripts/bench/stock-gateway.ts --supergraph FILE --port N
 *
 * Subgraph URLs come from the supergraph file. Serves POST /graphql (any path,
 * in fact) and a `/readyz` GET once the gateway has loaded the supergraph.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { benchIdentity, IDENTITY_HEADER, signingKeyFromEnv } from './identity';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { supergraph: { type: 'string' }, port: { type: 'string' } } });
  if (!values.supergraph || !values.port) throw new Error('usage: stock-gateway.ts --supergraph FILE --port N');
  const key = signingKeyFromEnv();
  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(values.supergraph, 'utf8'),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest: ({ request }) => {
          request.http?.headers.set(IDENTITY_HEADER, benchIdentity(key));
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(values.port) } });
  console.log(`stock Apollo Gateway listening on ${url}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
