/**
 * Configuration from the environment. Every variable the code reads is named
 * here, so docker-compose.yml and the README can be checked against one list.
 */
import path from 'node:path';
import { departmentOf, GATEWAY_PORT, type SubgraphName } from './departments';

type Env = Record<string, string | undefined>;

export const ROOT_DIR = path.resolve(__dirname, '..');

function intFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return value;
}

const upper = (name: string) => name.toUpperCase();

export interface SubgraphConfig {
  name: SubgraphName;
  host: string;
  port: number;
  /** postgres:// URL, or undefined for the embedded database. */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
}

export function subgraphConfig(name: SubgraphName, env: Env = process.env): SubgraphConfig {
  const dept = departmentOf(name);
  return {
    name,
    host: env.HOST ?? '127.0.0.1',
    port: intFrom(env, `${upper(name)}_PORT`, dept.port),
    databaseUrl: env[`${upper(name)}_DATABASE_URL`] || env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? path.join(ROOT_DIR, 'data'), name),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}

export interface GatewayConfig {
  host: string;
  port: number;
  supergraphPath: string;
  /** Per-subgraph URL overrides; otherwise the URLs in the supergraph file. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  subgraphTimeoutMs: number;
  logLevel: string;
}

export function gatewayConfig(env: Env = process.env, argv: string[] = []): GatewayConfig {
  const flag = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const portFlag = flag('port');
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  for (const name of ['market', 'tax', 'courts', 'environment', 'credit'] as const) {
    const url = env[`${upper(name)}_SUBGRAPH_URL`];
    if (url) subgraphUrls[name] = url;
  }
  return {
    host: env.HOST ?? '127.0.0.1',
    port: portFlag !== undefined ? intFrom({ port: portFlag }, 'port', GATEWAY_PORT) : intFrom(env, 'GATEWAY_PORT', GATEWAY_PORT),
    supergraphPath: path.resolve(flag('supergraph') ?? env.SUPERGRAPH ?? path.join(ROOT_DIR, 'schema', 'supergraph.graphql')),
    subgraphUrls,
    subgraphTimeoutMs: intFrom(env, 'SUBGRAPH_TIMEOUT_MS', 3000),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
