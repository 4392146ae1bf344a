/**
 * Versioned SQL migrations: `NNN_description.sql` files applied in order,
 * each in its own transaction, recorded in `schema_migrations` of the
 * department's schema. An applied migration whose file changed is refused:
 * history is append-only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './db';
import { ROOT_DIR } from './config';
import type { SubgraphName } from './departments';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE_NAME = /^(\d+)_([\w-]+)\.sql$/;

export function readMigrations(directory: string): Migration[] {
  return fs
    .readdirSync(directory)
    .map((file) => ({ file, match: FILE_NAME.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => {
      const sql = fs.readFileSync(path.join(directory, file), 'utf8');
      return {
        version: Number(match[1]),
        name: match[2]!,
        sql,
        checksum: crypto.createHash('sha256').update(sql).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
}

/** Applies pending migrations; returns the versions applied now. */
export async function migrate(db: Database, migrations: Migration[]): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied = new Map(
    (await db.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations')).map((row) => [
      row.version,
      row.checksum,
    ]),
  );
  const appliedNow: number[] = [];
  for (const migration of migrations) {
    const checksum = applied.get(migration.version);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new Error(`migration ${migration.version}_${migration.name} of ${db.schema} changed after it was applied`);
      }
      continue;
    }
    await db.transaction(async (tx) => {
      // Two processes starting at once on one server: the second waits, then finds it applied.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${db.schema}.migrations`]);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.length > 0) return;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      appliedNow.push(migration.version);
    });
  }
  return appliedNow;
}

/** A department's `NNN_name.sql` migrations, beside its code (found from the repository, so built JavaScript finds them too). */
export function migrationsDirOf(name: SubgraphName): string {
  return path.join(ROOT_DIR, 'subgraphs', name, 'migrations');
}
