/**
 * Initiate → respond → feedback (发起 → 响应 → 反馈): a department's
 * determination is opened as a joint case (or reaches an implementing
 * department through a credit check); each implementing department reports
 * back what it did with each measure, against the check or the case, and the
 * platform tracks execution.
 *
 * A feedback submission is idempotent: a retry with the same idempotency key
 * and payload returns the feedback first recorded (never a second row); the
 * same key with another payload is refused.
 */
import type { Database, Queryable } from '../../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../../lib/subgraph';
import { requireSubjectCode } from '../../../lib/errors';
import { DETERMINING_DEPARTMENT, IMPLEMENTER_NAMES, TRIGGERS, TRIGGER_NAMES, type Department, type Trigger } from '../vocabulary';
import type { ForwardedIdentity } from '../../../lib/auth/identity-header';
import { callerDepartment, clientScope, forbidden, isCreditOffice, requireActsFor } from '../callers';
import { boundRecord, recordIdOf } from '../records';
import {
  createOnce,
  isoTimestamp,
  notFound,
  optionalText,
  parseRowId,
  recordLock,
  refuse,
  requireDepartment,
  requireIdempotencyKey,
  requireNotWithdrawn,
  requireRecordId,
  requireText,
} from './common';

// ---------------------------------------------------------------- joint cases

export interface JointCase {
  id: string;
  subjectCode: string;
  initiatingDepartment: Department;
  trigger: Trigger;
  recordId: string;
  createdAt: string;
}

export interface OpenJointCaseInput {
  subjectCode: string;
  initiatingDepartment: string;
  trigger: string;
  recordId: string;
  idempotencyKey: string;
}

const JOINT_CASE_FIELDS = `joint_case.id::text AS id, subject_code AS "subjectCode", initiating_department AS "initiatingDepartment", trigger,
  record_id AS "recordId", ${isoTimestamp('created_at')} AS "createdAt"`;

export async function readJointCase(q: Queryable, id: string): Promise<JointCase | null> {
  const [row] = await q.query<JointCase>(`SELECT ${JOINT_CASE_FIELDS} FROM joint_case WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

/**
 * Opens a joint case for a department's determination (idempotent per key):
 * a record of the subject the department holds (records.ts), in force as the
 * trigger named (RECORD_MISMATCH otherwise).
 */
export async function openJointCase(db: Database, input: OpenJointCaseInput, caller: ForwardedIdentity): Promise<JointCase> {
  if (!(TRIGGER_NAMES as string[]).includes(input.trigger)) {
    throw refuse('INVALID_INPUT', `unknown trigger '${input.trigger}'`, { field: 'trigger' });
  }
  const trigger = input.trigger as Trigger;
  const initiatingDepartment = requireDepartment(input.initiatingDepartment);
  const departments: readonly Department[] = TRIGGERS[trigger].departments;
  if (!departments.includes(initiatingDepartment)) {
    throw refuse('INVALID_INPUT', `a ${trigger} determination is made by ${departments.join(' or ')}, not ${initiatingDepartment}`, {
      field: 'initiatingDepartment',
    });
  }
  const subjectCode = requireSubjectCode(input.subjectCode);
  const payload = {
    subjectCode,
    initiatingDepartment,
    trigger,
    recordId: recordIdOf(requireRecordId(input.recordId), subjectCode),
  };
  const key = requireIdempotencyKey(input.idempotencyKey);
  // The initiating department opens the case for its own determination (or the credit office).
  requireActsFor(caller, initiatingDepartment, 'openJointCase');
  const client = clientScope(caller);
  // The determination is the department's record of the subject, and it is what the case says it is.
  const record = await boundRecord(db, initiatingDepartment, payload.subjectCode, payload.recordId, `openJointCase ${payload.recordId}`);
  if (!record.triggers.includes(trigger)) {
    throw refuse(
      'RECORD_MISMATCH',
      `record '${payload.recordId}' of ${initiatingDepartment} is ${record.triggers.length ? `a ${record.triggers.join(', ')} determination` : 'no determination in force'}, not ${trigger}`,
      { field: 'trigger', recordTriggers: record.triggers },
    );
  }
  return createOnce(db, {
    table: 'joint_case',
    mutation: 'openJointCase',
    key,
    client,
    payload,
    // Not on a record the workflows withdrew (revoked, corrected, repaired), nor while a decision on it is made.
    lock: recordLock(payload.initiatingDepartment, payload.recordId),
    read: readJointCase,
    async create(tx, requestFingerprint) {
      await requireNotWithdrawn(tx, payload.initiatingDepartment, payload.recordId, 'openJointCase');
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO joint_case (idempotency_key, request_fingerprint, subject_code, initiating_department, trigger, record_id, client_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
        [key, requestFingerprint, payload.subjectCode, payload.initiatingDepartment, payload.trigger, payload.recordId, client],
      );
      return row!.id;
    },
  });
}

// ---------------------------------------------------------------- feedback

export type FeedbackAction = 'APPLIED' | 'NOT_APPLIED' | 'PARTIALLY_APPLIED';
const FEEDBACK_ACTIONS: readonly FeedbackAction[] = ['APPLIED', 'NOT_APPLIED', 'PARTIALLY_APPLIED'];

export interface Feedback {
  id: string;
  checkId: string | null;
  jointCaseId: string | null;
  measureCode: string;
  department: string;
  action: FeedbackAction;
  note: string | null;
  submittedAt: string;
}

export interface SubmitFeedbackInput {
  checkId?: string | null;
  jointCaseId?: string | null;
  measureCode: string;
  department: string;
  action: string;
  note?: string | null;
  idempotencyKey: string;
}

const FEEDBACK_FIELDS = `feedback.id::text AS id, check_id::text AS "checkId", joint_case_id::text AS "jointCaseId", measure_code AS "measureCode",
  department, action, note, ${isoTimestamp('submitted_at')} AS "submittedAt"`;

export async function readFeedback(q: Queryable, id: string): Promise<Feedback | null> {
  const [row] = await q.query<Feedback>(`SELECT ${FEEDBACK_FIELDS} FROM feedback WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A check id as credit checks issue them (a UUID), lower case; null if it cannot be one. */
export function parseCheckId(value: string): string | null {
  const id = value.trim().toLowerCase();
  return UUID.test(id) ? id : null;
}

interface MeasureOfTarget {
  code: string;
  /** The department whose determination triggered it. */
  initiating: string;
  /** The catalogue's implementing departments of the measure. */
  implementing: string[];
}

/** Whether `department` implements the measure: the catalogue names it, or names the determining department and it determined. */
function implementsMeasure(department: Department, measure: MeasureOfTarget): boolean {
  const name = IMPLEMENTER_NAMES[department];
  return measure.implementing.some((n) => n.startsWith(name)) || (measure.implementing.includes(DETERMINING_DEPARTMENT) && measure.initiating === department);
}

interface CheckForFeedback {
  requestedBy: string | null;
  measures: MeasureOfTarget[];
}

/** A check's caller and its applied measures with their implementing departments (the catalogue version it was decided with). */
async function checkForFeedback(q: Queryable, checkId: string): Promise<CheckForFeedback | null> {
  const [row] = await q.query<CheckForFeedback>(
    `SELECT c.requested_by AS "requestedBy",
            COALESCE(json_agg(json_build_object('code', m.measure_code, 'initiating', m.initiating_department,
                                                'implementing', COALESCE(cat.implementing_departments, '{}')) ORDER BY m.id)
                     FILTER (WHERE m.id IS NOT NULL), '[]') AS measures
       FROM credit_check c
       LEFT JOIN applied_measure m ON m.check_id = c.check_id
       LEFT JOIN measure cat ON cat.version = c.catalogue_version AND cat.code = m.measure_code
      WHERE c.check_id = $1::uuid
      GROUP BY c.check_id`,
    [checkId],
  );
  return row ?? null;
}

/**
 * Whether the caller may report on (or read the reports on) a check: the
 * client that ran it, or a department (the credit office included) that
 * implements one of its measures — `measureCode` when given.
 */
function mayReportOn(caller: ForwardedIdentity, check: CheckForFeedback, measureCode?: string): boolean {
  if (caller.clientId !== null && caller.clientId === check.requestedBy) return true;
  const department = callerDepartment(caller);
  if (!department) return false;
  return check.measures.some((m) => (measureCode === undefined || m.code === measureCode) && implementsMeasure(department, m));
}

const notYourCheck = (operation: string, checkId: string) =>
  forbidden(operation, 'NOT_YOUR_CHECK', `credit check ${checkId} was run by another client and names no measure your department implements`);

/**
 * Records what an implementing department did with a measure, against a
 * credit check or a joint case (DESIGN.md «Decisions»: "feedback comes from
 * whoever ran the check or was asked to implement it"):
 *   a check: it exists and applied the measure (MEASURE_NOT_APPLIED
 *            otherwise, also for a check that applied none); the caller ran
 *            it, or its department implements that measure (NOT_YOUR_CHECK);
 *   a case:  it exists and the measure is one its trigger applies in the
 *            latest catalogue; the caller's department implements it or is
 *            the credit office.
 */
export async function submitFeedback(db: Database, input: SubmitFeedbackInput, caller: ForwardedIdentity): Promise<Feedback> {
  const hasCheck = input.checkId !== null && input.checkId !== undefined;
  const hasCase = input.jointCaseId !== null && input.jointCaseId !== undefined;
  if (hasCheck === hasCase) {
    throw refuse('INVALID_INPUT', `feedback refers to exactly one of 'checkId' and 'jointCaseId'`, { field: hasCheck ? 'jointCaseId' : 'checkId' });
  }
  const action = input.action as FeedbackAction;
  if (!FEEDBACK_ACTIONS.includes(action)) throw refuse('INVALID_INPUT', `unknown action '${input.action}'`, { field: 'action' });
  const note = optionalText('note', input.note);
  if (action !== 'APPLIED' && !note) {
    throw refuse('INVALID_INPUT', `a measure ${action === 'NOT_APPLIED' ? 'not' : 'partially'} applied needs a 'note' saying why`, { field: 'note' });
  }
  const checkId = hasCheck ? parseCheckId(input.checkId!) : null;
  if (hasCheck && !checkId) throw notFound('credit check', input.checkId!);
  const jointCaseId = hasCase ? parseRowId(input.jointCaseId!) : null;
  if (hasCase && !jointCaseId) throw notFound('joint case', input.jointCaseId!);
  const payload = {
    checkId,
    jointCaseId,
    measureCode: requireText('measureCode', input.measureCode, 100),
    department: requireText('department', input.department, 200),
    action,
    note,
  };
  if (checkId) {
    const check = await checkForFeedback(db, checkId);
    if (!check) throw notFound('credit check', checkId);
    if (!mayReportOn(caller, check)) throw notYourCheck('submitFeedback', checkId);
    const applied = [...new Set(check.measures.map((m) => m.code))].sort();
    if (!applied.includes(payload.measureCode)) {
      throw refuse(
        'MEASURE_NOT_APPLIED',
        `credit check ${checkId} did not apply measure '${payload.measureCode}'; it applied ${applied.length ? applied.join(', ') : 'none'}`,
        { appliedMeasures: applied },
      );
    }
    if (!mayReportOn(caller, check, payload.measureCode)) {
      throw forbidden('submitFeedback', 'NOT_YOUR_CHECK', `your department does not implement measure '${payload.measureCode}' of credit check ${checkId}`);
    }
  } else {
    const jointCase = await readJointCase(db, jointCaseId!);
    if (!jointCase) throw notFound('joint case', jointCaseId!);
    const [measure] = await db.query<MeasureOfTarget>(
      `SELECT code, $3::text AS initiating, implementing_departments AS implementing FROM measure
        WHERE version = (SELECT max(version) FROM catalogue_version) AND code = $1 AND $2 = ANY(triggers)`,
      [payload.measureCode, jointCase.trigger, jointCase.initiatingDepartment],
    );
    if (!measure) {
      throw refuse('MEASURE_NOT_APPLIED', `measure '${payload.measureCode}' is not one the catalogue applies for a ${jointCase.trigger} determination (joint case ${jointCase.id})`);
    }
    const department = callerDepartment(caller);
    if (!isCreditOffice(caller) && !(department && implementsMeasure(department, measure))) {
      throw forbidden('submitFeedback', 'NOT_ALLOWED', `your department does not implement measure '${payload.measureCode}' of joint case ${jointCase.id}`);
    }
  }
  const key = requireIdempotencyKey(input.idempotencyKey);
  const client = clientScope(caller);
  return createOnce(db, {
    table: 'feedback',
    mutation: 'submitFeedback',
    key,
    client,
    payload,
    read: readFeedback,
    async create(tx, requestFingerprint) {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO feedback (idempotency_key, request_fingerprint, check_id, joint_case_id, measure_code, department, action, note, client_id)
         VALUES ($1, $2, $3::uuid, $4::bigint, $5, $6, $7, $8, $9) RETURNING id::text AS id`,
        [key, requestFingerprint, checkId, jointCaseId, payload.measureCode, payload.department, action, note, client],
      );
      return row!.id;
    },
  });
}

/** The reports on a check, for the client that ran it, a department implementing one of its measures, or `audit`. */
export async function checkFeedback(q: Queryable, rawCheckId: string, caller: ForwardedIdentity): Promise<Feedback[]> {
  const checkId = parseCheckId(rawCheckId);
  if (!checkId) return [];
  const check = await checkForFeedback(q, checkId);
  if (!check) return [];
  if (!caller.scopes.includes('audit') && !mayReportOn(caller, check)) throw notYourCheck('checkFeedback', checkId);
  return feedbackFor(q, { checkId });
}

/** The feedback recorded against a check or a joint case, in the order it came in. */
export async function feedbackFor(q: Queryable, target: { checkId: string } | { jointCaseId: string }): Promise<Feedback[]> {
  const [column, cast, value] = 'checkId' in target ? ['check_id', 'uuid', target.checkId] : ['joint_case_id', 'bigint', target.jointCaseId];
  return q.query<Feedback>(`SELECT ${FEEDBACK_FIELDS} FROM feedback WHERE ${column} = $1::${cast} ORDER BY feedback.id`, [value]);
}

type Context = SubgraphContext<unknown>;

export const feedbackResolvers: ResolverMap = {
  Query: {
    jointCase: async (_root: unknown, args: { id: string }, context: Context) => {
      const id = parseRowId(args.id);
      return id ? readJointCase(context.db, id) : null;
    },
    checkFeedback: (_root: unknown, args: { checkId: string }, context: Context) => checkFeedback(context.db, args.checkId, context.caller),
  },
  Mutation: {
    openJointCase: (_root: unknown, args: { input: OpenJointCaseInput }, context: Context) => openJointCase(context.db, args.input, context.caller),
    submitFeedback: (_root: unknown, args: { input: SubmitFeedbackInput }, context: Context) => submitFeedback(context.db, args.input, context.caller),
  },
  JointCase: {
    feedback: (jointCase: JointCase, _args: unknown, context: Context) => feedbackFor(context.db, { jointCaseId: jointCase.id }),
  },
};
