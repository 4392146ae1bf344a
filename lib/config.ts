/**
 * Configuration from the environment. Every variable the code reads is named
 * here, so docker-compose.yml and the README can be checked against one list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { departmentOf, DEPARTMENTS, GATEWAY_PORT, type SubgraphName } from './departments';
import { localDepartmentUrl } from './local-cluster';
import { redisTargetFrom, type RedisTarget } from './redis';

type Env = Record<string, string | undefined>;

/**
 * The repository: the nearest directory above this file with a package.json
 * (this file runs from lib/ under tsx and from .build/<hash>/lib/ when built,
 * scripts/build.ts).
 */
export const ROOT_DIR = ((): string => {
  for (let dir = path.resolve(__dirname, '..'); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === path.dirname(dir)) return path.resolve(__dirname, '..');
  }
})();

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
  /**
   * postgres:// URL of the department's database: its own variable, the
   * shared one, else its database in the embedded cluster under DATA_DIR
   * (lib/local-cluster.ts); undefined when none of them exists.
   */
  databaseUrl: string | undefined;
  logLevel: string;
}

/** DATA_DIR: the embedded cluster, the demo's files, the gateway's audit journal. */
export function dataDirFrom(env: Env = process.env): string {
  return path.resolve(env.DATA_DIR ?? path.join(ROOT_DIR, 'data'));
}

export function subgraphConfig(name: SubgraphName, env: Env = process.env): SubgraphConfig {
  const dept = departmentOf(name);
  return {
    name,
    host: env.HOST ?? '127.0.0.1',
    port: intFrom(env, `${upper(name)}_PORT`, dept.port),
    databaseUrl: env[`${upper(name)}_DATABASE_URL`] || env.DATABASE_URL || localDepartmentUrl(dataDirFrom(env), name),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}

export interface GatewayConfig {
  host: string;
  port: number;
  supergraphPath: string;
  /**
   * Per-subgraph URL overrides (subgraph name → URL), from `<NAME>_SUBGRAPH_URL`
   * variables and `--subgraph name=url` flags; otherwise the supergraph file's URLs.
   */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  logLevel: string;
  /** Entity and whole-response caches on (default) or off (`CACHE=off`, for measuring the gateway without them). */
  cache: boolean;
  /** Where the shared cache lives; undefined: in-process only. */
  redis: RedisTarget | undefined;
  /** Production mode (NODE_ENV=production): introspection and the playground only for DEVELOPER clients. */
  production: boolean;
  /** Requests per client per minute, shared by every gateway through Redis. */
  rateLimitPerMinute: number;
  /** Natural persons' identity numbers an anonymous address may name per minute (gateway/plugins/person-lookups.ts). */
  personLookupsPerMinute: number;
  /** Largest request body accepted (413 above it). */
  maxBodyBytes: number;
  /** PROXY_SECRET: a proxy presenting it (the website) names its client's address (lib/client-address.ts). */
  proxySecret: string | undefined;
  /**
   * What one operation may cost, per kind of caller: PUBLIC (no credential)
   * has the tighter budget, every registered client the other
   * (gateway/plugins/complexity.ts; QUERY_TOO_COMPLEX over any of them).
   */
  budgets: { public: OperationBudget; registered: OperationBudget };
  /** Automatic persisted queries through the same gate as any operation (PERSISTED_QUERIES=on, the default), or refused as unsupported (off). */
  persistedQueries: boolean;
  /**
   * Failed authentications per minute from one address, and with one
   * presented credential, before further attempts are refused (429) without
   * asking anyone (lib/auth/auth-failures.ts).
   */
  authFailures: { perAddress: number; perCredential: number };
  /**
   * Field-level authorisation: 'enforce' (default; the supergraph must link the
   * access spec) or 'open' (`--access open` / ACCESS=open: off, said explicitly,
   * for a supergraph without @access policies).
   */
  access: 'enforce' | 'open';
}

/** The limits of one operation (gateway/plugins/complexity.ts). */
export interface OperationBudget {
  /** Deepest selection (fields nested in fields, through fragments). */
  maxDepth: number;
  /** Estimated values in the answer: every field once per object it is selected on, lists counted by their size. */
  maxCost: number;
  /** Aliased fields, __typename included. */
  maxAliases: number;
  /** Largest answer, in bytes of JSON. */
  maxResponseBytes: number;
  /** Longest a query may execute (planning and every subgraph fetch). */
  executionTimeoutMs: number;
}

export function gatewayConfig(env: Env = process.env, argv: string[] = []): GatewayConfig {
  const flag = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const portFlag = flag('port');
  // Any supergraph may be served, so overrides are keyed by whatever subgraph names it has.
  const subgraphUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^([A-Z0-9_]+)_SUBGRAPH_URL$/.exec(name);
    if (match && value) subgraphUrls[match[1]!.toLowerCase()] = value;
  }
  argv.forEach((arg, at) => {
    const value = arg === '--subgraph' ? argv[at + 1] : undefined;
    const [name, url] = value?.split(/=(.*)/) ?? [];
    if (name && url) subgraphUrls[name] = url;
  });
  return {
    host: env.HOST ?? '127.0.0.1',
    port: portFlag !== undefined ? intFrom({ port: portFlag }, 'port', GATEWAY_PORT) : intFrom(env, 'GATEWAY_PORT', GATEWAY_PORT),
    supergraphPath: path.resolve(flag('supergraph') ?? env.SUPERGRAPH ?? path.join(ROOT_DIR, 'schema', 'supergraph.graphql')),
    subgraphUrls,
    subgraphTimeoutMs: intFrom(env, 'SUBGRAPH_TIMEOUT_MS', 3000),
    logLevel: env.LOG_LEVEL ?? 'info',
    cache: cacheSwitch(env.CACHE),
    redis: redisTargetFrom(env),
    production: env.NODE_ENV === 'production',
    rateLimitPerMinute: intFrom(env, 'RATE_LIMIT_PER_MINUTE', 600),
    personLookupsPerMinute: intFrom(env, 'PERSON_LOOKUPS_PER_MINUTE', 30),
    // A 1,000-code batch is ~25 KB; a megabyte leaves room for any honest query and none for a flood.
    maxBodyBytes: intFrom(env, 'MAX_BODY_BYTES', 1024 * 1024),
    proxySecret: env.PROXY_SECRET || undefined,
    budgets: operationBudgets(env),
    persistedQueries: onOff(env, 'PERSISTED_QUERIES', true),
    authFailures: {
      perAddress: intFrom(env, 'AUTH_FAILURES_PER_ADDRESS', 20),
      perCredential: intFrom(env, 'AUTH_FAILURES_PER_CREDENTIAL', 5),
    },
    access: accessSwitch(flag('access') ?? env.ACCESS),
  };
}

/**
 * The budgets of PUBLIC and of registered clients. The defaults fit the
 * largest honest operations (a 1,000-bidder check with its measures costs
 * ~90,000; a public page of 1,000 subjects with their lists and listed records
 * ~37,000; one full public profile ~1,000) and refuse amplification (30
 * aliases of 1,000 full profiles: ~26,000,000).
 */
function operationBudgets(env: Env): GatewayConfig['budgets'] {
  // The schema has no cycles (its deepest path is 6); a deeper operation is not a real client's.
  const maxDepth = intFrom(env, 'MAX_QUERY_DEPTH', 10);
  return {
    public: {
      maxDepth,
      maxCost: intFrom(env, 'MAX_QUERY_COST_PUBLIC', 50_000),
      maxAliases: intFrom(env, 'MAX_ALIASES_PUBLIC', 10),
      maxResponseBytes: intFrom(env, 'MAX_RESPONSE_BYTES_PUBLIC', 2 * 1024 * 1024),
      executionTimeoutMs: intFrom(env, 'EXECUTION_TIMEOUT_MS_PUBLIC', 10_000),
    },
    registered: {
      maxDepth,
      maxCost: intFrom(env, 'MAX_QUERY_COST', 500_000),
      maxAliases: intFrom(env, 'MAX_ALIASES', 30),
      maxResponseBytes: intFrom(env, 'MAX_RESPONSE_BYTES', 16 * 1024 * 1024),
      executionTimeoutMs: intFrom(env, 'EXECUTION_TIMEOUT_MS', 20_000),
    },
  };
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new Error(`${name} must be 'on' or 'off', got '${raw}'`);
}

function accessSwitch(raw: string | undefined): 'enforce' | 'open' {
  if (raw === undefined || raw === '' || raw === 'enforce') return 'enforce';
  if (raw === 'open') return 'open';
  throw new Error(`ACCESS (or --access) must be 'enforce' or 'open', got '${raw}'`);
}

function cacheSwitch(raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'on') return true;
  if (raw === 'off') return false;
  throw new Error(`CACHE must be 'on' or 'off', got '${raw}'`);
}

/** Shortest IDENTITY_SIGNING_KEY accepted: an HMAC-SHA256 key should carry at least 256 bits. */
export const MIN_SIGNING_KEY_LENGTH = 32;

/**
 * The key the gateway signs forwarded identities with and the subgraphs verify
 * them with (lib/auth/identity-header.ts); undefined when not configured. A
 * key too short to resist guessing is refused rather than used.
 */
export function identitySigningKey(env: Env = process.env): string | undefined {
  const key = env.IDENTITY_SIGNING_KEY;
  if (key === undefined || key === '') return undefined;
  if (key.length < MIN_SIGNING_KEY_LENGTH) {
    throw new Error(`IDENTITY_SIGNING_KEY must be at least ${MIN_SIGNING_KEY_LENGTH} characters (e.g. openssl rand -base64 32)`);
  }
  return key;
}

/** Where the public website checks a report: a report's QR code and URL are this followed by its number. */
export function creditReportVerifyUrl(env: Env = process.env): string {
  const base = env.CREDIT_REPORT_VERIFY_URL || `http://127.0.0.1:${WEB_PORT}/verify/`;
  return base.endsWith('/') ? base : `${base}/`;
}

/** The public credit website and the credit office's console (web/main.ts). */
export const WEB_PORT = 4006;

export interface WebConfig {
  host: string;
  port: number;
  /** The gateway's public GraphQL endpoint: the website reads the graph only through it. */
  gatewayUrl: string;
  logLevel: string;
  /** PROXY_SECRET, to name each visitor's address to the gateway. */
  proxySecret: string | undefined;
  /** WEB_REPORTS_PER_MINUTE: credit reports one visitor address may have issued per minute. */
  reportsPerMinute: number;
  /** WEB_SECURE_COOKIES: `auto` marks the console's cookie Secure when the request came over HTTPS; `always` whatever it says. */
  secureCookies: 'auto' | 'always';
}

export function webConfig(env: Env = process.env): WebConfig {
  const secureCookies = env.WEB_SECURE_COOKIES || 'auto';
  if (secureCookies !== 'auto' && secureCookies !== 'always') throw new Error(`WEB_SECURE_COOKIES must be 'auto' or 'always', got '${secureCookies}'`);
  const reportsPerMinute = intFrom(env, 'WEB_REPORTS_PER_MINUTE', 10);
  if (reportsPerMinute < 1) throw new Error('WEB_REPORTS_PER_MINUTE must be at least 1');
  return {
    host: env.HOST ?? '127.0.0.1',
    port: intFrom(env, 'WEB_PORT', WEB_PORT),
    gatewayUrl: env.WEB_GATEWAY_URL || `http://127.0.0.1:${GATEWAY_PORT}/graphql`,
    logLevel: env.LOG_LEVEL ?? 'info',
    proxySecret: env.PROXY_SECRET || undefined,
    reportsPerMinute,
    secureCookies,
  };
}


/**
 * A process of the deployment: the gateway, one department subgraph, the
 * website, or the launcher (`npm start`, and the tools that start the
 * embedded PostgreSQL when nothing runs it: the seed, the client CLI).
 */
export type ServiceName = 'gateway' | SubgraphName | 'web' | 'launcher';

/** The embedded PostgreSQL server's port: not 5432, which a machine's own server may hold. */
export const DEFAULT_POSTGRES_PORT = 54320;

export function postgresPort(env: Env = process.env): number {
  return intFrom(env, 'POSTGRES_PORT', DEFAULT_POSTGRES_PORT);
}

export interface EnvironmentVariable {
  name: string;
  /** The processes that read it; setting it on any other process is dead configuration. */
  services: ServiceName[];
  /**
   * What the code uses when the variable is unset, as text for people; an
   * empty string means "unset" is itself the default and the description
   * says what that does (embedded database, in-process cache, ...).
   */
  default: string;
  description: string;
  /**
   * Whether docker-compose.yml must set it on every service listed. True
   * where the default is wrong or merely implicit inside a container network:
   * listen addresses and ports (127.0.0.1 is unreachable from the other
   * containers, and the ports are checked against lib/departments.ts), the
   * per-department PostgreSQL URLs (the embedded default would keep data in
   * the container's writable layer), the subgraph URLs (the supergraph
   * records 127.0.0.1) and Redis (replicas of the gateway must share one
   * cache for invalidation to reach them all). Tuning knobs stay optional.
   */
  requiredInCompose: boolean;
}

/**
 * Every environment variable any service reads, with who reads it and its
 * default. test/config.test.ts scans lib/, gateway/ and subgraphs/ so a
 * variable cannot be read without being listed here, and
 * test/docker-compose.test.ts checks docker-compose.yml against this list.
 */
export const ENVIRONMENT_VARIABLES: readonly EnvironmentVariable[] = [
  {
    name: 'HOST',
    services: ['gateway', ...DEPARTMENTS.map((d) => d.name), 'web'],
    default: '127.0.0.1',
    description: 'Address the HTTP server listens on; 0.0.0.0 in containers.',
    requiredInCompose: true,
  },
  {
    name: 'LOG_LEVEL',
    services: ['gateway', ...DEPARTMENTS.map((d) => d.name), 'web'],
    default: 'info',
    description: 'pino log level (trace, debug, info, warn, error, fatal, silent).',
    requiredInCompose: false,
  },
  {
    name: 'DATA_DIR',
    services: ['gateway', ...DEPARTMENTS.map((d) => d.name)],
    default: '<repository>/data',
    description:
      'Directory of the embedded PostgreSQL cluster (postgres/, and its connection file postgres.json with one login role and database per department; unused with PostgreSQL URLs) and the demo\'s files; the gateway journals every audit entry in its audit-journal/ sub-directory before it answers (and delivers what an earlier gateway left in audit-spool/).',
    requiredInCompose: false,
  },
  {
    name: 'POSTGRES_PORT',
    services: ['launcher'],
    default: '54320',
    description:
      'Port of the embedded PostgreSQL server that `npm start` runs under DATA_DIR/postgres when no DATABASE_URL is set (listening on 127.0.0.1 only).',
    requiredInCompose: false,
  },
  {
    name: 'DATABASE_URL',
    services: DEPARTMENTS.map((d) => d.name),
    default: '',
    description:
      'postgres:// URL shared by every subgraph that has no <DEPT>_DATABASE_URL of its own (each department in a schema of its own); unset means the embedded PostgreSQL under DATA_DIR.',
    requiredInCompose: false,
  },
  ...DEPARTMENTS.flatMap((d): EnvironmentVariable[] => [
    {
      name: `${upper(d.name)}_DATABASE_URL`,
      services: [d.name],
      default: '',
      description: `postgres:// URL of the ${d.title} subgraph's own database; falls back to DATABASE_URL, then to the department's own database and login role in the embedded PostgreSQL under DATA_DIR.`,
      requiredInCompose: true,
    },
    {
      name: `${upper(d.name)}_PORT`,
      services: [d.name],
      default: String(d.port),
      description: `Port the ${d.title} subgraph listens on.`,
      requiredInCompose: true,
    },
  ]),
  {
    name: 'GATEWAY_PORT',
    services: ['gateway'],
    default: String(GATEWAY_PORT),
    description: 'Port the gateway listens on (the --port flag wins).',
    requiredInCompose: true,
  },
  {
    name: 'SUPERGRAPH',
    services: ['gateway'],
    default: '<repository>/schema/supergraph.graphql',
    description: 'Path of the composed supergraph SDL the gateway serves (the --supergraph flag wins).',
    requiredInCompose: false,
  },
  ...DEPARTMENTS.map(
    (d): EnvironmentVariable => ({
      name: `${upper(d.name)}_SUBGRAPH_URL`,
      // The credit office asks a department for the record a list entry stands on (subgraphs/credit/departments.ts).
      services: d.name === 'credit' ? ['gateway'] : ['gateway', 'credit'],
      default: '',
      description: `GraphQL URL of the ${d.title} subgraph; unset means the URL recorded in the supergraph (http://127.0.0.1:${d.port}/graphql).${d.name === 'credit' ? '' : ' The credit subgraph reads it too, to check a published list entry against the department\'s record.'}`,
      requiredInCompose: true,
    }),
  ),
  {
    name: 'SCHEDULED_JOBS_INTERVAL_MS',
    services: ['credit'],
    default: '3600000',
    description:
      'How often the credit subgraph runs its scheduled job (subgraphs/credit/jobs.ts: commitments that obtained 容缺受理 breached after their deadline, overdue rectifications put under key attention), in milliseconds; it also runs at start. 0: never.',
    requiredInCompose: false,
  },
  {
    name: 'SUBGRAPH_TIMEOUT_MS',
    services: ['gateway'],
    default: '3000',
    description: 'How long the gateway waits for a subgraph before reporting it as a missing source.',
    requiredInCompose: false,
  },
  {
    name: 'REDIS_URL',
    services: ['gateway', 'credit'],
    default: '',
    description:
      'redis:// URL of the entity and response cache shared by all gateway replicas (ioredis), of its invalidation channel, of the rate limits and of the revocation channel (npm run client -- revoke announces there); unset means an in-process cache and limits, correct only for a single replica. The seed (lib/bulk.ts writers) and the client CLI also read it to announce what they wrote.',
    requiredInCompose: true,
  },
  {
    name: 'REDIS_CLUSTER_NODES',
    services: ['gateway'],
    default: '',
    description: 'Comma-separated host:port seeds of a Redis Cluster for the shared cache; when set it is used instead of REDIS_URL.',
    requiredInCompose: false,
  },
  {
    name: 'NODE_ENV',
    services: ['gateway'],
    default: '',
    description: "'production' limits introspection and the playground to DEVELOPER clients.",
    requiredInCompose: true,
  },
  {
    name: 'MAX_QUERY_DEPTH',
    services: ['gateway'],
    default: '10',
    description: 'Deepest selection an operation may nest, for every caller; deeper ones are refused with QUERY_TOO_COMPLEX (introspection is not counted).',
    requiredInCompose: false,
  },
  {
    name: 'MAX_QUERY_COST',
    services: ['gateway'],
    default: '500000',
    description:
      "Largest estimated cost of one operation of a registered client: every field once per object it is selected on, each list counted by its size (`codes`, `first`, else 10); more is refused with QUERY_TOO_COMPLEX naming the figure and the limit (docs/security.md).",
    requiredInCompose: false,
  },
  {
    name: 'MAX_QUERY_COST_PUBLIC',
    services: ['gateway'],
    default: '50000',
    description: 'As MAX_QUERY_COST, for PUBLIC callers (no credential).',
    requiredInCompose: false,
  },
  {
    name: 'MAX_ALIASES',
    services: ['gateway'],
    default: '30',
    description: 'Most aliased fields (__typename included) in one operation of a registered client; more is refused with QUERY_TOO_COMPLEX.',
    requiredInCompose: false,
  },
  {
    name: 'MAX_ALIASES_PUBLIC',
    services: ['gateway'],
    default: '10',
    description: 'As MAX_ALIASES, for PUBLIC callers.',
    requiredInCompose: false,
  },
  {
    name: 'MAX_RESPONSE_BYTES',
    services: ['gateway'],
    default: '16777216',
    description: 'Largest answer (bytes of JSON) to a registered client; a larger one is not sent, and the request is answered QUERY_TOO_COMPLEX with its size and the limit.',
    requiredInCompose: false,
  },
  {
    name: 'MAX_RESPONSE_BYTES_PUBLIC',
    services: ['gateway'],
    default: '2097152',
    description: 'As MAX_RESPONSE_BYTES, for PUBLIC callers.',
    requiredInCompose: false,
  },
  {
    name: 'EXECUTION_TIMEOUT_MS',
    services: ['gateway'],
    default: '20000',
    description: "Longest a registered client's query may execute; its subgraph fetches are then abandoned and it is answered QUERY_TOO_COMPLEX (mutations are bounded by SUBGRAPH_TIMEOUT_MS alone, never cut off half-way).",
    requiredInCompose: false,
  },
  {
    name: 'EXECUTION_TIMEOUT_MS_PUBLIC',
    services: ['gateway'],
    default: '10000',
    description: 'As EXECUTION_TIMEOUT_MS, for PUBLIC callers.',
    requiredInCompose: false,
  },
  {
    name: 'PERSISTED_QUERIES',
    services: ['gateway'],
    default: 'on',
    description:
      "Automatic persisted queries (extensions.persistedQuery, sha256 of the text): 'on' keeps each text a client sent with its hash, and a later request naming only the hash runs that text through every check as if it had been sent in full (a hash carries nobody's rights); 'off' answers PERSISTED_QUERY_NOT_SUPPORTED.",
    requiredInCompose: false,
  },
  {
    name: 'AUTH_FAILURES_PER_ADDRESS',
    services: ['gateway'],
    default: '20',
    description:
      'Failed authentications (a bad, unknown, expired or revoked credential) one address may make per minute, counted across gateways in Redis; beyond it credentials from that address are refused with 429 before any lookup (a key this gateway already knows to be valid still works).',
    requiredInCompose: false,
  },
  {
    name: 'AUTH_FAILURES_PER_CREDENTIAL',
    services: ['gateway'],
    default: '5',
    description: 'Failed authentications with one and the same credential per minute; beyond it that credential is refused with 429 before any lookup, from any address.',
    requiredInCompose: false,
  },
  {
    name: 'MAX_BODY_BYTES',
    services: ['gateway'],
    default: '1048576',
    description: 'Largest request body the gateway accepts; larger ones are refused with 413.',
    requiredInCompose: false,
  },
  {
    name: 'RATE_LIMIT_PER_MINUTE',
    services: ['gateway'],
    default: '600',
    description: 'Requests each client (each address for PUBLIC) may make per minute, counted across all gateways in Redis (per gateway without it).',
    requiredInCompose: false,
  },
  {
    name: 'PERSON_LOOKUPS_PER_MINUTE',
    services: ['gateway'],
    default: '30',
    description: "Natural persons' identity numbers an anonymous caller's address may name per minute (429 PERSON_LOOKUPS beyond): the masked form leaves some 2,000 numbers possible, so naming them all must take long.",
    requiredInCompose: false,
  },
  {
    name: 'CACHE',
    services: ['gateway'],
    default: 'on',
    description: "'off' turns the entity and whole-response caches off (in-flight request merging stays), to measure the gateway without them.",
    requiredInCompose: false,
  },
  {
    name: 'ACCESS',
    services: ['gateway'],
    default: 'enforce',
    description:
      "'open' turns field-level authorisation off (the --access flag wins), for serving a supergraph that does not link the access spec (credit-graph.dev/access); the gateway refuses such a supergraph otherwise. Credentials, limits, cache, audit and metrics work either way.",
    requiredInCompose: false,
  },
  {
    name: 'IDENTITY_SIGNING_KEY',
    services: ['gateway', ...DEPARTMENTS.map((d) => d.name)],
    default: '',
    description:
      "HMAC key (at least 32 characters, the same on every service) with which the gateway signs the caller's identity for the subgraphs (header x-credit-graph-identity) and its own GATEWAY identity for internal calls (the API-key lookup, the audit log's delivery). Required: the gateway and every subgraph refuse to start without it, and a subgraph answers no GraphQL request the gateway did not sign.",
    requiredInCompose: true,
  },
  {
    name: 'PROXY_SECRET',
    services: ['gateway', 'web'],
    default: '',
    description:
      "Secret shared by the gateway and the website (header x-credit-graph-proxy): with it the website names each visitor's address in X-Forwarded-For, so the gateway rate-limits and audits visitors one by one. Without it every visitor counts as the website's address. `npm start` draws one per run.",
    requiredInCompose: false,
  },
  {
    name: 'JWT_SECRET',
    services: ['gateway'],
    default: '',
    description:
      'Shared secret (at least 32 characters) of HS256 bearer tokens, for the demo; tokens signed with any other algorithm are refused. Set exactly one of JWT_SECRET, JWT_JWKS_FILE, JWT_JWKS_URL; none means bearer tokens are refused.',
    requiredInCompose: false,
  },
  {
    name: 'JWT_JWKS_FILE',
    services: ['gateway'],
    default: '',
    description: 'Path of a JWKS (JSON Web Key Set) file with the public keys of RS256/ES256 bearer tokens, for production; HS256 tokens are then refused.',
    requiredInCompose: false,
  },
  {
    name: 'JWT_JWKS_URL',
    services: ['gateway'],
    default: '',
    description: 'https:// URL of the identity provider\'s JWKS for RS256/ES256 bearer tokens (fetched and cached, refetched for an unknown key id); HS256 tokens are then refused.',
    requiredInCompose: false,
  },
  {
    name: 'JWT_ISSUER',
    services: ['gateway'],
    default: '',
    description: 'When set, a bearer token must carry exactly this `iss` claim.',
    requiredInCompose: false,
  },
  {
    name: 'JWT_AUDIENCE',
    services: ['gateway'],
    default: '',
    description: 'When set, a bearer token\'s `aud` claim must name this audience.',
    requiredInCompose: false,
  },
  {
    name: 'CREDIT_REPORT_VERIFY_URL',
    services: ['credit'],
    default: `http://127.0.0.1:${WEB_PORT}/verify/`,
    description: "Where a credit report's QR code and verification URL point: the public website's /verify/ page as the public reaches it, followed by the report number.",
    requiredInCompose: true,
  },
  {
    name: 'WEB_PORT',
    services: ['web'],
    default: String(WEB_PORT),
    description: 'Port the public credit website and the credit office console listen on (web/main.ts).',
    requiredInCompose: true,
  },
  {
    name: 'WEB_GATEWAY_URL',
    services: ['web'],
    default: `http://127.0.0.1:${GATEWAY_PORT}/graphql`,
    description: "The gateway's public GraphQL URL, the only way the website reads the graph.",
    requiredInCompose: true,
  },
  {
    name: 'WEB_REPORTS_PER_MINUTE',
    services: ['web'],
    default: '10',
    description: 'Credit reports (PDF downloads) one visitor address may have issued in any minute; beyond it the website answers 429 with a page saying so. Each report is registered, so a flood would fill the register and take the credit office\'s rendering slots.',
    requiredInCompose: false,
  },
  {
    name: 'WEB_SECURE_COOKIES',
    services: ['web'],
    default: 'auto',
    description: "'auto': the console's session cookie is marked Secure when the request came over HTTPS (TLS to the website, or a proxy's X-Forwarded-Proto: https); 'always': always (behind a TLS proxy that does not say so).",
    requiredInCompose: false,
  },
];
