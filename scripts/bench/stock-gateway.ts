/**
 * Stock Apollo Gateway for the benchmark: a plain ApolloServer with an
 * ApolloGateway over a supergraph file, every option at its default (the
 * default HTTP fetcher, no cache, no plugins), on Apollo's standalone server.
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
import { ApolloGateway } from '@apollo/gateway';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { supergraph: { type: 'string' }, port: { type: 'string' } } });
  if (!values.supergraph || !values.port) throw new Error('usage: stock-gateway.ts --supergraph FILE --port N');
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: fs.readFileSync(values.supergraph, 'utf8') }) });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(values.port) } });
  console.log(`stock Apollo Gateway listening on ${url}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
