/**
 * Rectification orders and interviews (凌源 三(五): 谁认定、谁约谈): the
 * department whose record determined a subject's dishonest conduct orders it
 * to rectify by a deadline and, when it has not rectified in time, holds a
 * reminder or warning interview with it (date, participants, content,
 * outcome). Both are part of the subject's credit record for roles with
 * `records` (Subject.rectificationOrders). An order still open after its
 * deadline puts the subject under key attention (policy/rectification.ts):
 * the scheduled job (jobs.ts) lists it and tells the department; the entry
 * ends the day the department confirms the rectification.
 *
 *   ORDERED → RECTIFIED   (once)
 *   ORDERED → WITHDRAWN   its record was revoked, corrected or repaired (or the order's own
 *                         key-attention entry upheld as wrong): nothing to rectify, its entry ends
 *                         that day (workflows/common.ts endWorkflowsOnRecord)
 */
import type { Database, Queryable } from '../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../lib/subgraph';
import type { ForwardedIdentity } from '../../lib/auth/identity-header';
import { badUserInput, requireSubjectCode } from '../../lib/errors';
import { todayInChina } from '../../lib/clock';
import { rowsBySubject } from '../../lib/loaders';
import { callerDepartment, clientScope, forbidden, requireActsFor } from './callers';
import { boundRecord } from './records';
import {
  interviewRefusal,
  MAX_BACKDATED_DAYS,
  MAX_RECTIFICATION_MONTHS,
  rectificationDatesRefusal,
  rectificationEntryEnd,
  rectificationEntrySince,
  rectificationOverdue,
  rectifiedOnRefusal,
} from './policy';
import { notify } from './notifications';
import {
  createOnce,
  isoTimestamp,
  parseRowId,
  perRequest,
  refuse,
  requireDate,
  requireDepartment,
  requireIdempotencyKey,
  requireRecordId,
  requireText,
  requireRow,
  recordLock,
  requireRecordInForce,
  repeatsTransition,
} from './workflows/common';
import { recordKey, type Department } from './vocabulary';
import { disputedRecords } from './workflows/status';

export interface RectificationOrder {
  id: string;
  subjectCode: string;
  department: Department;
  recordId: string;
  requirement: string;
  orderedOn: string;
  deadline: string;
  status: 'ORDERED' | 'RECTIFIED' | 'WITHDRAWN';
  rectifiedOn: string | null;
  rectificationNote: string | null;
  withdrawnOn: string | null;
  /** The decision that withdrew its record: objection/<id> or repair/<id>. */
  withdrawalReference: string | null;
}

export interface Interview {
  id: string;
  rectificationOrderId: string;
  kind: 'REMINDER' | 'WARNING';
  heldOn: string;
  participants: string[];
  content: string;
  outcome: string;
  recordedAt: string;
}

/** The record an overdue order's key-attention entry stands on. */
export const rectificationRecordId = (id: string) => `rectification_order/${id}`;

const ORDER_FIELDS = `rectification_order.id::text AS id, subject_code AS "subjectCode", department, record_id AS "recordId", requirement,
  ordered_on::text AS "orderedOn", deadline::text AS deadline, status, rectified_on::text AS "rectifiedOn", rectification_note AS "rectificationNote",
  withdrawn_on::text AS "withdrawnOn", withdrawal_reference AS "withdrawalReference"`;
const INTERVIEW_FIELDS = `interview.id::text AS id, rectification_order_id::text AS "rectificationOrderId", kind, held_on::text AS "heldOn", participants,
  content, outcome, ${isoTimestamp('recorded_at')} AS "recordedAt"`;

export async function readRectificationOrder(q: Queryable, id: string): Promise<RectificationOrder | null> {
  const [row] = await q.query<RectificationOrder>(`SELECT ${ORDER_FIELDS} FROM rectification_order WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

async function readInterview(q: Queryable, id: string): Promise<Interview | null> {
  const [row] = await q.query<Interview>(`SELECT ${INTERVIEW_FIELDS} FROM interview WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

export interface OrderRectificationInput {
  subjectCode: string;
  department: string;
  recordId: string;
  requirement: string;
  orderedOn?: string | null;
  deadline: string;
  idempotencyKey: string;
}

/**
 * The determining department orders the subject to rectify (谁认定): the
 * record must be the department's record of the subject, read from the
 * department (records.ts); the deadline not before the order.
 */
export async function orderRectification(db: Database, input: OrderRectificationInput, caller: ForwardedIdentity, today = todayInChina()): Promise<RectificationOrder> {
  const department = requireDepartment(input.department);
  requireActsFor(caller, department, 'orderRectification');
  const orderedOn = input.orderedOn ? requireDate('orderedOn', input.orderedOn) : null;
  const deadline = requireDate('deadline', input.deadline);
  const payload = {
    subjectCode: requireSubjectCode(input.subjectCode),
    department,
    recordId: requireRecordId(input.recordId),
    requirement: requireText('requirement', input.requirement),
    orderedOn,
    deadline,
  };
  const key = requireIdempotencyKey(input.idempotencyKey);
  const record = await boundRecord(db, department, payload.subjectCode, payload.recordId, `orderRectification ${payload.recordId}`, today);
  // Dated from the record on, at most MAX_BACKDATED_DAYS back, never in the future, with a deadline not passed and within the policy's bound: a backdated
  // order would put the subject under key attention retroactively (凌源 三(五); the list rules' SINCE_* refusals).
  const dates = rectificationDatesRefusal({ recordSince: record.since, orderedOn: orderedOn ?? today, deadline }, today);
  if (dates) {
    const field = dates.field === 'start' ? 'orderedOn' : 'deadline';
    const why = {
      SINCE_IN_FUTURE: `'orderedOn' ${orderedOn} is in the future`,
      SINCE_BEFORE_RECORD: `'orderedOn' ${orderedOn} is before the record's determination (${record.since}): an order stands on the record`,
      SINCE_TOO_EARLY: `'orderedOn' ${orderedOn} is more than ${MAX_BACKDATED_DAYS} days ago: an order is recorded when it is made`,
      DEADLINE_BEFORE_START: `'deadline' ${deadline} is before the order (${orderedOn ?? today})`,
      DEADLINE_PASSED: `'deadline' ${deadline} has already passed: the order would be overdue, and its subject listed, as it is recorded`,
      DEADLINE_TOO_FAR: `'deadline' ${deadline} is more than ${MAX_RECTIFICATION_MONTHS} months after the order (${orderedOn ?? today})`,
    }[dates.reason];
    throw badUserInput(why, { reason: dates.reason, field, recordSince: record.since });
  }
  return createOnce(db, {
    table: 'rectification_order',
    mutation: 'orderRectification',
    key,
    client: clientScope(caller),
    payload,
    lock: recordLock(department, payload.recordId),
    read: readRectificationOrder,
    async create(tx, requestFingerprint) {
      // 谁认定: an order stands on a determination in force — not on a record revoked, repaired, disputed or ended (凌源 三(五)).
      await requireRecordInForce(tx, record, 'orderRectification');
      // One open order per record and department: a second would list the subject twice when overdue.
      const [open] = await tx.query<{ id: string }>(`SELECT id::text AS id FROM rectification_order WHERE department = $1 AND record_id = $2 AND status = 'ORDERED' LIMIT 1`, [department, payload.recordId]);
      if (open) {
        throw refuse('ALREADY_OPEN', `record ${department} ${payload.recordId} already has open rectification order ${open.id}`, { rectificationOrderId: open.id, field: 'recordId' });
      }
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO rectification_order (idempotency_key, request_fingerprint, client_id, subject_code, department, record_id, record_subject_code,
                                          requirement, ordered_on, deadline)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10::date) RETURNING id::text AS id`,
        [key, requestFingerprint, clientScope(caller), payload.subjectCode, department, payload.recordId, record.ownerCode, payload.requirement, orderedOn ?? today, deadline],
      );
      return row!.id;
    },
  });
}

/**
 * The ordering department confirms the subject rectified: the order closes
 * and its key-attention entry, if it went overdue, ends that day.
 */
export async function completeRectification(
  db: Database,
  input: { id: string; note: string; rectifiedOn?: string | null },
  caller: ForwardedIdentity,
  today = todayInChina(),
): Promise<RectificationOrder> {
  const order = await requireRow('rectification order', input.id, (id) => readRectificationOrder(db, id));
  requireActsFor(caller, order.department, 'completeRectification');
  const note = requireText('note', input.note);
  const on = input.rectifiedOn ? requireDate('rectifiedOn', input.rectifiedOn) : today;
  requireOrderNotWithdrawn(order, 'completeRectification');
  // The same confirmation again (a retry) answers the order as rectified; rectifiedOn left out is the day first recorded.
  const repeats = (current: RectificationOrder) => repeatsTransition(current, { status: 'RECTIFIED', rectificationNote: note, rectifiedOn: input.rectifiedOn ? on : undefined });
  const alreadyRectified = (current: RectificationOrder) =>
    refuse('INVALID_TRANSITION', `rectification order ${current.id} was already rectified on ${current.rectifiedOn}${current.rectificationNote ? ` (${current.rectificationNote})` : ''}`, { status: current.status });
  if (order.status === 'RECTIFIED') {
    if (repeats(order)) return order;
    throw alreadyRectified(order);
  }
  // Not before what the record already says — the order, its latest interview, its published entry (policy/rectification.ts).
  const [history] = await db.query<{ latest_interview: string | null; entry_since: string | null }>(
    `SELECT (SELECT max(held_on)::text FROM interview WHERE rectification_order_id = $1::bigint) AS latest_interview,
            (SELECT since::text FROM list_entry WHERE kind = 'KEY_ATTENTION' AND department = 'CREDIT_OFFICE' AND source_record = $2) AS entry_since`,
    [order.id, rectificationRecordId(order.id)],
  );
  const why = rectifiedOnRefusal({ orderedOn: order.orderedOn, latestInterview: history!.latest_interview, entrySince: history!.entry_since }, on, today);
  if (why) throw refuse('INVALID_INPUT', `rectification order ${order.id}: ${why}`, { field: 'rectifiedOn' });
  await db.transaction(async (tx) => {
    const [updated] = await tx.query(
      `UPDATE rectification_order SET status = 'RECTIFIED', rectified_on = $2::date, rectification_note = $3 WHERE id = $1::bigint AND status = 'ORDERED' RETURNING id`,
      [order.id, on, note],
    );
    if (!updated) {
      // Confirmed meanwhile (two clerks, or a retry racing the first call): answered as above.
      const current = (await readRectificationOrder(tx, order.id))!;
      if (current.status === 'RECTIFIED' && repeats(current)) return;
      requireOrderNotWithdrawn(current, 'completeRectification');
      throw alreadyRectified(current);
    }
    // The key-attention entry ends today at the earliest: never in the past (the list rules' RETROACTIVE_END).
    const until = rectificationEntryEnd(on, today);
    await tx.query(
      `UPDATE list_entry SET until = GREATEST(since, $3::date) WHERE department = 'CREDIT_OFFICE' AND source_record = $1 AND subject_code = $2 AND (until IS NULL OR until > $3::date)`,
      [rectificationRecordId(order.id), order.subjectCode, until],
    );
  });
  return (await readRectificationOrder(db, order.id))!;
}

/** Refuses (RECORD_WITHDRAWN) a step on an order whose record was withdrawn: it stands on nothing any more. */
function requireOrderNotWithdrawn(order: RectificationOrder, mutation: string): void {
  if (order.status !== 'WITHDRAWN') return;
  throw refuse('RECORD_WITHDRAWN', `${mutation}: rectification order ${order.id} was withdrawn on ${order.withdrawnOn} with its record (${order.withdrawalReference}); there is nothing to rectify`, {
    status: order.status,
    reference: order.withdrawalReference,
  });
}

export interface RecordInterviewInput {
  rectificationOrderId: string;
  kind: string;
  heldOn: string;
  participants: string[];
  content: string;
  outcome: string;
  idempotencyKey: string;
}

/** The ordering department records a reminder or warning interview held with a subject that has not rectified in time (谁约谈). */
export async function recordInterview(db: Database, input: RecordInterviewInput, caller: ForwardedIdentity, today = todayInChina()): Promise<Interview> {
  const order = await requireRow('rectification order', input.rectificationOrderId, (id) => readRectificationOrder(db, id));
  // 谁认定、谁约谈 (凌源 三(五)): the determining department itself, not the credit office on its behalf.
  requireActsFor(caller, order.department, 'recordInterview');
  if (callerDepartment(caller) !== order.department) {
    throw forbidden('recordInterview', 'OTHER_DEPARTMENT', `the interview is held by the department that determined the record (${order.department}), not ${callerDepartment(caller)}`, { department: order.department });
  }
  requireOrderNotWithdrawn(order, 'recordInterview');
  if (input.kind !== 'REMINDER' && input.kind !== 'WARNING') throw refuse('INVALID_INPUT', `unknown interview kind '${input.kind}'`, { field: 'kind' });
  const heldOn = requireDate('heldOn', input.heldOn);
  const why = interviewRefusal(order, heldOn, today);
  if (why) throw refuse('INVALID_TRANSITION', `rectification order ${order.id}: ${why}`, { field: 'heldOn' });
  const participants = input.participants.map((name, i) => requireText(`participants[${i}]`, name, 200));
  if (participants.length === 0) throw refuse('INVALID_INPUT', `'participants' names at least one person`, { field: 'participants' });
  const payload = { orderId: order.id, kind: input.kind, heldOn, participants, content: requireText('content', input.content), outcome: requireText('outcome', input.outcome) };
  const key = requireIdempotencyKey(input.idempotencyKey);
  return createOnce(db, {
    table: 'interview',
    mutation: 'recordInterview',
    key,
    client: clientScope(caller),
    payload,
    read: readInterview,
    async create(tx, requestFingerprint) {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO interview (idempotency_key, request_fingerprint, client_id, rectification_order_id, kind, held_on, participants, content, outcome)
         VALUES ($1, $2, $3, $4::bigint, $5, $6::date, $7::text[], $8, $9) RETURNING id::text AS id`,
        [key, requestFingerprint, clientScope(caller), order.id, payload.kind, heldOn, participants, payload.content, payload.outcome],
      );
      return row!.id;
    },
  });
}

/**
 * The scheduled job's part for rectifications: every order still open after
 * its deadline puts its subject on the key-attention list from the day after
 * the deadline, or from today if the job runs later — never retroactively
 * (once: the entry's key is the order), and the ordering department is told. Returns the subjects newly listed.
 */
export async function listOverdueRectifications(db: Database, today: string): Promise<string[]> {
  // Open orders not yet listed (a partial index); the policy decides which are overdue today.
  const open = await db.query<{ id: string; status: string; subject_code: string; department: Department; record_id: string; deadline: string; requirement: string }>(
    `SELECT o.id::text AS id, o.status, o.subject_code, o.department, o.record_id, o.deadline::text AS deadline, o.requirement FROM rectification_order o
      WHERE o.status = 'ORDERED'
        AND NOT EXISTS (SELECT 1 FROM list_entry e WHERE e.kind = 'KEY_ATTENTION' AND e.department = 'CREDIT_OFFICE' AND e.source_record = 'rectification_order/' || o.id)
      ORDER BY o.id`,
  );
  // Not while the order's record is disputed: its punishments are suspended until the department has verified it (柴桑 (二十一)).
  const overdue = open.filter((order) => rectificationOverdue(order, today));
  const disputed = await disputedRecords(db, overdue.map((order) => ({ department: order.department, recordId: order.record_id })));
  const due = overdue.filter((order) => !disputed.has(recordKey({ department: order.department, recordId: order.record_id })));
  const listed: string[] = [];
  for (const order of due) {
    const inserted = await db.transaction(async (tx) => {
      const [entry] = await tx.query(
        `INSERT INTO list_entry (subject_code, kind, reason, department, source_record, since, until)
         SELECT $1, 'KEY_ATTENTION', $2, 'CREDIT_OFFICE', $3, $4::date, NULL FROM rectification_order WHERE id = $5::bigint AND status = 'ORDERED'
         ON CONFLICT (kind, department, source_record) DO NOTHING RETURNING id`,
        [order.subject_code, `逾期未整改（rectification overdue）: ${order.requirement}`, rectificationRecordId(order.id), rectificationEntrySince(order.deadline, today), order.id],
      );
      if (!entry) return false;
      await notify(tx, order.department, 'RECTIFICATION_OVERDUE', rectificationRecordId(order.id), `责令整改 ${order.id} 逾期未整改（期限 ${order.deadline}），${order.subject_code} 已列入重点关注名单`);
      return true;
    });
    if (inserted) listed.push(order.subject_code);
  }
  return listed;
}

const ordersOfSubject = perRequest((db) =>
  rowsBySubject<RectificationOrder>(db, `SELECT subject_code, ${ORDER_FIELDS} FROM rectification_order WHERE subject_code = ANY($1::text[]) ORDER BY rectification_order.id`),
);
const interviewsOfSubject = perRequest((db) =>
  rowsBySubject<Interview>(
    db,
    `SELECT o.subject_code, ${INTERVIEW_FIELDS} FROM interview JOIN rectification_order o ON o.id = interview.rectification_order_id
      WHERE o.subject_code = ANY($1::text[]) ORDER BY interview.id`,
  ),
);

type Context = SubgraphContext<unknown>;

export const rectificationResolvers: ResolverMap = {
  Query: {
    rectificationOrder: async (_root: unknown, args: { id: string }, context: Context) => {
      const id = parseRowId(args.id);
      return id ? readRectificationOrder(context.db, id) : null;
    },
  },
  Mutation: {
    orderRectification: (_root: unknown, args: { input: OrderRectificationInput }, context: Context) => orderRectification(context.db, args.input, context.caller),
    completeRectification: (_root: unknown, args: { id: string; note: string; rectifiedOn?: string | null }, context: Context) =>
      completeRectification(context.db, args, context.caller),
    recordInterview: (_root: unknown, args: { input: RecordInterviewInput }, context: Context) => recordInterview(context.db, args.input, context.caller),
  },
  RectificationOrder: {
    overdue: (order: RectificationOrder) => rectificationOverdue(order, todayInChina()),
    interviews: async (order: RectificationOrder, _args: unknown, context: Context) =>
      (await interviewsOfSubject(context).load(order.subjectCode)).filter((interview) => interview.rectificationOrderId === order.id),
  },
  Subject: {
    rectificationOrders: (subject: { code: string }, _args: unknown, context: Context) => ordersOfSubject(context).load(subject.code),
    interviews: (subject: { code: string }, _args: unknown, context: Context) => interviewsOfSubject(context).load(subject.code),
  },
};
