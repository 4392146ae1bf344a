/**
 * Credit commitments (信用承诺, 凌源 一(一), 二(一)): a subject applying for a
 * service commits to the conditions it could not yet prove. A reported breach
 * puts it on the black list: a list entry of kind BLACK by the CREDIT_OFFICE
 * standing on the record `credit_commitment/<id>`, for the period of the list
 * rule (policy/lists.ts) from the day the breach is reported. Every
 * punishment has an exit: the entry ends by that period, by an approved
 * repair of the record or an upheld objection to it, and the check follows
 * the entry (checks/decide.ts).
 *
 *   KEPT → BREACHED   (once: a second breach report is refused)
 */
import type { Database, Queryable } from '../../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../../lib/subgraph';
import type { ForwardedIdentity } from '../../../lib/auth/identity-header';
import { callerDepartment, clientScope, isCreditOffice, requireActsFor } from '../callers';
import { departmentRecords } from '../departments';

/** Whether a department's answer holds anything of the subject (a registration, any record). */
const holdsAnyRecord = (records: object): boolean =>
  Object.values(records).some((value) => (Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined));
import { requireSubjectCode } from '../../../lib/errors';
import { todayInChina } from '../../../lib/clock';
import { rowsBySubject } from '../../../lib/loaders';
import { SCENARIOS, type Department, type Scenario } from '../vocabulary';
import { commitmentBreachPeriod } from '../policy';
import {
  createOnce,
  isoTimestamp,
  notFound,
  parseRowId,
  perRequest,
  refuse,
  requireDate,
  requireDepartment,
  requireIdempotencyKey,
  requireText,
} from './common';

export type CommitmentStatus = 'KEPT' | 'BREACHED';

export interface Commitment {
  id: string;
  subjectCode: string;
  scenario: Scenario;
  content: string;
  madeOn: string;
  recordedAt: string;
  status: CommitmentStatus;
  breachedOn: string | null;
  breachReportedBy: Department | null;
  breachNote: string | null;
  /** The department the commitment was made to. */
  madeTo: Department;
}

export interface RecordCommitmentInput {
  /** The department the commitment is made to (whose service it obtains); the caller's own department when omitted. */
  department?: string | null;
  subjectCode: string;
  scenario: string;
  content: string;
  madeOn?: string | null;
  idempotencyKey: string;
}

/** The record a breach's black-list entry stands on. */
export const commitmentRecordId = (id: string) => `credit_commitment/${id}`;

const COMMITMENT_FIELDS = `credit_commitment.id::text AS id, subject_code AS "subjectCode", scenario, content, made_on::text AS "madeOn",
  ${isoTimestamp('recorded_at')} AS "recordedAt", status, breached_on::text AS "breachedOn", breach_department AS "breachReportedBy",
  breach_note AS "breachNote", COALESCE(made_to, 'CREDIT_OFFICE') AS "madeTo"`;

export async function readCommitment(q: Queryable, id: string): Promise<Commitment | null> {
  const [row] = await q.query<Commitment>(`SELECT ${COMMITMENT_FIELDS} FROM credit_commitment WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

/** Records a commitment (idempotent per key), made on `madeOn` or today. */
export async function recordCommitment(
  db: Database,
  input: RecordCommitmentInput,
  caller: ForwardedIdentity,
  today: string = todayInChina(),
): Promise<Commitment> {
  if (!(SCENARIOS as readonly string[]).includes(input.scenario)) {
    throw refuse('INVALID_INPUT', `unknown scenario '${input.scenario}'`, { field: 'scenario' });
  }
  const madeOn = input.madeOn ? requireDate('madeOn', input.madeOn) : null;
  if (madeOn && madeOn > today) throw refuse('INVALID_INPUT', `'madeOn' ${madeOn} is in the future`, { field: 'madeOn' });
  // The payload as given (madeOn absent stays absent), so a retry on a later day is still the same request.
  const payload = {
    subjectCode: requireSubjectCode(input.subjectCode),
    scenario: input.scenario,
    content: requireText('content', input.content),
    madeOn,
    madeTo: input.department ? requireDepartment(input.department) : (callerDepartment(caller) ?? 'CREDIT_OFFICE'),
  };
  // A department records the commitments made to it; the credit office any.
  requireActsFor(caller, payload.madeTo, 'recordCommitment');
  // A department records commitments of subjects it deals with: its breach report black-lists, so a
  // department must not reach a subject it holds nothing of (the credit office records any).
  if (payload.madeTo !== 'CREDIT_OFFICE' && !isCreditOffice(caller)) {
    const records = await departmentRecords(payload.madeTo, payload.subjectCode, `recordCommitment ${payload.subjectCode}`);
    if (!holdsAnyRecord(records)) {
      throw refuse('RECORD_NOT_FOUND', `${payload.madeTo} holds no record of subject ${payload.subjectCode}: a department records the commitments of subjects it deals with`, { field: 'subjectCode' });
    }
  }
  const key = requireIdempotencyKey(input.idempotencyKey);
  const client = clientScope(caller);
  return createOnce(db, {
    table: 'credit_commitment',
    mutation: 'recordCommitment',
    key,
    client,
    payload,
    read: readCommitment,
    async create(tx, requestFingerprint) {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO credit_commitment (idempotency_key, request_fingerprint, subject_code, scenario, content, made_on, made_to, client_id)
         VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8) RETURNING id::text AS id`,
        [key, requestFingerprint, payload.subjectCode, payload.scenario, payload.content, madeOn ?? today, payload.madeTo, client],
      );
      return row!.id;
    },
  });
}

export interface ReportBreachInput {
  id: string;
  department: string;
  note: string;
}

/**
 * Records a breach reported by a department and puts the subject on the
 * black list from today. A commitment is breached once: a second report is
 * refused with INVALID_TRANSITION and changes nothing.
 */
export async function reportCommitmentBreach(db: Database, input: ReportBreachInput, caller: ForwardedIdentity): Promise<Commitment> {
  const id = parseRowId(input.id);
  if (!id) throw notFound('credit commitment', input.id);
  const department = requireDepartment(input.department);
  requireActsFor(caller, department, 'reportCommitmentBreach');
  // The department the commitment was made to reports its breach (or the credit office).
  const commitment = await readCommitment(db, id);
  if (!commitment) throw notFound('credit commitment', input.id);
  requireActsFor(caller, commitment.madeTo, 'reportCommitmentBreach');
  const note = requireText('note', input.note);
  const today = todayInChina();
  await db.transaction(async (tx) => {
    const [updated] = await tx.query<{ subject_code: string }>(
      `UPDATE credit_commitment SET status = 'BREACHED', breached_on = $2::date, breach_department = $3, breach_note = $4
        WHERE id = $1::bigint AND status = 'KEPT'
        RETURNING subject_code`,
      [id, today, department, note],
    );
    if (!updated) {
      const current = await readCommitment(tx, id);
      if (!current) throw notFound('credit commitment', input.id);
      throw refuse('INVALID_TRANSITION', `credit commitment ${id} was already reported breached on ${current.breachedOn}`, {
        status: current.status,
      });
    }
    const period = commitmentBreachPeriod(today);
    await tx.query(
      `INSERT INTO list_entry (subject_code, kind, reason, department, source_record, since, until)
       VALUES ($1, 'BLACK', $2, 'CREDIT_OFFICE', $3, $4::date, $5::date)
       ON CONFLICT (kind, department, source_record) DO NOTHING`,
      [updated.subject_code, `违反信用承诺（breach of a credit commitment）: ${note}`, commitmentRecordId(id), period.since, period.until],
    );
  });
  return (await readCommitment(db, id))!;
}

const commitmentsOfSubject = perRequest((db) =>
  rowsBySubject<Commitment>(
    db,
    `SELECT subject_code, ${COMMITMENT_FIELDS} FROM credit_commitment WHERE subject_code = ANY($1::text[]) ORDER BY credit_commitment.id`,
  ),
);

type Context = SubgraphContext<unknown>;

export const commitmentResolvers: ResolverMap = {
  Query: {
    commitment: async (_root: unknown, args: { id: string }, context: Context) => {
      const id = parseRowId(args.id);
      return id ? readCommitment(context.db, id) : null;
    },
  },
  Mutation: {
    recordCommitment: (_root: unknown, args: { input: RecordCommitmentInput }, context: Context) =>
      recordCommitment(context.db, args.input, context.caller),
    reportCommitmentBreach: (_root: unknown, args: ReportBreachInput, context: Context) => reportCommitmentBreach(context.db, args, context.caller),
  },
  Subject: {
    commitments: (subject: { code: string }, _args: unknown, context: Context) => commitmentsOfSubject(context).load(subject.code),
  },
};
