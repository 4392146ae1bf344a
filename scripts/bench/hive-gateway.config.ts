/**
 * Hive Gateway's configuration in the benchmark: everything at its default
 * except the one header the subgraphs require, the caller signed for each
 * subgraph request's URL and body (scripts/bench/identity.ts), added as the
 * request is fetched. Loaded by `hive-gateway supergraph FILE -c` this file.
 */
import fs from 'node:fs';
import { defineConfig } from '@graphql-hive/gateway';
import { benchIdentityHeaders, signingKeyFromEnv, subgraphNamesByUrl } from './identity';

const key = signingKeyFromEnv();
// The supergraph file is the argument after `supergraph` on the command line that loads this file.
const supergraphFile = process.argv[process.argv.indexOf('supergraph') + 1]!;
const subgraphOf = subgraphNamesByUrl(fs.readFileSync(supergraphFile, 'utf8'));

export const gatewayConfig = defineConfig({
  plugins: () => [
    {
      onFetch({ url, options, setOptions }) {
        const body = typeof options.body === 'string' ? options.body : '';
        setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), ...benchIdentityHeaders(key, subgraphOf(url), url, body) } });
      },
    },
  ],
});
