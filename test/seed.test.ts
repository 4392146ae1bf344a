/**
 * The seed as a whole, on the real PostgreSQL server: every department gets
 * the same subjects, what the departments publish to the credit office agrees
 * with their records, a second seed refuses to mix datasets unless asked to
 * reset, and the same seed gives the same data.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { seed, type SeedSummary } from '../scripts/seed/index';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';

const SUBJECTS = 3000;
const REFERENCE_DATE = '2026-03-01';

describe('seed on PostgreSQL', () => {
  let database: TestDatabase;
  let client: Client;
  let summary: SeedSummary;
  const env = () => ({ ...process.env, DATABASE_URL: database.url });
  const rows = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];

  beforeAll(async () => {
    database = await createTestDatabase('seed');
    summary = await seed({ subjects: SUBJECTS, seed: 5, env: env(), referenceDate: REFERENCE_DATE, progress: false });
    client = new Client({ connectionString: database.url });
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('reports what it wrote, and the counts match the tables', async () => {
    expect(summary).toEqual(expect.objectContaining({ seed: 5, subjects: SUBJECTS, referenceDate: REFERENCE_DATE }));
    const [counts] = await rows<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM market.registration) AS registrations,
              (SELECT count(*)::int FROM tax.tax_credit_rating) AS ratings,
              (SELECT count(*)::int FROM courts.dishonest_debtor) AS dishonest,
              (SELECT count(*)::int FROM environment.discharge_permit) AS permits,
              (SELECT count(*)::int FROM credit.list_entry) AS entries`,
    );
    expect(counts).toEqual({
      registrations: summary.rows.market!.registrations,
      ratings: summary.rows.tax!.creditRatings,
      dishonest: summary.rows.courts!.dishonestDebtors,
      permits: summary.rows.environment!.dischargePermits,
      entries: summary.rows.credit!.listEntries,
    });
    // Most organisations are registered with market supervision (social organisations and persons are not).
    expect(counts!.registrations).toBeGreaterThan(SUBJECTS * 0.9);
  });

  it('talks about the same subjects in every department', async () => {
    const strays = await rows(
      `SELECT subject_code FROM tax.tax_credit_rating
        UNION SELECT subject_code FROM environment.environmental_credit_rating
        UNION SELECT subject_code FROM courts.enforcement_case WHERE subject_code !~ '^[0-9]{17}[0-9X]$'
       EXCEPT SELECT subject_code FROM market.registration`,
    );
    expect(strays).toEqual([]);
  });

  it("publishes every court's dishonest debtor to the black list, ending when the court removed it", async () => {
    const mismatches = await rows(
      `SELECT d.subject_code, d.case_number FROM courts.dishonest_debtor d
         LEFT JOIN credit.list_entry e
           ON e.kind = 'BLACK' AND e.department = 'COURTS' AND e.subject_code = d.subject_code
          AND e.since = d.listed_on AND e.until IS NOT DISTINCT FROM d.removed_on
        WHERE e.id IS NULL`,
    );
    expect(mismatches).toEqual([]);
    const [published] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM credit.list_entry WHERE department = 'COURTS'`);
    expect(published!.n).toBe(summary.rows.courts!.dishonestDebtors);
  });

  it('puts the showcase subjects on the lists their case is about', async () => {
    const entries = async (code: string) =>
      rows<{ kind: string; department: string; until: string | null }>(
        `SELECT kind, department, until::text AS until FROM credit.list_entry WHERE subject_code = $1`,
        [code],
      );
    const open = (list: { until: string | null }[]) => list.filter((entry) => entry.until === null);
    const e = summary.examples;
    expect(open(await entries(e.dishonestDebtor))).toContainEqual(expect.objectContaining({ kind: 'BLACK', department: 'COURTS' }));
    expect(open(await entries(e.dishonestPerson))).toContainEqual(expect.objectContaining({ kind: 'BLACK', department: 'COURTS' }));
    expect(open(await entries(e.majorTaxViolation))).toContainEqual(expect.objectContaining({ kind: 'BLACK', department: 'TAX' }));
    expect(open(await entries(e.seriousViolation))).toContainEqual(expect.objectContaining({ kind: 'BLACK', department: 'MARKET' }));
    expect(open(await entries(e.environmentalBlack))).toContainEqual(expect.objectContaining({ kind: 'BLACK', department: 'ENVIRONMENT' }));
    expect(open(await entries(e.abnormalOperations))).toContainEqual(expect.objectContaining({ kind: 'KEY_ATTENTION', department: 'MARKET' }));
    expect(open(await entries(e.redList))).toEqual([expect.objectContaining({ kind: 'RED', department: 'TAX' })]);
    expect(await entries(e.clean)).toEqual([]);
    const former = await entries(e.formerlyListed);
    expect(former.length).toBeGreaterThan(0);
    expect(open(former)).toEqual([]);
  });

  it('dates every record before the reference date', async () => {
    const [latest] = await rows<{ day: string }>(
      `SELECT greatest((SELECT max(listed_on) FROM courts.dishonest_debtor), (SELECT max(decided_on) FROM market.administrative_penalty),
                       (SELECT max(published_on) FROM market.administrative_penalty), (SELECT max(announced_on) FROM tax.tax_arrears_notice),
                       (SELECT max(since) FROM credit.list_entry))::text AS day`,
    );
    expect(latest!.day < REFERENCE_DATE).toBe(true);
  });

  it('refuses to seed over existing data, naming the database, and leaves it as it was', async () => {
    await expect(seed({ subjects: SUBJECTS, seed: 6, env: env(), progress: false })).rejects.toThrow(
      /the market database \(schema market of postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/cg_seed_[0-9a-f]+\) already holds data .*--reset/,
    );
    const [count] = await rows<{ n: number }>('SELECT count(*)::int AS n FROM market.registration');
    expect(count!.n).toBe(summary.rows.market!.registrations);
  });

  it('replaces the data on --reset, and the same seed gives the same data', async () => {
    const before = await rows('SELECT subject_code, kind, department, source_record, since::text, until::text FROM credit.list_entry ORDER BY source_record, kind');
    const again = await seed({ subjects: SUBJECTS, seed: 5, env: env(), referenceDate: REFERENCE_DATE, reset: true, progress: false });
    expect(again.rows).toEqual(summary.rows);
    expect(again.examples).toEqual(summary.examples);
    const after = await rows('SELECT subject_code, kind, department, source_record, since::text, until::text FROM credit.list_entry ORDER BY source_record, kind');
    expect(after).toEqual(before);
  }, 60_000);
});

describe('npm run seed', () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'scripts', 'seed.ts'), ...args], {
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    });

  it.each([
    [['--subjects', 'many'], /--subjects takes a whole number of at least 18, got 'many'/],
    [['--subjects', '5'], /--subjects takes a whole number of at least 18, got '5'/],
    [['--subjects', '100', '--seed=-1'], /--seed takes a whole number of at least 0/],
    [['--subjets', '100'], /Unknown option '--subjets'/],
  ])('refuses %j with a message that says what is wrong', async (args, message) => {
    const failure = cli(args);
    await expect(failure).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(message) });
  });
});
