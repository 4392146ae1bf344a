/**
 * Credit checks in the credit office's database: recorded once decided, from
 * the departments' records. Every function handles a whole batch (a
 * 1,000-bidder check) in one statement.
 */
import type { Database, Queryable } from '../../../lib/db';
import type { Department, Scenario } from '../vocabulary';
import type { CheckListEntry, Decision, Verdict } from './decide';
import type { ForwardedIdentity } from '../../../lib/auth/identity-header';
import { parseCheckId } from '../workflows/feedback';

export interface CheckRow {
  checkId: string;
  code: string;
  scenario: Scenario;
  requestedAt: string;
  decidedAt: string | null;
  verdict: Verdict | null;
  missingSources: Department[];
  catalogueVersion: number | null;
  /** The client that asked (null for an unauthenticated caller), its role and the purpose it gave. */
  requestedBy: string | null;
  requesterRole: string | null;
  purpose: string | null;
  /** Whether anyone knew the subject when it was decided; null: unknown (a department did not answer), or a check recorded undecided before every check was decided. */
  registered: boolean | null;
}

const CHECK_COLUMNS = `check_id::text AS "checkId", subject_code AS code, scenario, requested_at AS "requestedAt", decided_at AS "decidedAt",
  verdict, missing_sources AS "missingSources", catalogue_version AS "catalogueVersion", requested_by AS "requestedBy",
  requester_role AS "requesterRole", purpose, registered`;

/** The checks of these ids (an id that is no UUID names none), read by the primary key. */
export async function checksById(q: Queryable, checkIds: readonly string[]): Promise<Map<string, CheckRow>> {
  // Compared as uuid, not as text: `check_id::text = ANY(...)` could not use the key's index and read the whole table.
  const ids = checkIds.flatMap((id) => parseCheckId(id) ?? []);
  if (ids.length === 0) return new Map();
  const rows = await q.query<CheckRow>(`SELECT ${CHECK_COLUMNS} FROM credit_check WHERE check_id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((row) => [row.checkId, normalise(row)]));
}

export interface DecidedCheck {
  checkId: string;
  code: string;
  scenario: Scenario;
  decision: Decision;
  catalogueVersion: number;
}

/**
 * Records a batch of decided checks — who asked and why, the verdict, and one
 * row per record that applies a measure — in one transaction: a check is
 * recorded decided or not at all. A check id recorded already (handed back
 * twice) keeps its first record and is left out of the answer, which maps
 * each check recorded now to its row.
 */
export async function recordDecidedChecks(
  db: Database,
  decided: readonly DecidedCheck[],
  caller: Pick<ForwardedIdentity, 'clientId' | 'role' | 'purpose'>,
): Promise<Map<string, CheckRow>> {
  return db.transaction(async (tx) => {
    const inserted = await tx.query<CheckRow>(
      `INSERT INTO credit_check (check_id, subject_code, scenario, requested_by, requester_role, purpose,
                                 verdict, missing_sources, catalogue_version, registered, decided_at)
       SELECT d.check_id, d.subject_code, d.scenario, $2, $3, $4, d.verdict, d.missing_sources, d.catalogue_version, d.registered, now()
         FROM jsonb_to_recordset($1::jsonb) AS d(check_id uuid, subject_code text, scenario text, verdict text, missing_sources text[],
                                                catalogue_version int, registered boolean)
       ON CONFLICT (check_id) DO NOTHING
       RETURNING ${CHECK_COLUMNS}`,
      [
        JSON.stringify(
          decided.map((d) => ({
            check_id: d.checkId,
            subject_code: d.code,
            scenario: d.scenario,
            verdict: d.decision.verdict,
            missing_sources: d.decision.missingSources,
            catalogue_version: d.catalogueVersion,
            registered: d.decision.registered,
          })),
        ),
        caller.clientId,
        caller.role,
        caller.purpose,
      ],
    );
    const fresh = new Map(inserted.map((row) => [row.checkId, normalise(row)]));
    const measures = decided
      .filter((d) => fresh.has(d.checkId))
      // One row per record that applies a measure; a measure's rows read back as one measure (checkMeasures).
      .flatMap((d) =>
        d.decision.measures.flatMap((m) =>
          m.triggers.map((t) => ({
            check_id: d.checkId,
            measure_code: m.measure.code,
            trigger: t.trigger,
            initiating_department: t.initiatingDepartment,
            record_id: t.recordId,
            record_subject_code: t.recordSubjectCode,
            until: t.until,
            suspended: t.suspended,
          })),
        ),
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
    return fresh;
  });
}

/** Every list entry (current and ended) of each code, in one statement; codes without one are absent. */
export async function listEntriesOf(q: Queryable, codes: readonly string[]): Promise<Map<string, CheckListEntry[]>> {
  const byCode = new Map<string, CheckListEntry[]>();
  if (codes.length === 0) return byCode;
  const rows = await q.query<CheckListEntry>(
    `SELECT subject_code AS code, kind, department, source_record AS "sourceRecord", since::text AS since, until::text AS until
       FROM list_entry WHERE subject_code = ANY($1::text[]) ORDER BY subject_code, since, id`,
    [codes],
  );
  for (const row of rows) {
    const list = byCode.get(row.code);
    if (list) list.push(row);
    else byCode.set(row.code, [row]);
  }
  return byCode;
}

/** The codes the credit office itself holds a record of (a list entry, commitment, objection or repair), in one statement. */
export async function knownToCreditOffice(q: Queryable, codes: readonly string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await q.query<{ code: string }>(
    `SELECT c.code FROM unnest($1::text[]) AS c(code)
      WHERE EXISTS (SELECT 1 FROM list_entry e WHERE e.subject_code = c.code)
         OR EXISTS (SELECT 1 FROM credit_commitment m WHERE m.subject_code = c.code)
         OR EXISTS (SELECT 1 FROM objection o WHERE o.subject_code = c.code)
         OR EXISTS (SELECT 1 FROM repair_application a WHERE a.subject_code = c.code)`,
    [codes],
  );
  return new Set(rows.map((row) => row.code));
}

function normalise(row: CheckRow): CheckRow {
  return { ...row, requestedAt: toIso(row.requestedAt), decidedAt: row.decidedAt === null ? null : toIso(row.decidedAt) };
}

/** pg answers timestamptz as Date; the API speaks ISO-8601. */
function toIso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}
