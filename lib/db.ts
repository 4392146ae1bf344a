/**
 * One database interface over embedded PGlite and a real PostgreSQL server.
 *
 * Every department owns its own database; the same SQL (numbered `$n`
 * parameters, PostgreSQL dialect) runs on both engines. Each department's
 * tables live in a schema named after the department, so several departments
 * can share one server database (the shared fallback URL) without touching
 * each other's tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { Pool, type PoolClient } from 'pg';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  readonly schema: string;
  /** Runs `fn` in one transaction: all of its writes land, or none do. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Department name; also the PostgreSQL schema that holds its tables. */
  schema: string;
  /** postgres:// URL; when absent, an embedded PGlite database in `dataDir`. */
  url?: string;
  /** Directory of the embedded database (created if missing). */
  dataDir?: string;
  /** Connection pool size for a real server. */
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (!SCHEMA_NAME.test(options.schema)) throw new Error(`invalid schema name: ${options.schema}`);
  if (options.url) return openPostgres(options.url, options.schema, options.poolSize ?? 10);
  if (!options.dataDir) throw new Error(`department ${options.schema}: neither a database URL nor a data directory is configured`);
  return openPGlite(options.dataDir, options.schema);
}

async function openPostgres(url: string, schema: string, max: number): Promise<Database> {
  const pool = new Pool({ connectionString: url, max, options: `-c search_path=${schema}` });
  // An idle connection the server ends (restart, failover, admin termination) is
  // reported here; unhandled it would crash the process. The pool replaces it on
  // the next query, and queries in flight fail on their own.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL connection of ${schema} closed by the server: ${error.message}`);
  });
  const run = async <T>(client: Pool | PoolClient, sql: string, params?: readonly unknown[]) =>
    (await client.query(sql, params as unknown[] | undefined)).rows as T[];
  // The schema must exist before search_path can resolve anything in it.
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  return {
    engine: 'postgres',
    schema,
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}

/**
 * PostgreSQL's default 128 MB of shared buffers is allocated inside each
 * embedded instance's WebAssembly memory, and the demo runs five of them: a
 * department's working set is a few megabytes, so 32 MB keeps it cached and
 * saves ~100 MB of resident memory per department.
 */
const EMBEDDED_SETTINGS = ['shared_buffers=32MB'];

async function openPGlite(dataDir: string, schema: string): Promise<Database> {
  fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  // pg_trgm: market supervision's name search (subgraphs/market/migrations/016_subject_search.sql).
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const db = await PGlite.create(dataDir, { relaxedDurability: false, postgresqlconf: EMBEDDED_SETTINGS, extensions: { pg_trgm } });
  await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
  const wrap = (target: Pick<PGlite | Transaction, 'query' | 'exec'>): Queryable => ({
    query: async <T>(sql: string, params?: readonly unknown[]) =>
      (await target.query<T>(sql, params as unknown[] | undefined)).rows,
    exec: async (sql: string) => {
      await target.exec(sql);
    },
  });
  const self = wrap(db);
  return {
    engine: 'pglite',
    schema,
    ...self,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    ping: async () => {
      await db.query('SELECT 1');
    },
    close: () => db.close(),
  };
}
