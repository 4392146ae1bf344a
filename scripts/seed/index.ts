/**
 * Seeds every department's database with one consistent synthetic dataset.
 *
 * The plan (who the subjects are, which records each department holds) is
 * decided once from the seed; each department then builds its rows from the
 * plan and writes them through its own database layer, one department at a
 * time so only one embedded database is open (creating one costs ~850 MB).
 * What the departments publish to the credit office is collected on the way
 * and written to the credit office's database last.
 */
import { SingleBar, Presets } from 'cli-progress';
import { subgraphConfig } from '../../lib/config';
import type { Database } from '../../lib/db';
import { openSubgraphDatabase } from '../../lib/subgraph';
import type { SubgraphName } from '../../lib/departments';
import { courtsSubgraph } from '../../subgraphs/courts';
import { writeCourtRecords } from '../../subgraphs/courts/store';
import { creditSubgraph } from '../../subgraphs/credit';
import { writeCreditRecords, type ListEntryRow } from '../../subgraphs/credit/store';
import { environmentSubgraph } from '../../subgraphs/environment';
import { writeEnvironmentRecords } from '../../subgraphs/environment/store';
import { marketSubgraph } from '../../subgraphs/market';
import { writeMarketRecords } from '../../subgraphs/market/store';
import { taxSubgraph } from '../../subgraphs/tax';
import { writeTaxRecords } from '../../subgraphs/tax/store';
import { createCourtsBuilder } from './courts';
import { isoDate } from './dates';
import { createEnvironmentBuilder } from './environment';
import { courtListEntries, environmentListEntries, marketListEntries, taxListEntries } from './lists';
import { createMarketBuilder } from './market';
import { createPlan, SHOWCASE_CASES, type SeedPlan, type ShowcaseCase, type SubjectPlan } from './plan';
import { createTaxBuilder } from './tax';

export interface SeedOptions {
  subjects: number;
  seed: number;
  /** Where the databases are: DATA_DIR and the *_DATABASE_URL variables, as the subgraphs read them. */
  env?: NodeJS.ProcessEnv;
  /** Empty databases that already hold data instead of refusing to write into them. */
  reset?: boolean;
  /** Fixes the reference date ('YYYY-MM-DD') instead of deriving it from the seed. */
  referenceDate?: string;
  /** Show a progress bar on stderr (default: when stderr is a terminal). */
  progress?: boolean;
}

export interface SeedSummary {
  seed: number;
  subjects: number;
  /** The day the data describes: every record is dated before it. */
  referenceDate: string;
  /** One subject code for each case the demo shows. */
  examples: Record<ShowcaseCase, string>;
  /** Rows written, per department and table. */
  rows: Record<string, Record<string, number>>;
  seconds: number;
}

/** Subjects per write: one transaction per department and chunk keeps memory flat and each write all-or-nothing. */
const CHUNK_SUBJECTS = 5_000;

interface DepartmentSeeder<R> {
  definition: { name: SubgraphName; migrationsDir: string };
  build(plan: SeedPlan): (subjects: readonly SubjectPlan[]) => R;
  write(db: Database, records: R): Promise<void>;
  /** What the department publishes to the credit office from these records. */
  publish(records: R): ListEntryRow[];
}

const seeder = <R>(s: DepartmentSeeder<R>): DepartmentSeeder<unknown> => s as DepartmentSeeder<unknown>;

const DEPARTMENT_SEEDERS: DepartmentSeeder<unknown>[] = [
  seeder({ definition: marketSubgraph, build: createMarketBuilder, write: writeMarketRecords, publish: marketListEntries }),
  seeder({ definition: taxSubgraph, build: createTaxBuilder, write: writeTaxRecords, publish: taxListEntries }),
  seeder({ definition: courtsSubgraph, build: createCourtsBuilder, write: writeCourtRecords, publish: courtListEntries }),
  seeder({ definition: environmentSubgraph, build: createEnvironmentBuilder, write: writeEnvironmentRecords, publish: environmentListEntries }),
];

export async function seed(options: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const plan = createPlan({ subjects: options.subjects, seed: options.seed, referenceDate: options.referenceDate });
  const progress = createProgress(options.progress ?? process.stderr.isTTY === true, plan.subjects.length);
  const rows: SeedSummary['rows'] = {};
  const published: ListEntryRow[] = [];

  try {
    for (const department of DEPARTMENT_SEEDERS) {
      const { name } = department.definition;
      const db = await openForSeeding(department.definition, env, options.reset === true);
      try {
        const rebuildIndexes = await dropSecondaryIndexes(db);
        const build = department.build(plan);
        progress.begin(name);
        for (let start = 0; start < plan.subjects.length; start += CHUNK_SUBJECTS) {
          const chunk = plan.subjects.slice(start, start + CHUNK_SUBJECTS);
          const records = build(chunk);
          await department.write(db, records);
          published.push(...department.publish(records));
          rows[name] = addCounts(rows[name], records as Record<string, unknown[]>);
          progress.advance(chunk.length);
        }
        await rebuildIndexes();
      } finally {
        await db.close();
      }
    }
    const db = await openForSeeding(creditSubgraph, env, options.reset === true);
    try {
      progress.begin('credit');
      const rebuildIndexes = await dropSecondaryIndexes(db);
      await writeCreditRecords(db, { listEntries: published });
      await rebuildIndexes();
      rows.credit = { listEntries: published.length };
      progress.advance(plan.subjects.length);
    } finally {
      await db.close();
    }
  } finally {
    progress.stop();
  }

  const examples = Object.fromEntries(SHOWCASE_CASES.map((name) => [name, plan.subjects[plan.showcase[name]]!.code])) as Record<ShowcaseCase, string>;
  return {
    seed: plan.seed,
    subjects: plan.subjects.length,
    referenceDate: isoDate(plan.referenceDate),
    examples,
    rows,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/**
 * Opens a department's database for seeding. Seeding into data that is
 * already there would mix two datasets, so a non-empty database is refused
 * unless `reset` asks to start it over.
 */
async function openForSeeding(definition: DepartmentSeeder<unknown>['definition'], env: NodeJS.ProcessEnv, reset: boolean): Promise<Database> {
  const config = subgraphConfig(definition.name, env);
  let db = await openSubgraphDatabase(definition, config);
  if (reset) {
    await db.exec(`DROP SCHEMA ${db.schema} CASCADE`);
    await db.close();
    db = await openSubgraphDatabase(definition, config);
  }
  // After a reset the schema is this seed's: a write the running graph made since is not a second dataset.
  const filled = reset ? [] : await tablesWithRows(db);
  if (filled.length > 0) {
    await db.close();
    const where = `schema ${db.schema} of ${redactPassword(config.databaseUrl ?? '')}`;
    throw new Error(`the ${definition.name} database (${where}) already holds data (${filled.join(', ')}); seed with --reset to replace it`);
  }
  return db;
}

/**
 * The schema's indexes that back no constraint, dropped before a bulk load
 * into empty tables and built again after it (one sort per index instead of
 * a B-tree insert per row). Keys and unique constraints stay: the writers
 * rely on them. Returns the rebuild, which also refreshes the statistics.
 */
async function dropSecondaryIndexes(db: Database): Promise<() => Promise<void>> {
  const indexes = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = $1
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
    [db.schema],
  );
  for (const { indexname } of indexes) await db.exec(`DROP INDEX "${db.schema}"."${indexname}"`);
  return async () => {
    for (const { indexdef } of indexes) await db.exec(indexdef);
    // The department's own tables: a bare ANALYZE would also try the system catalogues its role may not.
    const tables = await db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`, [db.schema]);
    for (const { table_name } of tables) await db.exec(`ANALYZE "${db.schema}"."${table_name}"`);
  };
}

/** Tables a migration fills itself (the credit office's measures catalogue, the default sampling ratios): not seeded data. */
const MIGRATION_FILLED_TABLES = ['schema_migrations', 'catalogue_version', 'measure', 'sampling_ratio'];

async function tablesWithRows(db: Database): Promise<string[]> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> ALL($2::text[]) ORDER BY table_name`,
    [db.schema, MIGRATION_FILLED_TABLES],
  );
  const filled: string[] = [];
  for (const { table_name } of tables) {
    const [row] = await db.query<{ present: boolean }>(`SELECT EXISTS (SELECT 1 FROM "${table_name}") AS present`);
    if (row?.present) filled.push(table_name);
  }
  return filled;
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

function addCounts(counts: Record<string, number> | undefined, records: Record<string, unknown[]>): Record<string, number> {
  const total = { ...counts };
  for (const [table, list] of Object.entries(records)) total[table] = (total[table] ?? 0) + list.length;
  return total;
}

interface Progress {
  begin(department: string): void;
  advance(subjects: number): void;
  stop(): void;
}

/** A bar per department on a terminal; otherwise one line per department, so logs stay readable. */
function createProgress(onTerminal: boolean, total: number): Progress {
  if (!onTerminal) {
    return {
      begin: (department) => process.stderr.write(`seeding ${department}...\n`),
      advance: () => {},
      stop: () => {},
    };
  }
  const bar = new SingleBar(
    { format: '{department} |{bar}| {value}/{total} subjects | {duration_formatted}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  let started = false;
  return {
    begin(department) {
      if (started) bar.stop();
      bar.start(total, 0, { department: department.padEnd(11) });
      started = true;
    },
    advance: (subjects) => bar.increment(subjects),
    stop: () => {
      if (started) bar.stop();
    },
  };
}
