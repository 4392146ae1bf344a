/**
 * Bulk writes: rows travel as one
 * JSON parameter and `jsonb_to_recordset` turns them into a relation, so a
 * chunk of thousands of rows is one statement and one round trip.
 */
import type { Database, Queryable } from './db';
import { collectSubjectCodes, publishInvalidation } from './invalidation';

/** Column name → SQL type, in insert order. */
export type ColumnTypes = Record<string, string>;

export interface TableSpec<RowT> {
  table: string;
  columns: ColumnTypes;
  /** Phantom field so a spec carries the row type it accepts. */
  readonly row?: RowT;
}

export function tableSpec<RowT>(table: string, columns: { [K in keyof RowT]-?: string }): TableSpec<RowT> {
  return { table, columns: columns as ColumnTypes };
}

const CHUNK_ROWS = 5000;

/** Inserts rows in chunks; returns how many were inserted. Run inside a transaction for all-or-nothing. */
export async function insertRows<RowT>(q: Queryable, spec: TableSpec<RowT>, rows: readonly RowT[]): Promise<number> {
  const names = Object.keys(spec.columns);
  const recordType = names.map((name) => `${name} ${spec.columns[name]}`).join(', ');
  const sql = `INSERT INTO ${spec.table} (${names.join(', ')}) SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${recordType})`;
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    await q.query(sql, [JSON.stringify(rows.slice(start, start + CHUNK_ROWS))]);
  }
  return rows.length;
}

/**
 * The writer of a department's batch: every table's rows in one transaction,
 * in the order the specs are listed, so a batch lands whole or not at all.
 * Once committed, the subjects it touched (every subject code in its rows:
 * the subject, and e.g. a legal representative's identity number) are
 * invalidated in every gateway's cache when Redis is configured
 * (lib/invalidation.ts publishInvalidation); these writers run outside the
 * graph (seed, feeds), so no gateway sees the write go by.
 */
export function batchWriter<R extends { [K in keyof R]: readonly unknown[] }>(
  specs: { [K in keyof R]: TableSpec<R[K][number]> },
): (db: Database, records: R) => Promise<void> {
  const tables = Object.keys(specs) as (keyof R)[];
  return async (db, records) => {
    await db.transaction(async (tx) => {
      for (const table of tables) await insertRows(tx, specs[table], records[table]);
    });
    const codes = new Set<string>();
    for (const table of tables) collectSubjectCodes(records[table], codes);
    if (codes.size > 0) await publishInvalidation(codes);
  };
}
