/**
 * Migration 019 on a credit office database that holds what issue 17's second review found: the same
 * department's contradictory feedback on one measure of a case, and the credit office's feedback in a
 * department's name. The earliest of each (case, measure, department) stands, and no second one can be stored.
 */
import { openDatabase, type Database } from '../../lib/db';
import { migrate, migrationsDirOf, readMigrations } from '../../lib/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

describe('migration 019: one feedback per (case, measure, department)', () => {
  let database: TestDatabase;
  let db: Database;
  const migrations = readMigrations(migrationsDirOf('credit'));

  beforeAll(async () => {
    database = await createTestDatabase('migration_019');
    db = await openDatabase({ schema: 'credit', url: database.url });
    await migrate(db, migrations.filter((m) => m.version < 19));
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('keeps the earliest feedback of a department on a measure, counts the credit office\'s in MARKET\'s name as MARKET\'s, and refuses another', async () => {
    const [jointCase] = await db.query<{ id: string }>(
      `INSERT INTO joint_case (idempotency_key, request_fingerprint, subject_code, initiating_department, trigger, record_id)
       VALUES ('k', 'f', '91350100M000100Y43', 'MARKET', 'ABNORMAL_OPERATIONS', 'abnormal_operations_entry/91350100M000100Y43/2026-01-05') RETURNING id::text AS id`,
    );
    const feedback = (key: string, measure: string, department: string, reporting: string, action: string) =>
      db.query(
        `INSERT INTO feedback (idempotency_key, request_fingerprint, joint_case_id, measure_code, department, action, note, reporting_department)
         VALUES ($1, 'f', $2::bigint, $3, $4, $5, CASE WHEN $5 = 'APPLIED' THEN NULL ELSE '未实施' END, $6)`,
        [key, jointCase!.id, measure, department, action, reporting],
      );
    await feedback('1', 'M1', 'MARKET', 'MARKET', 'APPLIED');
    await feedback('2', 'M1', 'MARKET', 'MARKET', 'APPLIED');
    await feedback('3', 'M1', 'MARKET', 'MARKET', 'NOT_APPLIED');
    await feedback('4', 'M2', '市市场监管局', 'CREDIT_OFFICE', 'NOT_APPLIED');
    await feedback('5', 'M2', 'MARKET', 'MARKET', 'APPLIED');
    await feedback('6', 'M2', '市财政局', 'CREDIT_OFFICE', 'APPLIED');
    await migrate(db, migrations);
    const rows = await db.query('SELECT idempotency_key AS key, measure_code AS measure, department, reporting_department AS reporting, action FROM feedback ORDER BY id');
    expect(rows).toEqual([
      { key: '1', measure: 'M1', department: 'MARKET', reporting: 'MARKET', action: 'APPLIED' },
      { key: '4', measure: 'M2', department: 'MARKET', reporting: 'MARKET', action: 'NOT_APPLIED' },
      { key: '6', measure: 'M2', department: '市财政局', reporting: 'CREDIT_OFFICE', action: 'APPLIED' },
    ]);
    await expect(feedback('7', 'M1', 'MARKET', 'MARKET', 'NOT_APPLIED')).rejects.toThrow(/feedback_once_per_case/);
  });
});
