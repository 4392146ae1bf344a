/**
 * DataLoader factories for entity lookups: however many subjects one request
 * resolves, each table is read with one `WHERE subject_code = ANY($1)`.
 */
import DataLoader from 'dataloader';
import type { Queryable } from './db';

/**
 * One row (or null) per subject code. `sql` takes the codes as `$1::text[]`
 * and must return a `subject_code` column.
 */
export function rowBySubject<T>(db: Queryable, sql: string): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (codes) => {
    const rows = await db.query<T & { subject_code: string }>(sql, [codes]);
    const byCode = new Map(rows.map((row) => [row.subject_code, row]));
    return codes.map((code) => byCode.get(code) ?? null);
  });
}

/** All rows per subject code, in the order the SQL returns them. */
export function rowsBySubject<T>(db: Queryable, sql: string): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (codes) => {
    const rows = await db.query<T & { subject_code: string }>(sql, [codes]);
    const byCode = new Map<string, T[]>();
    for (const row of rows) {
      const list = byCode.get(row.subject_code);
      if (list) list.push(row);
      else byCode.set(row.subject_code, [row]);
    }
    return codes.map((code) => byCode.get(code) ?? []);
  });
}
