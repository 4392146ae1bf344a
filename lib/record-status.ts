/**
 * What the credit office's decisions mean for a department's own disclosure
 * (DESIGN.md «Decisions»: "Disclosure follows decisions"), kept by each
 * department next to its records (table record_status, one migration per
 * department):
 *
 *   DISPUTED         an objection to the record is being verified: the record
 *                    stays published with a dispute mark (柴桑 (二十一):
 *                    "作出存在异议的标注") — since when, verified by when;
 *   DISPUTE_CLEARED  the objection was rejected: the mark goes;
 *   WITHDRAWN        revoked or corrected after an upheld objection, or
 *                    repaired (柴桑 (二十): publication ends once repaired):
 *                    the record leaves public disclosure at once; callers
 *                    with `records` still see it, with the withdrawal (why,
 *                    when, the credit office's objection or repair).
 *
 * The credit office sends these (subgraphs/credit/departments.ts) on its
 * internal endpoint, signed as the gateway signs (IDENTITY_SIGNING_KEY, role
 * GATEWAY): no client reaches it. It sends each after its decision committed
 * and again until the department took it (subgraphs/credit/workflows/
 * record-status-outbox.ts), so each change is idempotent. A department never
 * imports the credit office's code: this module is the shared part.
 */
import DataLoader from 'dataloader';
import type { FastifyInstance } from 'fastify';
import type { Database, Queryable } from './db';
import type { ForwardedIdentity } from './auth/identity-header';
import { signedCallers } from './signed-requests';
import { isCalendarDate } from './clock';
import { seesAllRecords } from './disclosure';

export const RECORD_STATUS_PATH = '/internal/record-status';

export const WITHDRAWALS = ['REVOKED', 'CORRECTED', 'REPAIRED'] as const;
export type Withdrawal = (typeof WITHDRAWALS)[number];

/** `subjectCode`: the subject the department holds the record under. */
export type RecordStatusChange =
  | { recordId: string; subjectCode: string; change: 'DISPUTED'; on: string; verifyBy: string; reference: string }
  | { recordId: string; subjectCode: string; change: 'DISPUTE_CLEARED'; on: string; reference: string }
  | { recordId: string; subjectCode: string; change: 'WITHDRAWN'; on: string; withdrawal: Withdrawal; reference: string };

export interface RecordDispute {
  since: string;
  verifyBy: string;
  reference: string;
}

export interface RecordWithdrawal {
  reason: Withdrawal;
  on: string;
  reference: string;
}

export interface RecordStatus {
  recordId: string;
  dispute: RecordDispute | null;
  withdrawal: RecordWithdrawal | null;
}

/**
 * Applies one change (idempotent). A withdrawn record stays withdrawn: it is
 * never marked disputed again (it left public disclosure; the credit office
 * refuses objections to it), whatever order changes arrive in.
 */
export async function applyRecordStatus(db: Queryable, change: RecordStatusChange): Promise<void> {
  switch (change.change) {
    case 'DISPUTED':
      await db.query(
        `INSERT INTO record_status (record_id, disputed_since, dispute_verify_by, dispute_reference, subject_code) VALUES ($1, $2::date, $3::date, $4, $5)
         ON CONFLICT (record_id) DO UPDATE SET disputed_since = EXCLUDED.disputed_since, dispute_verify_by = EXCLUDED.dispute_verify_by,
                                               dispute_reference = EXCLUDED.dispute_reference, updated_at = now()
           WHERE record_status.withdrawn_on IS NULL`,
        [change.recordId, change.on, change.verifyBy, change.reference, change.subjectCode],
      );
      return;
    case 'DISPUTE_CLEARED':
      await db.query(
        `UPDATE record_status SET disputed_since = NULL, dispute_verify_by = NULL, dispute_reference = NULL, updated_at = now()
          WHERE record_id = $1 AND dispute_reference = $2`,
        [change.recordId, change.reference],
      );
      return;
    case 'WITHDRAWN':
      await db.query(
        `INSERT INTO record_status (record_id, withdrawn_on, withdrawal, withdrawal_reference, subject_code) VALUES ($1, $2::date, $3, $4, $5)
         ON CONFLICT (record_id) DO UPDATE SET withdrawn_on = COALESCE(record_status.withdrawn_on, EXCLUDED.withdrawn_on),
                                               withdrawal = COALESCE(record_status.withdrawal, EXCLUDED.withdrawal),
                                               withdrawal_reference = COALESCE(record_status.withdrawal_reference, EXCLUDED.withdrawal_reference),
                                               disputed_since = NULL, dispute_verify_by = NULL, dispute_reference = NULL, updated_at = now()`,
        [change.recordId, change.on, change.withdrawal, change.reference, change.subjectCode],
      );
  }
}

/** A change as the endpoint accepts it, or null. */
function parseChange(body: unknown): RecordStatusChange | null {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b.recordId !== 'string' || b.recordId.length === 0 || b.recordId.length > 500) return null;
  if (typeof b.subjectCode !== 'string' || b.subjectCode.length !== 18) return null;
  if (typeof b.on !== 'string' || !isCalendarDate(b.on) || typeof b.reference !== 'string' || b.reference.length > 200) return null;
  const base = { recordId: b.recordId, subjectCode: b.subjectCode, on: b.on, reference: b.reference };
  if (b.change === 'DISPUTED' && typeof b.verifyBy === 'string' && isCalendarDate(b.verifyBy)) return { ...base, change: 'DISPUTED', verifyBy: b.verifyBy };
  if (b.change === 'DISPUTE_CLEARED') return { ...base, change: 'DISPUTE_CLEARED' };
  if (b.change === 'WITHDRAWN' && (WITHDRAWALS as readonly unknown[]).includes(b.withdrawal)) return { ...base, change: 'WITHDRAWN', withdrawal: b.withdrawal as Withdrawal };
  return null;
}

/** The internal endpoint the credit office sends changes to; without a signing key nothing is served. */
export function recordStatusRoutes(signingKey: string | undefined, audience: string): (app: FastifyInstance, db: Database) => Promise<void> {
  return async (app, db) => {
    if (!signingKey) return;
    // Signed by the credit office as the gateway signs itself, for this department and this very change.
    const callers = signedCallers({ key: signingKey, audience, gatewayOnly: true, refuse: (_request, reply, reason) => reply.code(401).send({ error: 'CALLER_REFUSED', reason }) });
    app.post<{ Body: unknown }>(RECORD_STATUS_PATH, { bodyLimit: 8 * 1024, onRequest: callers.onRequest, preHandler: callers.preHandler }, async (request, reply) => {
      const change = parseChange(request.body);
      if (!change) return reply.code(400).send({ error: 'BAD_REQUEST', message: 'expected { recordId, change: DISPUTED | DISPUTE_CLEARED | WITHDRAWN, on, reference, verifyBy | withdrawal }' });
      await applyRecordStatus(db, change);
      return reply.code(200).send({ applied: change.change });
    });
  };
}

/** Every status of each subject, keyed by record id: one statement for a request's subjects. */
function statusLoader(db: Queryable): DataLoader<string, Map<string, RecordStatus>> {
  return new DataLoader(async (codes) => {
    const rows = await db.query<{ subject_code: string; record_id: string; disputed_since: string | null; dispute_verify_by: string | null; dispute_reference: string | null; withdrawn_on: string | null; withdrawal: Withdrawal | null; withdrawal_reference: string | null }>(
      `SELECT subject_code, record_id, disputed_since::text AS disputed_since, dispute_verify_by::text AS dispute_verify_by, dispute_reference,
              withdrawn_on::text AS withdrawn_on, withdrawal, withdrawal_reference
         FROM record_status WHERE subject_code = ANY($1::text[])`,
      [codes],
    );
    const bySubject = new Map<string, Map<string, RecordStatus>>();
    for (const r of rows) {
      const statuses = bySubject.get(r.subject_code) ?? new Map<string, RecordStatus>();
      statuses.set(r.record_id, {
        recordId: r.record_id,
        dispute: r.disputed_since && r.dispute_verify_by ? { since: r.disputed_since, verifyBy: r.dispute_verify_by, reference: r.dispute_reference ?? '' } : null,
        withdrawal: r.withdrawn_on && r.withdrawal ? { reason: r.withdrawal, on: r.withdrawn_on, reference: r.withdrawal_reference ?? '' } : null,
      });
      bySubject.set(r.subject_code, statuses);
    }
    return codes.map((code) => bySubject.get(code) ?? new Map());
  });
}

const loaders = new WeakMap<object, DataLoader<string, Map<string, RecordStatus>>>();

/** One loader per request (the context object), so every profile field of every subject costs one statement. */
function loaderFor(context: { db: Queryable }): DataLoader<string, Map<string, RecordStatus>> {
  let loader = loaders.get(context);
  if (!loader) {
    loader = statusLoader(context.db);
    loaders.set(context, loader);
  }
  return loader;
}

/** The credit office's decisions about the subject's records, by record id. */
export function statusesOf(context: { db: Queryable }, subjectCode: string): Promise<Map<string, RecordStatus>> {
  return loaderFor(context).load(subjectCode);
}

/**
 * A withdrawn record's publication ended the day it was withdrawn (柴桑 (二十): publication ends once
 * repaired), whatever period it was published for: the row says so to the callers who still see it
 * (found by a black-box review: a repaired penalty showed its original end beside its withdrawal).
 */
function publicationEndedBy(row: object, withdrawal: RecordWithdrawal | null): { publicationEndsOn?: string } {
  if (!withdrawal || !('publicationEndsOn' in row)) return {};
  const ends = (row as { publicationEndsOn: string | null }).publicationEndsOn;
  return ends !== null && ends <= withdrawal.on ? {} : { publicationEndsOn: withdrawal.on };
}

/**
 * A profile field's rows as the caller may see them after the credit
 * office's decisions (`statuses`: statusesOf the subject, asked for in the
 * same tick as the rows so a request's subjects cost one statement): each
 * row carries its `dispute` mark and `withdrawal`; a withdrawn row is left
 * out for callers without `records`.
 */
export function withRecordStatus<R extends object>(
  caller: Pick<ForwardedIdentity, 'scopes'>,
  rows: readonly R[],
  byId: ReadonlyMap<string, RecordStatus>,
): (R & { dispute: RecordDispute | null; withdrawal: RecordWithdrawal | null })[] {
  const all = seesAllRecords(caller);
  return rows
    .map((row) => {
      const status = byId.get((row as { recordId?: string }).recordId ?? '');
      const withdrawal = status?.withdrawal ?? null;
      return { ...row, ...publicationEndedBy(row, withdrawal), dispute: status?.dispute ?? null, withdrawal };
    })
    .filter((row) => all || row.withdrawal === null);
}
