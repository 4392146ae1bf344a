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
import { TRIGGERS, TRIGGER_NAMES, type Department, type Trigger } from '../vocabulary';
import { boundRecord } from '../records';
import {
  createOnce,
  isoTimestamp,
  notFound,
  optionalText,
  parseRowId,
  refuse,
  requireDepartment,
  requireIdempotencyKey,
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
export async function openJointCase(db: Database, input: OpenJointCaseInput): Promise<JointCase> {
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
  const payload = {
    subjectCode: requireSubjectCode(input.subjectCode),
    initiatingDepartment,
    trigger,
    recordId: requireRecordId(input.recordId),
  };
  const key = requireIdempotencyKey(input.idempotencyKey);
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
    payload,
    read: readJointCase,
    async create(tx, requestFingerprint) {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO joint_case (idempotency_key, request_fingerprint, subject_code, initiating_department, trigger, record_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
        [key, requestFingerprint, payload.subjectCode, payload.initiatingDepartment, payload.trigger, payload.recordId],
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

/**
 * Records what an implementing department did with a measure, against a
 * credit check (which must exist and, when it recorded applied measures,
 * must have applied this one) or a joint case (which must exist).
 */
export async function submitFeedback(db: Database, input: SubmitFeedbackInput): Promise<Feedback> {
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
  const key = requireIdempotencyKey(input.idempotencyKey);
  return createOnce(db, {
    table: 'feedback',
    mutation: 'submitFeedback',
    key,
    payload,
    read: readFeedback,
    async create(tx, requestFingerprint) {
      if (checkId) {
        const [check] = await tx.query<{ measures: string[] }>(
          `SELECT ARRAY(SELECT DISTINCT measure_code FROM applied_measure m WHERE m.check_id = c.check_id ORDER BY measure_code) AS measures
             FROM credit_check c WHERE c.check_id = $1::uuid`,
          [checkId],
        );
        if (!check) throw notFound('credit check', checkId);
        if (check.measures.length > 0 && !check.measures.includes(payload.measureCode)) {
          throw refuse(
            'MEASURE_NOT_APPLIED',
            `credit check ${checkId} did not apply measure '${payload.measureCode}'; it applied ${check.measures.join(', ')}`,
            { appliedMeasures: check.measures },
          );
        }
      } else {
        const [found] = await tx.query(`SELECT 1 FROM joint_case WHERE id = $1::bigint`, [jointCaseId]);
        if (!found) throw notFound('joint case', jointCaseId!);
      }
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO feedback (idempotency_key, request_fingerprint, check_id, joint_case_id, measure_code, department, action, note)
         VALUES ($1, $2, $3::uuid, $4::bigint, $5, $6, $7, $8) RETURNING id::text AS id`,
        [key, requestFingerprint, checkId, jointCaseId, payload.measureCode, payload.department, action, note],
      );
      return row!.id;
    },
  });
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
    checkFeedback: async (_root: unknown, args: { checkId: string }, context: Context) => {
      const checkId = parseCheckId(args.checkId);
      return checkId ? feedbackFor(context.db, { checkId }) : [];
    },
  },
  Mutation: {
    openJointCase: (_root: unknown, args: { input: OpenJointCaseInput }, context: Context) => openJointCase(context.db, args.input),
    submitFeedback: (_root: unknown, args: { input: SubmitFeedbackInput }, context: Context) => submitFeedback(context.db, args.input),
  },
  JointCase: {
    feedback: (jointCase: JointCase, _args: unknown, context: Context) => feedbackFor(context.db, { jointCaseId: jointCase.id }),
  },
};
