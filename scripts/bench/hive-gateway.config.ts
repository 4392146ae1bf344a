/**
 * Hive Gateway's configuration in the benchmark: everything at its default
 * except the one header the subgraphs require, the signed caller
 * (scripts/bench/identity.ts). Loaded by `hive-gateway supergraph FILE -c` this file.
 */
import { defineConfig } from '@graphql-hive/gateway';
import { benchIdentity, IDENTITY_HEADER, signingKeyFromEnv } from './identity';

const key = signingKeyFromEnv();

export const gatewayConfig = defineConfig({
  propagateHeaders: { fromClientToSubgraphs: () => ({ [IDENTITY_HEADER]: benchIdentity(key) }) },
});
