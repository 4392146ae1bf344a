/**
 * Joint cases: initiate → push → respond → feedback (发起 → 推送 → 响应 →
 * 反馈). A department's determination is opened as a case with the measures
 * the catalogue applies for it; each measure goes to the departments the
 * catalogue names among its implementing departments (认定部门: the
 * initiating department itself) — or, when it names none of the graph's
 * departments (财政, 发展改革, 金融机构…), to the credit office, which relays
 * it to those bodies and reports back for them. Each department has a
 * deadline for its feedback; feedback after it, or none by it, is late and
 * counted; a department whose on-time share of a month falls below the
 * threshold is named in the month's notice (通报).
 *
 * Source: 甘州 二(二), 五(一) (发起、响应、反馈; 推送至实施部门); 柴桑 (十四), (十七)
 * (联合奖惩 by catalogue, feedback of what was done); 甘州 五(六), 六; 柴桑
 * (二十二) (跟踪、监测、统计、评估, 通报). The feedback period and the notice
 * threshold are not stated by the seeds — the values below are to be
 * confirmed by the credit office (one constant each).
 */
import type { Department } from '../vocabulary';
import { addWorkingDays } from './calendar';
import { datedStepRefusal, MAX_RECTIFICATION_MONTHS } from './rectification';

/** How the catalogue names each department among a measure's implementing departments. */
export const IMPLEMENTER_NAMES: Readonly<Record<Department, string>> = {
  MARKET: '市场监管',
  TAX: '税务',
  COURTS: '法院',
  ENVIRONMENT: '生态环境',
  CREDIT_OFFICE: '信用办',
};
/** The catalogue's name for the department that made the determination. */
export const DETERMINING_DEPARTMENT = '认定部门';

/** Working days an implementing department has to report back on a case. To be confirmed by the credit office. */
export const JOINT_CASE_FEEDBACK_WORKING_DAYS = 10;

/** The share of a month's measures fed back on time below which a department is named in the notice. To be confirmed by the credit office. */
export const NOTICE_ON_TIME_THRESHOLD = 0.9;

const DEPARTMENT_ORDER = Object.keys(IMPLEMENTER_NAMES) as Department[];

/**
 * The graph's departments the catalogue names among a measure's implementing
 * departments ('市场监管（登记机关）' names MARKET), 认定部门 being the
 * initiating one; in vocabulary order.
 */
export function namedImplementers(implementing: readonly string[], initiating: Department): Department[] {
  return DEPARTMENT_ORDER.filter(
    (department) => implementing.some((name) => name.startsWith(IMPLEMENTER_NAMES[department])) || (department === initiating && implementing.includes(DETERMINING_DEPARTMENT)),
  );
}

/** Who a case's measure is pushed to: the departments named, or the credit office when none of the graph's is. */
export function caseImplementers(implementing: readonly string[], initiating: Department): Department[] {
  const named = namedImplementers(implementing, initiating);
  return named.length > 0 ? named : ['CREDIT_OFFICE'];
}

/** Per department, the case's measures it implements (codes in the order given). */
export function caseAssignments(measures: readonly { code: string; implementing: readonly string[] }[], initiating: Department): Map<Department, string[]> {
  const assignments = new Map<Department, string[]>();
  for (const measure of measures) {
    for (const department of caseImplementers(measure.implementing, initiating)) {
      assignments.set(department, [...(assignments.get(department) ?? []), measure.code]);
    }
  }
  return new Map(DEPARTMENT_ORDER.filter((d) => assignments.has(d)).map((d) => [d, assignments.get(d)!]));
}

/** The default deadline of a department's feedback on a case opened on `openedOn`. */
export const feedbackDeadline = (openedOn: string): string => addWorkingDays(openedOn, JOINT_CASE_FEEDBACK_WORKING_DAYS);

/**
 * A feedback deadline given when a case is opened: not in the past and at most
 * MAX_FEEDBACK_MONTHS ahead — the bound of rectification orders (datedStepRefusal): a
 * deadline of 9999-12-31 would never fall due nor be late. Null when it holds.
 */
export const MAX_FEEDBACK_MONTHS = MAX_RECTIFICATION_MONTHS;
export const feedbackDeadlineRefusal = (deadline: string, today: string) => datedStepRefusal({ recordSince: null, start: today, deadline }, today, MAX_FEEDBACK_MONTHS)?.reason ?? null;

/**
 * Whether feedback given on `reportedOn` (null: none yet, as of `today`) is late for `deadline`.
 * `suspended`: the case's record is disputed by an open objection — its measures are suspended
 * while the department verifies (柴桑 (二十一)), so feedback not yet given is not late meanwhile.
 */
export const feedbackLate = (deadline: string, reportedOn: string | null, today: string, suspended = false): boolean =>
  (reportedOn ?? today) > deadline && (reportedOn !== null || (today > deadline && !suspended));

/** Whether a pushed measure is due on `today`: reported on, or its deadline has passed and it is not suspended (one not yet due counts neither way). */
export const feedbackDue = (deadline: string, reportedOn: string | null, today: string, suspended = false): boolean => reportedOn !== null || (today > deadline && !suspended);

/**
 * The departments a month's notice names: those with measures due whose
 * on-time share of them is below `threshold` (a measure still within its
 * deadline counts neither way).
 */
export function departmentsBelowThreshold<T extends { measuresDue: number; measuresOnTime: number }>(rows: readonly T[], threshold: number): T[] {
  return rows.filter((row) => row.measuresDue > 0 && row.measuresOnTime / row.measuresDue < threshold);
}

/**
 * The department a feedback's `department` names: its enum value or its catalogue name
 * (`市场监管` in 市市场监管局), or null for a body outside the graph (财政, 发展改革…). The credit
 * office reporting in a department's name reports for that department (柴桑 (十七): what the
 * implementing department did), so its feedback counts as that department's.
 */
export function namedDepartment(text: string): Department | null {
  return DEPARTMENT_ORDER.find((department) => text === department || text.includes(IMPLEMENTER_NAMES[department])) ?? null;
}

/**
 * One feedback per (case, measure, department) (甘州 五(六): a measure is applied or not, and the
 * statistics count it once): what a department reports again on a measure it reported on is the
 * same feedback — a retry, answered with the first — when its action and note are the same, and
 * contradicts it otherwise (APPLIED, then NOT_APPLIED), which is refused.
 */
export const repeatsFeedback = (recorded: { action: string; note: string | null }, given: { action: string; note: string | null }): boolean =>
  recorded.action === given.action && (recorded.note ?? null) === (given.note ?? null);
