/**
 * Starts the whole graph as it runs in production: every department subgraph
 * and the gateway as separate processes, each subgraph with its own database.
 * Used by the demo (`npm start`) and by the end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEPARTMENTS, type SubgraphName } from '../lib/departments';
import { gatewayConfig, ROOT_DIR, subgraphConfig, webConfig } from '../lib/config';
import { buildServices } from './build';

export type ServiceName = SubgraphName | 'gateway' | 'web';

export interface GraphOptions {
  /** Environment for every process (DATA_DIR, database URLs, ...), on top of this process's. */
  env?: NodeJS.ProcessEnv;
  /** Port per service; defaults to the configured ones (GATEWAY_PORT, MARKET_PORT, ...; API.md's by default). */
  ports?: Partial<Record<ServiceName, number>>;
  /** Directory for one log file per service. */
  logDir: string;
  /** How long to wait for every service to be ready. */
  readyTimeoutMs?: number;
  /** Start the gateway too (default); false starts the subgraphs only, for a caller that runs its own gateways. */
  gateway?: boolean;
  /** Start the credit website and console too (web/; `npm start` does, the tests start it themselves). */
  web?: boolean;
  /** Node options for every service (e.g. `--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}

export interface RunningGraph {
  gatewayUrl: string;
  /** The IDENTITY_SIGNING_KEY every process of this graph shares (configured or generated for it). */
  identitySigningKey: string;
  ports: Record<ServiceName, number>;
  processes: Map<ServiceName, ChildProcess>;
  /** SIGTERM one service and wait for it to exit. */
  stopService(name: ServiceName): Promise<void>;
  /** Starts a service that exited again, and waits until it is ready; `processes` then holds the new process. */
  restartService(name: ServiceName): Promise<void>;
  /** Stops every service; resolves when all have exited. */
  stop(): Promise<void>;
}

const ENTRY_POINTS: Record<ServiceName, string> = {
  market: 'subgraphs/market/main.ts',
  tax: 'subgraphs/tax/main.ts',
  courts: 'subgraphs/courts/main.ts',
  environment: 'subgraphs/environment/main.ts',
  credit: 'subgraphs/credit/main.ts',
  gateway: 'gateway/main.ts',
  web: 'web/main.ts',
};

/** Runs a service from its built JavaScript (scripts/build.ts). */
function spawnService(name: ServiceName, env: NodeJS.ProcessEnv, logDir: string, buildDir: string, nodeArgs: readonly string[] = []): ChildProcess {
  fs.mkdirSync(logDir, { recursive: true });
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  const child = spawn(process.execPath, [...nodeArgs, path.join(buildDir, ENTRY_POINTS[name].replace(/\.ts$/, '.js'))], {
    cwd: ROOT_DIR,
    env,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGCONT'); // a paused process cannot handle SIGTERM
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

function logTail(logDir: string, name: ServiceName): string {
  try {
    return fs.readFileSync(path.join(logDir, `${name}.log`), 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls `GET /readyz` until it answers 200; fails early if the process exits. */
export async function waitUntilReady(url: string, child: ChildProcess | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`process exited (${child.exitCode ?? child.signalCode}) before ${url} was ready`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

/** A random secret (IDENTITY_SIGNING_KEY, PROXY_SECRET): 256 bits, base64url (43 characters, above the 32 lib/config.ts requires). */
export function newSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export async function startGraph(options: GraphOptions): Promise<RunningGraph> {
  const { NODE_OPTIONS: _inheritedNodeOptions, ...parentEnv } = process.env;
  const env: NodeJS.ProcessEnv = { ...parentEnv, ...options.env };
  // The ports README documents (GATEWAY_PORT, MARKET_PORT, ...) unless the caller picks its own.
  const ports = Object.fromEntries([
    ...DEPARTMENTS.map((d) => [d.name, options.ports?.[d.name] ?? subgraphConfig(d.name, env).port]),
    ['gateway', options.ports?.gateway ?? gatewayConfig(env).port],
    ['web', options.ports?.web ?? webConfig(env).port],
  ]) as Record<ServiceName, number>;
  // The gateway signs every caller it forwards with this key and the subgraphs answer nothing
  // else: the one configured, or a fresh one shared by this graph's processes only.
  if (!env.IDENTITY_SIGNING_KEY) env.IDENTITY_SIGNING_KEY = newSecret();
  // The website names its visitors' addresses to the gateway with this (lib/client-address.ts).
  if (!env.PROXY_SECRET) env.PROXY_SECRET = newSecret();
  for (const d of DEPARTMENTS) {
    env[`${d.name.toUpperCase()}_PORT`] = String(ports[d.name]);
    env[`${d.name.toUpperCase()}_SUBGRAPH_URL`] = `http://127.0.0.1:${ports[d.name]}/graphql`;
  }
  env.GATEWAY_PORT = String(ports.gateway);
  env.WEB_PORT = String(ports.web);
  env.WEB_GATEWAY_URL = `http://127.0.0.1:${ports.gateway}/graphql`;
  // A report's QR code points at this graph's website unless the deployment says where the public reaches it.
  env.CREDIT_REPORT_VERIFY_URL ||= `http://127.0.0.1:${ports.web}/verify/`;

  const buildDir = await buildServices();
  const processes = new Map<ServiceName, ChildProcess>();
  const stop = async () => {
    await Promise.all([...processes.values()].map((child) => stopChild(child)));
  };
  const timeout = options.readyTimeoutMs ?? 60_000;
  const ready = async (name: ServiceName) => {
    try {
      await waitUntilReady(`http://127.0.0.1:${ports[name]}/readyz`, processes.get(name), timeout);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}\n--- ${name}.log ---\n${logTail(options.logDir, name)}`);
    }
  };

  try {
    // All at once: the gateway reads its supergraph from a file and is ready once every subgraph is.
    const names: ServiceName[] = [
      ...DEPARTMENTS.map((d) => d.name),
      ...(options.gateway === false ? [] : ['gateway' as const]),
      ...(options.web === true && options.gateway !== false ? ['web' as const] : []),
    ];
    for (const name of names) processes.set(name, spawnService(name, env, options.logDir, buildDir, options.nodeArgs));
    await Promise.all(names.map((name) => ready(name)));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    gatewayUrl: `http://127.0.0.1:${ports.gateway}`,
    identitySigningKey: env.IDENTITY_SIGNING_KEY,
    ports,
    processes,
    stopService: async (name) => {
      const child = processes.get(name);
      if (child) await stopChild(child);
    },
    restartService: async (name) => {
      const previous = processes.get(name);
      if (previous) await stopChild(previous);
      processes.set(name, spawnService(name, env, options.logDir, buildDir, options.nodeArgs));
      await ready(name);
    },
    stop,
  };
}
