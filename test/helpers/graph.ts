/**
 * The whole graph for end-to-end tests: every subgraph and the gateway as
 * real processes, on free ports, over a freshly seeded dataset in a database
 * of its own on the test run's PostgreSQL server (each department in its own
 * schema, through the shared DATABASE_URL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGraph, stopChild, waitUntilReady, type RunningGraph, type ServiceName } from '../../scripts/graph-processes';
import { ROOT_DIR } from '../../lib/config';
import { DEPARTMENTS } from '../../lib/departments';
import { seed, type SeedSummary } from '../../scripts/seed/index';
import { ensureDemoCredentials, type DemoCredentials } from '../../scripts/demo-credentials';
import type { CredentialRole } from '../../lib/auth/roles';
import { createTestDatabase } from './postgres';
import { freePorts } from './ports';

export interface TestGraph {
  url: string;
  graph: RunningGraph;
  seeded: SeedSummary;
  logDir: string;
  /** The PostgreSQL database every department uses (its own schema each). */
  databaseUrl: string;
  /** The environment every process of the graph was started with (on top of this process's). */
  env: NodeJS.ProcessEnv;
  /** One API client per credential role, registered as `npm start` registers the demo's (scripts/demo-credentials.ts). */
  credentials: DemoCredentials;
  /** Headers of a request as `role`: its API key and an X-Purpose (non-public roles must send one). */
  as(role: CredentialRole, purpose?: string): Record<string, string>;
  /** POSTs to the gateway as the graph's `caller` (see TestGraphOptions) unless `headers` carry a credential. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: { data?: T; errors?: any[] }; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestGraphOptions {
  subjects: number;
  env?: NodeJS.ProcessEnv;
  /** The role graphql() calls as when its headers carry no credential of their own; default none (PUBLIC). */
  caller?: CredentialRole;
}

export async function startTestGraph(options: TestGraphOptions): Promise<TestGraph> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-e2e-'));
  const env: NodeJS.ProcessEnv = { DATA_DIR: path.join(workDir, 'data'), LOG_LEVEL: 'info', ...options.env };
  const database = await createTestDatabase('e2e');
  env.DATABASE_URL = database.url;
  const seeded = await seed({ subjects: options.subjects, seed: 7, env: { ...process.env, ...env } });
  const { credentials } = await ensureDemoCredentials({ ...process.env, ...env });
  const [gateway, market, tax, courts, environment, credit] = await freePorts(6);
  const logDir = path.join(workDir, 'logs');
  const graph = await startGraph({ env, logDir, ports: { gateway, market, tax, courts, environment, credit } });
  const url = graph.gatewayUrl;
  const as = (role: CredentialRole, purpose = 'e2e test') => ({ 'x-api-key': credentials[role].apiKey, 'x-purpose': purpose });
  return {
    url,
    graph,
    seeded,
    logDir,
    databaseUrl: database.url,
    env,
    credentials,
    as,
    async graphql(query, variables, headers = {}) {
      const named = Object.keys(headers).map((name) => name.toLowerCase());
      const credential = options.caller && !named.includes('x-api-key') && !named.includes('authorization') ? as(options.caller) : {};
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...credential, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json(), headers: response.headers };
    },
    async close() {
      await graph.stop();
      await database.drop();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

export type { ServiceName };

export interface ExtraGateway {
  url: string;
  child: ChildProcess;
  /** SIGTERM, and wait for it to exit. */
  stop(): Promise<void>;
}

/**
 * Another gateway process over the graph's subgraphs, as a second replica
 * behind a load balancer would run: the graph's signing key and
 * environment, its own port and DATA_DIR (its audit journal), `env` on top,
 * and any subgraph reached at another URL (`subgraphUrls`, e.g. through a
 * recording proxy).
 */
export async function startGateway(graph: TestGraph, options: { name: string; env?: NodeJS.ProcessEnv; subgraphUrls?: Record<string, string> }): Promise<ExtraGateway> {
  const [port] = await freePorts(1);
  const args = ['--import', 'tsx', 'gateway/main.ts', '--port', String(port)];
  for (const d of DEPARTMENTS) args.push('--subgraph', `${d.name}=${options.subgraphUrls?.[d.name] ?? `http://127.0.0.1:${graph.graph.ports[d.name]}/graphql`}`);
  const { NODE_OPTIONS: _n, ...parentEnv } = process.env;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cg-${options.name}-`));
  const log = fs.openSync(path.join(graph.logDir, `${options.name}.log`), 'a');
  const child = spawn(process.execPath, args, {
    cwd: ROOT_DIR,
    env: { ...parentEnv, ...graph.env, IDENTITY_SIGNING_KEY: graph.graph.identitySigningKey, DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${url}/readyz`, child, 60_000);
  return { url, child, stop: () => stopChild(child) };
}
