/**
 * The database interface of every department: a pool (`pg`) on a PostgreSQL
 * server — the embedded one `npm start` runs (scripts/postgres/cluster.ts) or
 * any other by URL; the code cannot tell them apart.
 *
 * Each department's tables live in a schema named after the department, so
 * several departments can also share one database (the shared fallback
 * `DATABASE_URL`) without touching each other's tables.
 */
import { Pool, type PoolClient } from 'pg';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
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
  /** postgres:// URL of the department's database. */
  url: string;
  /** Connection pool size. */
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { schema, url } = options;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const pool = new Pool({ connectionString: url, max: options.poolSize ?? 10, options: `-c search_path=${schema}` });
  // An idle connection the server ends (restart, failover, admin termination) is
  // reported here; unhandled it would crash the process. The pool replaces it on
  // the next query, and queries in flight fail on their own.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL connection of ${schema} closed by the server: ${error.message}`);
  });
  const run = async <T>(client: Pool | PoolClient, sql: string, params?: readonly unknown[]) =>
    (await client.query(sql, params as unknown[] | undefined)).rows as T[];
  const exec = (client: Pool | PoolClient) => async (sql: string) => {
    await client.query(sql);
  };
  // The schema must exist before search_path can resolve anything in it.
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    schema,
    query: (sql, params) => run(pool, sql, params),
    exec: exec(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => run(client, sql, params), exec: exec(client) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
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
