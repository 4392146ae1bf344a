/**
 * What the workflows say about records and subjects, for the credit-check
 * engine. Each function answers a whole batch (a bidding round of 1,000
 * subjects) with one SQL statement, and none for an empty batch.
 */
import { suspendsPunishments } from '../policy';
import type { Queryable } from '../../../lib/db';
import { recordKey, type Department, type RecordRef } from '../vocabulary';

/** The refs as two parallel arrays, for `unnest($1::text[], $2::text[])`. */
function refColumns(refs: RecordRef[]): [string[], string[]] {
  return [refs.map((ref) => ref.department), refs.map((ref) => ref.recordId)];
}

const keys = (rows: { department: string; record_id: string }[]) =>
  new Set(rows.map((row) => recordKey({ department: row.department as Department, recordId: row.record_id })));

/** A record's dispute as the public sees it: since the objection was filed, until the day it is verified by. */
export interface Dispute {
  since: string;
  verifyBy: string;
}

/**
 * The refs disputed now, by recordKey, with their dispute: an objection to the
 * record is OPEN and suspends its punishments (policy/objection.ts
 * suspendsPunishments: not once the department rejected an earlier one). A
 * disputed record stays visible, marked, but the punishment measures it
 * triggers are suspended until it is verified. The one answer for the checks
 * and for the public mark, so a record and its list entry never disagree.
 */
export async function disputes(q: Queryable, refs: RecordRef[]): Promise<Map<string, Dispute>> {
  if (refs.length === 0) return new Map();
  const rows = await q.query<{ department: string; record_id: string; earlier: string[]; since: string; verify_by: string }>(
    `SELECT o.department, o.record_id, (o.filed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS since, o.verify_by::text AS verify_by,
            ARRAY(SELECT e.status FROM objection e WHERE e.department = o.department AND e.record_id = o.record_id AND e.status <> 'OPEN') AS earlier
       FROM (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS r(department, record_id)) r
       JOIN objection o ON o.department = r.department AND o.record_id = r.record_id
      WHERE o.status = 'OPEN'`,
    refColumns(refs),
  );
  return new Map(
    rows
      .filter((row) => suspendsPunishments(row.earlier))
      .map((row) => [recordKey({ department: row.department as Department, recordId: row.record_id }), { since: row.since, verifyBy: row.verify_by }]),
  );
}

/** recordKey of the refs disputed now (`disputes`). */
export async function disputedRecords(q: Queryable, refs: RecordRef[]): Promise<Set<string>> {
  return new Set((await disputes(q, refs)).keys());
}

/**
 * What the workflows decided about each ref, in one statement: `inactive`
 * triggers nothing any more (an objection UPHELD, corrected or revoked, or
 * its repair APPROVED); `withdrawn` of those was found wrong (objection
 * UPHELD), so it leaves the subject's history too, where a repaired one stays.
 */
export async function decidedRecords(q: Queryable, refs: RecordRef[]): Promise<{ inactive: Set<string>; withdrawn: Set<string> }> {
  if (refs.length === 0) return { inactive: new Set(), withdrawn: new Set() };
  const rows = await q.query<{ department: string; record_id: string; withdrawn: boolean; repaired: boolean }>(
    `WITH r AS (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS r(department, record_id)),
     d AS (SELECT r.department, r.record_id,
                  EXISTS (SELECT 1 FROM objection o
                           WHERE o.department = r.department AND o.record_id = r.record_id AND o.status = 'UPHELD') AS withdrawn,
                  EXISTS (SELECT 1 FROM repair_application a
                           WHERE a.department = r.department AND a.record_id = r.record_id AND a.status = 'APPROVED') AS repaired
             FROM r)
     SELECT * FROM d WHERE withdrawn OR repaired`,
    refColumns(refs),
  );
  return { inactive: keys(rows), withdrawn: keys(rows.filter((row) => row.withdrawn)) };
}

/** recordKey of the refs that trigger nothing any more (decidedRecords `inactive`). */
export async function inactiveRecords(q: Queryable, refs: RecordRef[]): Promise<Set<string>> {
  return (await decidedRecords(q, refs)).inactive;
}
