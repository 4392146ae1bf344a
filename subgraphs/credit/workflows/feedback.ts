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
import { badUserInput, requireSubjectCode } from '../../../lib/errors';
import { DEPARTMENTS, recordKey, TRIGGERS, TRIGGER_NAMES, type Department, type Trigger } from '../vocabulary';
import { caseAssignments, feedbackDeadline, feedbackDeadlineRefusal, feedbackLate, IMPLEMENTER_NAMES, MAX_FEEDBACK_MONTHS, namedDepartment, namedImplementers, repeatsFeedback } from '../policy';
import { disputedRecords } from './status';
import { todayInChina } from '../../../lib/clock';
import { notify } from '../notifications';
import type { ForwardedIdentity } from '../../../lib/auth/identity-header';
import { callerDepartment, clientScope, forbidden, isCreditOffice, requireActsFor, requireReadsWorkflowsOf } from '../callers';
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
  requireRecordInForce,
  requireRecordId,
  requireText,
  requireDate,
  requirePageSize,
  encodeIdCursor,
  decodeIdCursor,
} from './common';

// ---------------------------------------------------------------- joint cases

export interface JointCase {
  id: string;
  subjectCode: string;
  initiatingDepartment: Department;
  trigger: Trigger;
  recordId: string;
  createdAt: string;
  /** The measures to apply; null for a case opened before cases named them. */
  measureCodes: string[] | null;
  catalogueVersion: number | null;
  /** OPEN, or WITHDRAWN with its record (revoked, corrected, repaired: workflows/common.ts endWorkflowsOnRecord). */
  status: 'OPEN' | 'WITHDRAWN';
  withdrawnOn: string | null;
  withdrawalReference: string | null;
}

export interface OpenJointCaseInput {
  subjectCode: string;
  initiatingDepartment: string;
  trigger: string;
  recordId: string;
  /** The measures to apply: the catalogue's for the trigger when omitted; each must be one (MEASURE_NOT_APPLIED). */
  measureCodes?: string[] | null;
  /** Feedback deadlines per implementing department; the policy's default for the others. */
  deadlines?: { department: string; deadline: string }[] | null;
  idempotencyKey: string;
}

const JOINT_CASE_FIELDS = `joint_case.id::text AS id, subject_code AS "subjectCode", initiating_department AS "initiatingDepartment", trigger,
  record_id AS "recordId", ${isoTimestamp('joint_case.created_at')} AS "createdAt", joint_case.measure_codes AS "measureCodes", joint_case.catalogue_version AS "catalogueVersion",
  CASE WHEN joint_case.withdrawn_on IS NULL THEN 'OPEN' ELSE 'WITHDRAWN' END AS status, joint_case.withdrawn_on::text AS "withdrawnOn",
  joint_case.withdrawal_reference AS "withdrawalReference"`;

/**
 * The ids of the cases whose record is disputed now (an open objection that suspends, status.ts):
 * their measures are suspended while the department verifies (柴桑 (二十一)) — no feedback
 * APPLIED, and their deadlines are not counted late meanwhile.
 */
export async function suspendedCases(q: Queryable, cases: readonly { id: string; initiatingDepartment: Department; recordId: string }[]): Promise<Set<string>> {
  const disputed = await disputedRecords(q, cases.map((c) => ({ department: c.initiatingDepartment, recordId: c.recordId })));
  return new Set(cases.filter((c) => disputed.has(recordKey({ department: c.initiatingDepartment, recordId: c.recordId }))).map((c) => c.id));
}

export async function readJointCase(q: Queryable, id: string): Promise<JointCase | null> {
  const [row] = await q.query<JointCase>(`SELECT ${JOINT_CASE_FIELDS} FROM joint_case WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

/** The catalogue's measures for a trigger (the latest version), with their implementing departments. */
async function measuresForTrigger(q: Queryable, trigger: Trigger): Promise<{ version: number; measures: { code: string; implementing: string[] }[] }> {
  const rows = await q.query<{ version: number; code: string; implementing: string[] }>(
    `SELECT version, code, implementing_departments AS implementing FROM measure
      WHERE version = (SELECT max(version) FROM catalogue_version) AND $1 = ANY(triggers) ORDER BY code`,
    [trigger],
  );
  return { version: rows[0]?.version ?? 0, measures: rows.map(({ code, implementing }) => ({ code, implementing })) };
}

/**
 * Opens a joint case for a department's determination (idempotent per key):
 * a record of the subject the department holds (records.ts), in force as the
 * trigger named (RECORD_MISMATCH otherwise), with the measures to apply
 * (the catalogue's for the trigger) pushed to their implementing departments
 * (policy/joint-cases.ts), each with its feedback deadline and a notice in
 * its queue.
 */
export async function openJointCase(db: Database, input: OpenJointCaseInput, caller: ForwardedIdentity, today = todayInChina()): Promise<JointCase> {
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
  const catalogue = await measuresForTrigger(db, trigger);
  const known = new Map(catalogue.measures.map((m) => [m.code, m]));
  const requested = input.measureCodes ? [...new Set(input.measureCodes.map((code) => code.trim()))] : catalogue.measures.map((m) => m.code);
  const unknown = requested.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw refuse('MEASURE_NOT_APPLIED', `the catalogue applies no measure ${unknown.join(', ')} for a ${trigger} determination; it applies ${catalogue.measures.map((m) => m.code).join(', ') || 'none'}`, {
      field: 'measureCodes',
      measureCodes: catalogue.measures.map((m) => m.code),
    });
  }
  if (requested.length === 0) throw refuse('INVALID_INPUT', `a joint case names at least one measure`, { field: 'measureCodes' });
  const assignments = caseAssignments(requested.map((code) => known.get(code)!), initiatingDepartment);
  const deadlines = new Map<Department, string>();
  for (const given of input.deadlines ?? []) {
    const department = requireDepartment(given.department);
    if (!assignments.has(department)) {
      throw refuse('INVALID_INPUT', `${department} implements none of the case's measures; the case goes to ${[...assignments.keys()].join(', ')}`, { field: 'deadlines' });
    }
    const deadline = requireDate('deadline', given.deadline);
    // Not in the past, at most MAX_FEEDBACK_MONTHS ahead: a deadline that never falls due is never late (policy/joint-cases.ts).
    const bound = feedbackDeadlineRefusal(deadline, today);
    if (bound) {
      const why = bound === 'DEADLINE_TOO_FAR' ? `is more than ${MAX_FEEDBACK_MONTHS} months ahead` : 'is in the past';
      throw badUserInput(`the deadline ${deadline} of ${department} ${why}`, { reason: bound, field: 'deadlines' });
    }
    deadlines.set(department, deadline);
  }
  const subjectCode = requireSubjectCode(input.subjectCode);
  const payload = {
    subjectCode,
    initiatingDepartment,
    trigger,
    recordId: recordIdOf(requireRecordId(input.recordId), subjectCode),
    measureCodes: [...requested].sort(),
    deadlines: [...deadlines].sort(([a], [b]) => (a < b ? -1 : 1)),
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
    // Not on a record the workflows withdrew (revoked, corrected, repaired) or that is disputed, nor while a decision on it is made.
    lock: recordLock(payload.initiatingDepartment, payload.recordId),
    read: readJointCase,
    async create(tx, requestFingerprint) {
      await requireRecordInForce(tx, record, 'openJointCase');
      // One case per determination: a second would push the same measures again and count them twice (甘州 五(六) 统计).
      const [open] = await tx.query<{ id: string }>('SELECT id::text AS id FROM joint_case WHERE initiating_department = $1 AND record_id = $2 ORDER BY joint_case.id LIMIT 1', [
        payload.initiatingDepartment,
        payload.recordId,
      ]);
      if (open) {
        throw refuse('ALREADY_OPEN', `record ${payload.initiatingDepartment} ${payload.recordId} already has joint case ${open.id}; its measures were pushed with it`, { jointCaseId: open.id, field: 'recordId' });
      }
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO joint_case (idempotency_key, request_fingerprint, subject_code, initiating_department, trigger, record_id, client_id, measure_codes, catalogue_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9) RETURNING id::text AS id`,
        [key, requestFingerprint, payload.subjectCode, payload.initiatingDepartment, payload.trigger, payload.recordId, client, payload.measureCodes, catalogue.version],
      );
      const id = row!.id;
      for (const [department, codes] of assignments) {
        const deadline = deadlines.get(department) ?? feedbackDeadline(today);
        await tx.query('INSERT INTO joint_case_assignment (joint_case_id, department, measure_codes, deadline) VALUES ($1::bigint, $2, $3::text[], $4::date)', [id, department, codes, deadline]);
        await notify(tx, department, 'JOINT_CASE_ASSIGNED', `joint_case/${id}`,
          `联合奖惩案件 ${id}（${payload.subjectCode}，${trigger}）：请于 ${deadline} 前反馈措施 ${codes.join('、')} 的实施情况`);
      }
      return id;
    },
  });
}

export interface JointCaseAssignment {
  jointCaseId: string;
  department: Department;
  measureCodes: string[];
  deadline: string;
  /** Measures the department reported on, with the day of its first report on each (China). */
  fedBack: { measureCode: string; reportedOn: string }[];
}

/** A case's assignments with the department's feedback on each measure. */
export async function assignmentsOf(q: Queryable, caseIds: string[]): Promise<JointCaseAssignment[]> {
  if (caseIds.length === 0) return [];
  return q.query<JointCaseAssignment>(
    `SELECT a.joint_case_id::text AS "jointCaseId", a.department, a.measure_codes AS "measureCodes", a.deadline::text AS deadline,
            COALESCE((SELECT json_agg(json_build_object('measureCode', f.measure_code, 'reportedOn', f.first_on) ORDER BY f.measure_code)
                        FROM (SELECT measure_code, min((submitted_at AT TIME ZONE 'Asia/Shanghai')::date)::text AS first_on FROM feedback
                               WHERE joint_case_id = a.joint_case_id AND reporting_department = a.department AND measure_code = ANY(a.measure_codes)
                               GROUP BY measure_code) f), '[]') AS "fedBack"
       FROM joint_case_assignment a WHERE a.joint_case_id = ANY($1::bigint[]) ORDER BY a.joint_case_id, a.department`,
    [caseIds],
  );
}

/** The departments a case concerns: the one that opened it, then those its measures were pushed to. */
async function caseDepartments(q: Queryable, jointCase: JointCase): Promise<Department[]> {
  return [jointCase.initiatingDepartment, ...(await assignmentsOf(q, [jointCase.id])).map((a) => a.department)];
}

export type AssignmentStatus = 'AWAITING_FEEDBACK' | 'FED_BACK' | 'WITHDRAWN';
/** Where a department's part stands: WITHDRAWN with its case, else by its feedback. */
const assignmentStatus = (a: JointCaseAssignment, jointCase: { status: string }): AssignmentStatus =>
  jointCase.status === 'WITHDRAWN' ? 'WITHDRAWN' : a.fedBack.length >= a.measureCodes.length ? 'FED_BACK' : 'AWAITING_FEEDBACK';
/** Awaiting feedback past its deadline, and not suspended (its record disputed). */
const assignmentOverdue = (a: JointCaseAssignment, jointCase: { status: string }, today: string, suspended: boolean): boolean =>
  assignmentStatus(a, jointCase) === 'AWAITING_FEEDBACK' && a.deadline < today && !suspended;

/**
 * A department's inbox (or, for the credit office, any department's or all
 * cases): the cases whose measures it implements, oldest first, by the
 * status of its part (AWAITING_FEEDBACK until it reported on every measure
 * assigned to it) and whether that is overdue.
 */
export async function jointCases(
  q: Queryable,
  caller: ForwardedIdentity,
  args: { assignedTo?: string | null; status?: AssignmentStatus | null; overdue?: boolean | null; first: number; after?: string | null },
  today = todayInChina(),
): Promise<{ nodes: JointCase[]; endCursor: string | null; hasNextPage: boolean }> {
  const first = requirePageSize(args.first);
  const own = callerDepartment(caller);
  const wanted = !args.assignedTo || args.assignedTo === 'MY_DEPARTMENT' ? own : requireDepartment(args.assignedTo);
  if (!wanted) throw forbidden('jointCases', 'NO_DEPARTMENT', 'this client acts for no department: it has no joint cases assigned');
  requireReadsWorkflowsOf(caller, wanted, 'jointCases', 'joint cases');
  const after = args.after ? decodeIdCursor('case', args.after, 'jointCases') : null;
  // The status is the department's feedback, computed per page; scan in pages until this page is full.
  const nodes: JointCase[] = [];
  let cursor = after;
  for (;;) {
    const batch = await q.query<JointCase>(
      `SELECT ${JOINT_CASE_FIELDS} FROM joint_case JOIN joint_case_assignment a ON a.joint_case_id = joint_case.id AND a.department = $1
        WHERE ($2::bigint IS NULL OR joint_case.id > $2::bigint) ORDER BY joint_case.id LIMIT 200`,
      [wanted, cursor],
    );
    const assignments = new Map((await assignmentsOf(q, batch.map((c) => c.id))).filter((a) => a.department === wanted).map((a) => [a.jointCaseId, a]));
    const suspended = await suspendedCases(q, batch);
    for (const jointCase of batch) {
      const mine = assignments.get(jointCase.id)!;
      if (args.status && assignmentStatus(mine, jointCase) !== args.status) continue;
      if (args.overdue !== null && args.overdue !== undefined && assignmentOverdue(mine, jointCase, today, suspended.has(jointCase.id)) !== args.overdue) continue;
      nodes.push(jointCase);
      if (nodes.length > first) break;
    }
    if (nodes.length > first || batch.length < 200) break;
    cursor = batch[batch.length - 1]!.id;
  }
  const page = nodes.slice(0, first);
  const last = page[page.length - 1];
  return { nodes: page, endCursor: last ? encodeIdCursor('case', last.id) : null, hasNextPage: nodes.length > first };
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

/** Whether `department` implements the measure: the catalogue names it, or names the determining department and it determined (policy/joint-cases.ts). */
function implementsMeasure(department: Department, measure: MeasureOfTarget): boolean {
  return namedImplementers(measure.implementing, measure.initiating as Department).includes(department);
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
 * Who reports on a check: a department's client (or the credit office) as on a
 * joint case; a client of no department (an approval system, a trading
 * platform) names the body it serves in its own words (市行政审批局), kept as
 * given and counted for no department of the graph — never one of the graph's
 * departments, by its enum value or its catalogue name (市税务局), which report
 * through their own clients (found by a black-box review: an approval
 * system's feedback was stored as TAX's).
 */
function checkReporter(caller: ForwardedIdentity, named: string): { department: string; reporting: Department | null } {
  if (callerDepartment(caller)) return reportingDepartment(caller, named);
  const text = requireText('department', named, 200);
  // Compared as a reader sees it: full-width letters, case and invisible characters do not make another name
  // (found by a second black-box review: ＴＡＸ, tax and TAX with a zero-width space were stored).
  const seen = text.normalize('NFKC').replace(/[\p{Cf}\s]/gu, '');
  const department = (DEPARTMENTS as readonly string[]).find((d) => d === seen.toUpperCase()) ?? namedDepartment(seen);
  if (department) {
    throw forbidden('submitFeedback', 'OTHER_DEPARTMENT', `this client acts for no department of the graph: it names the body it serves, not ${department} ('${text}'), which reports through its own client`, {
      department,
    });
  }
  return { department: text, reporting: null };
}

/**
 * Who reports on a joint case: a DEPARTMENT client for its bound department
 * only, which `department` must name — its enum value or its name in the
 * catalogue (`市场监管` in 市市场监管局) — or FORBIDDEN (OTHER_DEPARTMENT); stored
 * as the enum value, so feedback and the statistics per implementing
 * department agree. The credit office relays the measures of bodies outside
 * the graph (policy/joint-cases.ts) and names the body it reports for; naming
 * one of the graph's departments, it reports for that department
 * (policy namedDepartment), and its feedback counts as that department's.
 */
function reportingDepartment(caller: ForwardedIdentity, named: string): { department: string; reporting: Department } {
  const text = requireText('department', named, 200);
  if (isCreditOffice(caller)) {
    const department = namedDepartment(text);
    return department ? { department, reporting: department } : { department: text, reporting: 'CREDIT_OFFICE' };
  }
  const own = callerDepartment(caller);
  if (!own) throw forbidden('submitFeedback', 'NO_DEPARTMENT', 'feedback on a joint case comes from an implementing department: this client acts for none');
  if (text === own || text.includes(IMPLEMENTER_NAMES[own])) return { department: own, reporting: own };
  throw forbidden('submitFeedback', 'OTHER_DEPARTMENT', `a ${own} client reports for ${own} only, not for '${text}'`, { department: own });
}

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
  // On a case the reporting department is the caller's own (a department's client acts only for its department): never free text.
  const reporter = jointCaseId ? reportingDepartment(caller, input.department) : checkReporter(caller, input.department);
  const payload = {
    checkId,
    jointCaseId,
    measureCode: requireText('measureCode', input.measureCode, 100),
    department: reporter.department,
    action,
    note,
  };
  let caseLock: string | undefined;
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
    caseLock = recordLock(jointCase.initiatingDepartment, jointCase.recordId);
    // A case whose record was withdrawn takes no feedback; while it is disputed, nothing is applied (柴桑 (二十一)).
    if (jointCase.status === 'WITHDRAWN') {
      throw refuse('RECORD_WITHDRAWN', `joint case ${jointCase.id} was withdrawn on ${jointCase.withdrawnOn} with its record (${jointCase.withdrawalReference}): its measures no longer apply`, {
        reference: jointCase.withdrawalReference,
      });
    }
    if (action === 'APPLIED' && (await suspendedCases(db, [jointCase])).size > 0) {
      throw refuse('RECORD_DISPUTED', `joint case ${jointCase.id}: record ${jointCase.initiatingDepartment} ${jointCase.recordId} is disputed by an open objection; its measures are suspended until the department has verified it`, {
        field: 'action',
      });
    }
    const department = callerDepartment(caller);
    if (jointCase.measureCodes) {
      // Only the measures of the case, and of those only the ones pushed to the caller's department.
      if (!jointCase.measureCodes.includes(payload.measureCode)) {
        throw refuse('MEASURE_NOT_APPLIED', `joint case ${jointCase.id} names no measure '${payload.measureCode}'; its measures are ${jointCase.measureCodes.join(', ')}`, {
          measureCodes: jointCase.measureCodes,
        });
      }
      const [assigned] = (await assignmentsOf(db, [jointCase.id])).filter((a) => a.department === department && a.measureCodes.includes(payload.measureCode));
      if (!assigned && !isCreditOffice(caller)) {
        throw forbidden('submitFeedback', 'NOT_ALLOWED', `measure '${payload.measureCode}' of joint case ${jointCase.id} was not pushed to your department`);
      }
    } else {
      // A case opened before cases named their measures: a measure its trigger applies in the latest catalogue.
      const [measure] = await db.query<MeasureOfTarget>(
        `SELECT code, $3::text AS initiating, implementing_departments AS implementing FROM measure
          WHERE version = (SELECT max(version) FROM catalogue_version) AND code = $1 AND $2 = ANY(triggers)`,
        [payload.measureCode, jointCase.trigger, jointCase.initiatingDepartment],
      );
      if (!measure) {
        throw refuse('MEASURE_NOT_APPLIED', `measure '${payload.measureCode}' is not one the catalogue applies for a ${jointCase.trigger} determination (joint case ${jointCase.id})`);
      }
      if (!isCreditOffice(caller) && !(department && implementsMeasure(department, measure))) {
        throw forbidden('submitFeedback', 'NOT_ALLOWED', `your department does not implement measure '${payload.measureCode}' of joint case ${jointCase.id}`);
      }
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
    // On a case, under its record's lock (as its withdrawal): one feedback per (case, measure, department), migration 019's index behind it.
    lock: caseLock,
    read: readFeedback,
    async create(tx, requestFingerprint) {
      if (jointCaseId) {
        const [recorded] = await tx.query<Feedback>(
          `SELECT ${FEEDBACK_FIELDS} FROM feedback WHERE joint_case_id = $1::bigint AND measure_code = $2 AND reporting_department = $3`,
          [jointCaseId, payload.measureCode, reporter.reporting],
        );
        // The same feedback again answers the first; another contradicts it (policy repeatsFeedback).
        if (recorded && repeatsFeedback(recorded, payload)) return recorded.id;
        if (recorded) {
          throw refuse(
            'INVALID_TRANSITION',
            `${reporter.reporting} already reported measure '${payload.measureCode}' of joint case ${jointCaseId} as ${recorded.action}${recorded.note ? ` (${recorded.note})` : ''} in feedback ${recorded.id} on ${recorded.submittedAt}: one feedback per measure and department`,
            { status: recorded.action, field: 'action' },
          );
        }
      }
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO feedback (idempotency_key, request_fingerprint, check_id, joint_case_id, measure_code, department, action, note, client_id, reporting_department)
         VALUES ($1, $2, $3::uuid, $4::bigint, $5, $6, $7, $8, $9, $10) RETURNING id::text AS id`,
        [key, requestFingerprint, checkId, jointCaseId, payload.measureCode, payload.department, action, note, client, reporter.reporting],
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
      const jointCase = id ? await readJointCase(context.db, id) : null;
      // A case is the business of the department that opened it and those it was pushed to (as objections: DESIGN.md «Decisions»).
      if (jointCase) requireReadsWorkflowsOf(context.caller, await caseDepartments(context.db, jointCase), 'jointCase', 'joint cases');
      return jointCase;
    },
    checkFeedback: (_root: unknown, args: { checkId: string }, context: Context) => checkFeedback(context.db, args.checkId, context.caller),
    jointCases: (_root: unknown, args: { assignedTo?: string | null; status?: AssignmentStatus | null; overdue?: boolean | null; first: number; after?: string | null }, context: Context) =>
      jointCases(context.db, context.caller, args),
  },
  Mutation: {
    openJointCase: (_root: unknown, args: { input: OpenJointCaseInput }, context: Context) => openJointCase(context.db, args.input, context.caller),
    submitFeedback: (_root: unknown, args: { input: SubmitFeedbackInput }, context: Context) => submitFeedback(context.db, args.input, context.caller),
  },
  JointCase: {
    feedback: (jointCase: JointCase, _args: unknown, context: Context) => feedbackFor(context.db, { jointCaseId: jointCase.id }),
    measureCodes: (jointCase: JointCase) => jointCase.measureCodes ?? [],
    assignments: async (jointCase: JointCase, _args: unknown, context: Context) => {
      const today = todayInChina();
      const suspended = (await suspendedCases(context.db, [jointCase])).size > 0;
      const withdrawn = jointCase.status === 'WITHDRAWN';
      return (await assignmentsOf(context.db, [jointCase.id])).map((a) => ({
        department: a.department,
        measureCodes: a.measureCodes,
        deadline: a.deadline,
        status: assignmentStatus(a, jointCase),
        overdue: assignmentOverdue(a, jointCase, today, suspended),
        fedBackMeasureCodes: a.fedBack.map((f) => f.measureCode),
        // A withdrawn case is late for no one: its determination no longer exists.
        late: !withdrawn && a.measureCodes.some((code) => feedbackLate(a.deadline, a.fedBack.find((f) => f.measureCode === code)?.reportedOn ?? null, today, suspended)),
      }));
    },
    overdue: async (jointCase: JointCase, _args: unknown, context: Context) => {
      const today = todayInChina();
      const suspended = (await suspendedCases(context.db, [jointCase])).size > 0;
      return (await assignmentsOf(context.db, [jointCase.id])).some((a) => assignmentOverdue(a, jointCase, today, suspended));
    },
    disputed: async (jointCase: JointCase, _args: unknown, context: Context) => jointCase.status === 'OPEN' && (await suspendedCases(context.db, [jointCase])).size > 0,
  },
};
