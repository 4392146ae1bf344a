/**
 * Objections (异议): a subject disputes a department's record. Filing marks
 * the record disputed at once (the measures it triggers are suspended, see
 * status.ts `disputedRecords`); the providing department verifies within 20
 * calendar days (policy/objection.ts); the objection ends
 *   OPEN → UPHELD   the record was wrong, corrected or revoked: it triggers
 *                   nothing any more and its list entries end today;
 *   OPEN → REJECTED the record stands: the measures resume.
 * Only one objection per record is open at a time.
 */
import type { Database, Queryable } from '../../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../../lib/subgraph';
import { requireSubjectCode } from '../../../lib/errors';
import { todayInChina } from '../../../lib/clock';
import { rowsBySubject } from '../../../lib/loaders';
import type { Department } from '../vocabulary';
import { isOverdue, suspendsPunishments, verifyBy } from '../policy';
import { boundRecord, recordIdOf } from '../records';
import { deliverRecordStatuses, departmentNotified, queueRecordStatus } from './record-status-outbox';
import { clientScope, readableWorkflowRows, requireActsFor, requireReadsWorkflowsOf, workflowDepartmentOf } from '../callers';
import type { ForwardedIdentity } from '../../../lib/auth/identity-header';
import {
  createOnce,
  decodeIdCursor,
  encodeIdCursor,
  endListEntries,
  endWorkflowsOnRecord,
  isoTimestamp,
  lockRecord,
  notFound,
  optionalText,
  parseRowId,
  perRequest,
  refuse,
  requireDepartment,
  requireIdempotencyKey,
  requirePageSize,
  requireRecordId,
  recordLock,
  requireNotWithdrawn,
  requireText,
  sqlFilter,
  uniqueViolation,
} from './common';

export type ObjectionStatus = 'OPEN' | 'UPHELD' | 'REJECTED';
export type ObjectionOutcome = 'UPHELD' | 'REJECTED';
export type RecordCorrection = 'CORRECTED' | 'REVOKED';

export interface Objection {
  id: string;
  subjectCode: string;
  department: Department;
  recordId: string;
  reason: string;
  contact: string | null;
  status: ObjectionStatus;
  filedAt: string;
  verifyBy: string;
  resolvedAt: string | null;
  outcome: ObjectionOutcome | null;
  correction: RecordCorrection | null;
  resolutionNote: string | null;
  /**
   * The subject the department holds the record under: the objecting subject,
   * or the entity it represents. Part of every answer about the objection, so
   * a decision invalidates that subject's cached answers too (lib/invalidation.ts
   * collects the codes of a mutation's result).
   */
  recordSubjectCode: string;
}

export interface FileObjectionInput {
  subjectCode: string;
  department: string;
  recordId: string;
  reason: string;
  contact?: string | null;
  idempotencyKey: string;
}

const OBJECTION_FIELDS = `objection.id::text AS id, subject_code AS "subjectCode", department, record_id AS "recordId", reason, contact, status,
  ${isoTimestamp('filed_at')} AS "filedAt", verify_by::text AS "verifyBy", ${isoTimestamp('resolved_at')} AS "resolvedAt",
  CASE WHEN status = 'OPEN' THEN NULL ELSE status END AS outcome, correction, resolution_note AS "resolutionNote",
  COALESCE(record_subject_code, subject_code) AS "recordSubjectCode"`;

export async function readObjection(q: Queryable, id: string): Promise<Objection | null> {
  const [row] = await q.query<Objection>(`SELECT ${OBJECTION_FIELDS} FROM objection WHERE id = $1::bigint`, [id]);
  return row ?? null;
}


/**
 * Files an objection (idempotent per key) to a record the department holds of
 * the subject (records.ts: RECORD_NOT_FOUND, RECORD_OF_ANOTHER_SUBJECT);
 * refused while another objection to the record is open.
 */
export async function fileObjection(db: Database, input: FileObjectionInput, caller: ForwardedIdentity): Promise<Objection> {
  // A department files only against its own records (e.g. at its own counter); the credit office for any.
  requireActsFor(caller, requireDepartment(input.department), 'fileObjection');
  return createObjection(db, input, clientScope(caller));
}

/** The id of the objection to the record being verified now, if any (one at a time). */
export async function openObjectionOn(q: Queryable, department: string, recordId: string): Promise<string | null> {
  const [open] = await q.query<{ id: string }>(`SELECT id::text AS id FROM objection WHERE department = $1 AND record_id = $2 AND status = 'OPEN'`, [department, recordId]);
  return open?.id ?? null;
}

/**
 * Stores an objection for `client` (the scope of its idempotency key) once
 * its record is bound; `onCreate` runs in the creating transaction (a subject's
 * filing code is spent there, filing-codes.ts).
 */
export async function createObjection(
  db: Database,
  input: FileObjectionInput,
  client: string,
  onCreate?: (tx: Queryable, id: string) => Promise<void>,
): Promise<Objection> {
  const subjectCode = requireSubjectCode(input.subjectCode);
  const payload = {
    subjectCode,
    department: requireDepartment(input.department),
    recordId: recordIdOf(requireRecordId(input.recordId), subjectCode),
    reason: requireText('reason', input.reason),
    contact: optionalText('contact', input.contact, 200),
  };
  const alreadyOpen = (id: string | null) =>
    refuse(
      'INVALID_TRANSITION',
      `record ${payload.department} ${payload.recordId} is already disputed by open objection${id ? ` ${id}` : ''}; one objection per record is verified at a time`,
      { objectionId: id },
    );
  const key = requireIdempotencyKey(input.idempotencyKey);
  // The record must exist at its department and be the subject's (or its represented entity's), now.
  const bound = await boundRecord(db, payload.department, payload.subjectCode, payload.recordId, `fileObjection ${payload.recordId}`);
  try {
    const objection = await createOnce(db, {
      table: 'objection',
      mutation: 'fileObjection',
      key,
      client,
      payload,
      // Objections to one record are filed one at a time, and not while a decision on it is made.
      lock: recordLock(payload.department, payload.recordId),
      read: readObjection,
      async create(tx, requestFingerprint) {
        await requireNotWithdrawn(tx, payload.department, payload.recordId, 'fileObjection');
        const open = await openObjectionOn(tx, payload.department, payload.recordId);
        if (open) throw alreadyOpen(open);
        const [row] = await tx.query<{ id: string }>(
          `INSERT INTO objection (idempotency_key, request_fingerprint, subject_code, department, record_id, reason, contact, verify_by, client_id, record_subject_code)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9, $10) RETURNING id::text AS id`,
          [key, requestFingerprint, payload.subjectCode, payload.department, payload.recordId, payload.reason, payload.contact, verifyBy(todayInChina()), client, bound.ownerCode],
        );
        await onCreate?.(tx, row!.id);
        // The department marks its record disputed at once (柴桑 (二十一)), told once this commits (record-status-outbox.ts).
        // Not a record it already verified: that objection is verified too, but suspends and marks nothing.
        const earlier = await tx.query<{ status: string }>(
          `SELECT status FROM objection WHERE department = $1 AND record_id = $2 AND status <> 'OPEN'`,
          [payload.department, payload.recordId],
        );
        if (suspendsPunishments(earlier.map((o) => o.status))) {
          await queueRecordStatus(tx, payload.department, { recordId: payload.recordId, subjectCode: bound.ownerCode, change: 'DISPUTED', on: todayInChina(), verifyBy: verifyBy(todayInChina()), reference: `objection/${row!.id}` });
        }
        return row!.id;
      },
    });
    // Committed: the department marks its record now (or when it answers again; a retry of this filing sends it too).
    await deliverRecordStatuses(db, [payload.department]);
    return objection;
  } catch (error) {
    // Two objections to one record filed at the same moment: the second loses on the index.
    if (uniqueViolation(error) === 'objection_one_open_idx') throw alreadyOpen(null);
    throw error;
  }
}

export interface VerifyObjectionInput {
  id: string;
  outcome: ObjectionOutcome;
  note: string;
  correction?: RecordCorrection | null;
}

/**
 * Records the department's verification: OPEN → UPHELD (with the correction
 * made; the record's list entries end today) or OPEN → REJECTED. The same
 * verification sent again (a retry: same outcome, correction and note)
 * answers the objection as verified and sends the department what it has
 * not taken yet; any other verification of an objection no longer open is
 * refused and nothing changes.
 */
export async function verifyObjection(db: Database, input: VerifyObjectionInput, caller: ForwardedIdentity): Promise<Objection> {
  const id = parseRowId(input.id);
  if (!id) throw notFound('objection', input.id);
  // The providing department verifies its own record's objection (the department never changes).
  const objection = await readObjection(db, id);
  if (!objection) throw notFound('objection', input.id);
  requireActsFor(caller, objection.department, 'verifyObjection');
  const note = requireText('note', input.note);
  if (input.outcome === 'UPHELD' && !input.correction) {
    throw refuse('INVALID_INPUT', `an upheld objection must say how the record was put right: correction CORRECTED or REVOKED`, {
      field: 'correction',
    });
  }
  if (input.outcome === 'REJECTED' && input.correction) {
    throw refuse('INVALID_INPUT', `a rejected objection leaves the record as it is: give no correction`, { field: 'correction' });
  }
  const today = todayInChina();
  await db.transaction(async (tx) => {
    await lockRecord(tx, objection.department, objection.recordId);
    const [updated] = await tx.query<{ department: string; record_id: string; record_subject_code: string }>(
      `UPDATE objection SET status = $2, correction = $3, resolution_note = $4, resolved_at = now()
        WHERE id = $1::bigint AND status = 'OPEN'
        RETURNING department, record_id, COALESCE(record_subject_code, subject_code) AS record_subject_code`,
      [id, input.outcome, input.correction ?? null, note],
    );
    if (!updated) {
      const current = await readObjection(tx, id);
      if (!current) throw notFound('objection', input.id);
      if (current.outcome === input.outcome && current.correction === (input.correction ?? null) && current.resolutionNote === note) return;
      throw refuse('INVALID_TRANSITION', `objection ${id} is ${current.status}, not OPEN: it was already verified`, {
        status: current.status,
      });
    }
    const department = updated.department as Department;
    const reference = `objection/${id}`;
    // The department is told once this commits (record-status-outbox.ts): never a decision the credit office did not make.
    if (input.outcome === 'UPHELD') {
      // Revoked or corrected: withdrawn from public disclosure everywhere, the lists and the department's own.
      await endListEntries(tx, department, updated.record_id, today, { reason: input.correction!, reference });
      // Its open rectification orders and joint cases end with it (common.ts endWorkflowsOnRecord).
      await endWorkflowsOnRecord(tx, department, updated.record_id, today, { reason: input.correction!, reference });
      await queueRecordStatus(tx, department, { recordId: updated.record_id, subjectCode: updated.record_subject_code, change: 'WITHDRAWN', on: today, withdrawal: input.correction!, reference });
    } else {
      await queueRecordStatus(tx, department, { recordId: updated.record_id, subjectCode: updated.record_subject_code, change: 'DISPUTE_CLEARED', on: today, reference });
    }
  });
  await deliverRecordStatuses(db, [objection.department]);
  return (await readObjection(db, id))!;
}

export interface ObjectionFilter {
  status?: ObjectionStatus | null;
  department?: Department | null;
  overdue?: boolean | null;
}

/** One page of objections in the order they were filed, filtered; `limit` rows after the id `after`. */
export async function listObjections(
  q: Queryable,
  filter: ObjectionFilter,
  today: string,
  limit: number,
  after: string | null,
): Promise<Objection[]> {
  const { params, conditions, param, where } = sqlFilter([limit]);
  if (filter.status) conditions.push(`status = ${param(filter.status)}`);
  if (filter.department) conditions.push(`department = ${param(filter.department)}`);
  if (filter.overdue === true) conditions.push(`(status = 'OPEN' AND verify_by < ${param(today)}::date)`);
  if (filter.overdue === false) conditions.push(`NOT (status = 'OPEN' AND verify_by < ${param(today)}::date)`);
  if (after) conditions.push(`objection.id > ${param(after)}::bigint`);
  return q.query<Objection>(
    `SELECT ${OBJECTION_FIELDS} FROM objection ${where()}
      ORDER BY objection.id LIMIT $1`,
    params,
  );
}

const objectionsOfSubject = perRequest((db) =>
  rowsBySubject<Objection>(
    db,
    `SELECT subject_code, ${OBJECTION_FIELDS} FROM objection WHERE subject_code = ANY($1::text[]) ORDER BY objection.id`,
  ),
);

type Context = SubgraphContext<unknown>;

export const objectionResolvers: ResolverMap = {
  Query: {
    // A department reads the objections to its own records; the credit office every one (callers.ts).
    objection: async (_root: unknown, args: { id: string }, context: Context) => {
      const id = parseRowId(args.id);
      const objection = id ? await readObjection(context.db, id) : null;
      if (objection) requireReadsWorkflowsOf(context.caller, objection.department, 'objection');
      return objection;
    },
    objections: async (
      _root: unknown,
      args: ObjectionFilter & { first: number; after?: string | null },
      context: Context,
    ) => {
      requireReadsWorkflowsOf(context.caller, args.department ?? null, 'objections');
      const readable = workflowDepartmentOf(context.caller);
      const filter = { ...args, department: readable === 'ALL' ? args.department : readable };
      const first = requirePageSize(args.first);
      const after = args.after ? decodeIdCursor('objection', args.after, 'objections') : null;
      const rows = await listObjections(context.db, filter, todayInChina(), first + 1, after);
      const nodes = rows.slice(0, first);
      const last = nodes[nodes.length - 1];
      return { nodes, endCursor: last ? encodeIdCursor('objection', last.id) : null, hasNextPage: rows.length > first };
    },
  },
  Mutation: {
    fileObjection: (_root: unknown, args: { input: FileObjectionInput }, context: Context) => fileObjection(context.db, args.input, context.caller),
    verifyObjection: (_root: unknown, args: VerifyObjectionInput, context: Context) => verifyObjection(context.db, args, context.caller),
  },
  Objection: {
    overdue: (objection: Objection) => isOverdue(objection, todayInChina()),
    departmentNotified: (objection: Objection, _args: unknown, context: Context) => departmentNotified(context).load(`objection/${objection.id}`),
  },
  Subject: {
    objections: async (subject: { code: string }, _args: unknown, context: Context) =>
      readableWorkflowRows(context.caller, await objectionsOfSubject(context).load(subject.code)),
  },
};
