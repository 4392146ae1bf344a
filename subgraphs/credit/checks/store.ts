/**
 * Credit checks in the credit office's database: recorded when requested,
 * decided once the departments' records arrive. Every function handles a
 * whole batch (a 1,000-bidder check) in one statement.
 */
import crypto from 'node:crypto';
import type { Database, Queryable } from '../../../lib/db';
import type { Department, Scenario } from '../vocabulary';
import type { Decision, Verdict } from './decide';

export interface CheckRow {
  checkId: string;
  code: string;
  scenario: Scenario;
  requestedAt: string;
  decidedAt: string | null;
  verdict: Verdict | null;
  missingSources: Department[];
  catalogueVersion: number | null;
}

const CHECK_COLUMNS = `check_id::text AS "checkId", subject_code AS code, scenario, requested_at AS "requestedAt", decided_at AS "decidedAt",
  verdict, missing_sources AS "missingSources", catalogue_version AS "catalogueVersion"`;

/** Records one check per code (same order), each with a new checkId. */
export async function recordRequestedChecks(q: Queryable, codes: readonly string[], scenario: Scenario): Promise<CheckRow[]> {
  const rows = codes.map((code) => ({ check_id: crypto.randomUUID(), subject_code: code }));
  const inserted = await q.query<CheckRow>(
    `INSERT INTO credit_check (check_id, subject_code, scenario)
     SELECT r.check_id, r.subject_code, $2 FROM jsonb_to_recordset($1::jsonb) AS r(check_id uuid, subject_code text)
     RETURNING ${CHECK_COLUMNS}`,
    [JSON.stringify(rows), scenario],
  );
  const byId = new Map(inserted.map((row) => [row.checkId, row]));
  return rows.map((row) => normalise(byId.get(row.check_id)!));
}

export async function checksById(q: Queryable, checkIds: readonly string[]): Promise<Map<string, CheckRow>> {
  const rows = await q.query<CheckRow>(`SELECT ${CHECK_COLUMNS} FROM credit_check WHERE check_id::text = ANY($1::text[])`, [checkIds]);
  return new Map(rows.map((row) => [row.checkId, normalise(row)]));
}

export interface DecidedCheck {
  checkId: string;
  decision: Decision;
  catalogueVersion: number;
}

/**
 * Stores the decisions of a batch: verdicts in one UPDATE, applied measures in
 * one INSERT, in one transaction. A check already decided keeps its first
 * decision (the gateway can ask for a check's verdict twice in one request);
 * returns the decision time per check.
 */
export async function saveDecisions(db: Database, decided: readonly DecidedCheck[]): Promise<Map<string, string>> {
  return db.transaction(async (tx) => {
    const updated = await tx.query<{ checkId: string; decidedAt: string }>(
      `UPDATE credit_check c SET verdict = d.verdict, missing_sources = d.missing_sources, catalogue_version = d.catalogue_version, decided_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS d(check_id uuid, verdict text, missing_sources text[], catalogue_version int)
        WHERE c.check_id = d.check_id AND c.decided_at IS NULL
        RETURNING c.check_id::text AS "checkId", c.decided_at AS "decidedAt"`,
      [
        JSON.stringify(
          decided.map((d) => ({
            check_id: d.checkId,
            verdict: d.decision.verdict,
            missing_sources: d.decision.missingSources,
            catalogue_version: d.catalogueVersion,
          })),
        ),
      ],
    );
    const fresh = new Set(updated.map((row) => row.checkId));
    const measures = decided
      .filter((d) => fresh.has(d.checkId))
      .flatMap((d) =>
        d.decision.measures.map((m) => ({
          check_id: d.checkId,
          measure_code: m.measure.code,
          trigger: m.trigger,
          initiating_department: m.initiatingDepartment,
          record_id: m.recordId,
          record_subject_code: m.recordSubjectCode,
          until: m.until,
          suspended: m.suspended,
        })),
      );
    if (measures.length > 0) {
      await tx.query(
        `INSERT INTO applied_measure (check_id, measure_code, trigger, initiating_department, record_id, record_subject_code, until, suspended)
         SELECT check_id, measure_code, trigger, initiating_department, record_id, record_subject_code, until, suspended
           FROM jsonb_to_recordset($1::jsonb) AS r(check_id uuid, measure_code text, trigger text, initiating_department text,
                                                  record_id text, record_subject_code text, until date, suspended boolean)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(measures)],
      );
    }
    return new Map(updated.map((row) => [row.checkId, toIso(row.decidedAt)]));
  });
}

/** Black-list entries in force of the given entities (the ones a person represents), in one statement. */
export async function blacklistedEntities(
  q: Queryable,
  codes: readonly string[],
  today: string,
): Promise<Map<string, { code: string; department: Department; sourceRecord: string }[]>> {
  const byCode = new Map<string, { code: string; department: Department; sourceRecord: string }[]>();
  if (codes.length === 0) return byCode;
  const rows = await q.query<{ code: string; department: Department; sourceRecord: string }>(
    `SELECT subject_code AS code, department, source_record AS "sourceRecord" FROM list_entry
      WHERE subject_code = ANY($1::text[]) AND kind = 'BLACK' AND since <= $2::date AND (until IS NULL OR until > $2::date)
      ORDER BY subject_code, id`,
    [codes, today],
  );
  for (const row of rows) {
    const list = byCode.get(row.code) ?? [];
    list.push(row);
    byCode.set(row.code, list);
  }
  return byCode;
}

function normalise(row: CheckRow): CheckRow {
  return { ...row, requestedAt: toIso(row.requestedAt), decidedAt: row.decidedAt === null ? null : toIso(row.decidedAt) };
}

/** PGlite answers timestamptz as Date, pg as Date too; the API speaks ISO-8601. */
function toIso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}
