/**
 * Small federated graphs of another domain for gateway tests, in-process:
 * subgraphs on Mercurius built with @apollo/subgraph, composed here, served
 * by our gateway (buildGatewayServer) and, for comparison, by stock Apollo
 * Gateway 2.14 on Apollo Server 5 with every option at its default.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import mercurius from 'mercurius';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { gatewayConfig } from '../../lib/config';
import { createLogger, type Logger } from '../../lib/logger';
import { buildGatewayServer, type GatewayServer } from '../../gateway/server';
import { withPublicPolicies } from '../../scripts/federation-audit/open-policies';

export interface TestSubgraph {
  name: string;
  sdl: string;
  app: FastifyInstance;
  url: string;
}

/** One subgraph on a free port. */
export async function startSubgraph(name: string, sdl: string, resolvers: Record<string, unknown>): Promise<TestSubgraph> {
  const app = Fastify();
  await app.register(mercurius, { schema: buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as never }]), path: '/graphql' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { name, sdl, app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql` };
}

/** The supergraph of `subgraphs` (throws the first composition error). */
export function compose(subgraphs: readonly TestSubgraph[]): string {
  const composed = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (composed.errors) throw composed.errors[0];
  return composed.supergraphSdl;
}

/** Answers of stock Apollo Gateway on `supergraphSdl` (the subgraphs at the URLs it names). */
export async function startStock(supergraphSdl: string): Promise<{ query(query: string, variables?: Record<string, unknown>): Promise<unknown>; stop(): Promise<void> }> {
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl, logger: createLogger('stock', 'silent') }) });
  await server.start();
  return {
    async query(query, variables) {
      const response = await server.executeOperation({ query, variables });
      if (response.body.kind !== 'single') throw new Error('stock answered incrementally');
      return JSON.parse(JSON.stringify(response.body.singleResult));
    },
    stop: () => server.stop(),
  };
}

/** Our gateway, in-process, on a supergraph: open policies (PUBLIC reads every type) unless `sdl` is given as is. */
export class OurGateways {
  private readonly workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-federated-'));
  private readonly servers: GatewayServer[] = [];

  constructor() {
    process.env.IDENTITY_SIGNING_KEY ??= crypto.randomBytes(32).toString('base64url');
    process.env.DATA_DIR ??= path.join(this.workDir, 'data');
  }

  /** Writes `sdl` to a file of its own and serves it with `argv` (e.g. --access open) and `env`. */
  async start(sdl: string, options: { argv?: string[]; env?: Record<string, string>; logger?: Logger; publicPolicies?: boolean } = {}): Promise<GatewayServer> {
    const file = path.join(this.workDir, `supergraph-${this.servers.length}.graphql`);
    fs.writeFileSync(file, options.publicPolicies === false ? sdl : withPublicPolicies(sdl));
    const server = await buildGatewayServer(gatewayConfig({ CACHE: 'on', ...options.env }, ['--supergraph', file, ...(options.argv ?? [])]), options.logger ?? createLogger('gateway-test', 'silent'));
    this.servers.push(server);
    await server.app.ready();
    return server;
  }

  async close(): Promise<void> {
    for (const server of this.servers) await server.close();
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** POST /graphql through a gateway, in-process. */
export async function post(server: GatewayServer, query: string, options: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; text: string }> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...options.headers },
    payload: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.statusCode, body: response.json(), text: response.body };
}
