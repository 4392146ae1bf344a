/**
 * Tracking (跟踪统计): what the credit office did in a period — checks made
 * and their verdicts, hits, the measures applied per initiating department
 * and whether the implementing departments fed back, and the objections each
 * department has to verify, open and overdue. Three statements whatever the
 * number of departments or scenarios.
 *
 * A period is China calendar dates, both ends inclusive. Checks (and the
 * measures they applied) count by the day they were requested, objections by
 * the day they were filed; "open" and "overdue" are as of today.
 */
import type { Queryable } from '../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../lib/subgraph';
import { requirePeriod, type Period } from '../../lib/period';
import { todayInChina } from '../../lib/clock';
import { badUserInput } from '../../lib/errors';
import { addDays, addMonths, departmentsBelowThreshold, feedbackDue, feedbackLate, NOTICE_ON_TIME_THRESHOLD } from './policy';
import { DEPARTMENTS, recordKey, type Department, type Scenario } from './vocabulary';
import { disputedRecords } from './workflows/status';

type Verdict = 'CLEAR' | 'INCENTIVE' | 'RESTRICTED' | 'PROHIBITED' | 'INCONCLUSIVE';

/** Verdicts that found something: a measure applies (an incentive or a punishment). */
export const HIT_VERDICTS: readonly Verdict[] = ['INCENTIVE', 'RESTRICTED', 'PROHIBITED'];

export interface CheckCount {
  scenario: Scenario;
  /** null: requested but never decided. */
  verdict: Verdict | null;
  count: number;
}

export interface DepartmentCheckStatistics {
  department: Department;
  measuresApplied: number;
  measuresFedBack: number;
  feedbackReports: number;
  objectionsFiled: number;
  objectionsOpen: number;
  objectionsOverdue: number;
}

export interface CreditStatistics {
  from: string;
  to: string;
  checksTotal: number;
  hits: number;
  checks: CheckCount[];
  byDepartment: DepartmentCheckStatistics[];
}

/** A timestamptz column within the period's China dates (index-friendly: the column is compared, not converted). */
const inPeriod = (column: string) =>
  `${column} >= ($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai' AND ${column} < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`;

export async function creditStatistics(q: Queryable, period: Period, today: string): Promise<CreditStatistics> {
  const params = [period.from, period.to];
  const [checks, measures, objections] = await Promise.all([
    q.query<CheckCount>(
      `SELECT scenario, verdict, count(*)::int AS count
         FROM credit_check
        WHERE ${inPeriod('requested_at')}
        GROUP BY scenario, verdict
        ORDER BY scenario, verdict NULLS LAST`,
      params,
    ),
    // A feedback report names the check and the measure's code; it is about
    // every applied measure of that check with that code (normally one).
    q.query<{ department: Department; measuresApplied: number; measuresFedBack: number; feedbackReports: number }>(
      `SELECT m.initiating_department AS department,
              count(*)::int AS "measuresApplied",
              (count(*) FILTER (WHERE f.reports > 0))::int AS "measuresFedBack",
              coalesce(sum(f.reports), 0)::int AS "feedbackReports"
         FROM applied_measure m
         JOIN credit_check c ON c.check_id = m.check_id
         CROSS JOIN LATERAL (SELECT count(*) AS reports FROM feedback
                              WHERE feedback.check_id = m.check_id AND feedback.measure_code = m.measure_code) f
        WHERE ${inPeriod('c.requested_at')}
        GROUP BY m.initiating_department`,
      params,
    ),
    q.query<{ department: Department; objectionsFiled: number; objectionsOpen: number; objectionsOverdue: number }>(
      `SELECT department,
              count(*)::int AS "objectionsFiled",
              (count(*) FILTER (WHERE status = 'OPEN'))::int AS "objectionsOpen",
              (count(*) FILTER (WHERE status = 'OPEN' AND verify_by < $3::date))::int AS "objectionsOverdue"
         FROM objection
        WHERE ${inPeriod('filed_at')}
        GROUP BY department`,
      [...params, today],
    ),
  ]);
  const measuresOf = new Map(measures.map((row) => [row.department, row]));
  const objectionsOf = new Map(objections.map((row) => [row.department, row]));
  const checksTotal = checks.reduce((sum, row) => sum + row.count, 0);
  const hits = checks.filter((row) => row.verdict && HIT_VERDICTS.includes(row.verdict)).reduce((sum, row) => sum + row.count, 0);
  return {
    ...period,
    checksTotal,
    hits,
    checks,
    // Every department, in a fixed order, so a report has the same rows every period.
    byDepartment: DEPARTMENTS.map((department) => {
      const m = measuresOf.get(department);
      const o = objectionsOf.get(department);
      return {
        department,
        measuresApplied: m?.measuresApplied ?? 0,
        measuresFedBack: m?.measuresFedBack ?? 0,
        feedbackReports: m?.feedbackReports ?? 0,
        objectionsFiled: o?.objectionsFiled ?? 0,
        objectionsOpen: o?.objectionsOpen ?? 0,
        objectionsOverdue: o?.objectionsOverdue ?? 0,
      };
    }),
  };
}

// ---------------------------------------------------------------- per implementing department (甘州 五(六), 六; 柴桑 (二十二))

export interface ImplementationStatistics {
  department: Department;
  /** Measures of joint cases opened in the period pushed to the department. */
  measuresReceived: number;
  /** Of those, reported APPLIED by it. */
  measuresApplied: number;
  /** Of those, reported on (any action). */
  measuresFedBack: number;
  /** Reported on by the deadline. */
  measuresOnTime: number;
  /** Reported after the deadline, or not yet and the deadline has passed (policy feedbackLate). */
  measuresLate: number;
  /** Not reported on yet (the feedback gap). */
  measuresAwaiting: number;
  /** Reported on, or past the deadline (policy feedbackDue). */
  measuresDue: number;
  /** measuresOnTime / measuresDue; null when none is due. */
  onTimeRate: number | null;
}

/**
 * Per implementing department (every department, fixed order), what the
 * joint cases opened in the period pushed to it and how it fed back. One
 * statement: a row per pushed measure, counted by the policy's lateness.
 */
export async function implementationStatistics(q: Queryable, period: Period, today: string): Promise<ImplementationStatistics[]> {
  const rows = await q.query<{ department: Department; deadline: string; reportedOn: string | null; applied: boolean; initiating: Department; recordId: string }>(
    // Each pushed measure of a determination once (the earliest case: duplicates opened before they were refused count once);
    // not a withdrawn case's (its record was revoked, corrected or repaired: nothing is due on a determination that no longer exists).
    `SELECT DISTINCT ON (c.initiating_department, c.record_id, a.department, m.code) a.department, a.deadline::text AS deadline,
            c.initiating_department AS initiating, c.record_id AS "recordId",
            (SELECT min((f.submitted_at AT TIME ZONE 'Asia/Shanghai')::date)::text FROM feedback f
              WHERE f.joint_case_id = a.joint_case_id AND f.reporting_department = a.department AND f.measure_code = m.code) AS "reportedOn",
            EXISTS (SELECT 1 FROM feedback f WHERE f.joint_case_id = a.joint_case_id AND f.reporting_department = a.department
                                              AND f.measure_code = m.code AND f.action = 'APPLIED') AS applied
       FROM joint_case_assignment a
       JOIN joint_case c ON c.id = a.joint_case_id
      CROSS JOIN LATERAL unnest(a.measure_codes) AS m(code)
      WHERE ${inPeriod('c.created_at')} AND c.withdrawn_on IS NULL
      ORDER BY c.initiating_department, c.record_id, a.department, m.code, c.id`,
    [period.from, period.to],
  );
  // A disputed case's deadlines are suspended while its record is verified (柴桑 (二十一)): not due, not late meanwhile.
  const disputed = await disputedRecords(q, rows.map((row) => ({ department: row.initiating, recordId: row.recordId })));
  const suspended = (row: { initiating: Department; recordId: string }) => disputed.has(recordKey({ department: row.initiating, recordId: row.recordId }));
  return DEPARTMENTS.map((department) => {
    const mine = rows.filter((row) => row.department === department);
    const onTime = mine.filter((row) => row.reportedOn !== null && row.reportedOn <= row.deadline).length;
    const due = mine.filter((row) => feedbackDue(row.deadline, row.reportedOn, today, suspended(row))).length;
    return {
      department,
      measuresReceived: mine.length,
      measuresApplied: mine.filter((row) => row.applied).length,
      measuresFedBack: mine.filter((row) => row.reportedOn !== null).length,
      measuresOnTime: onTime,
      measuresLate: mine.filter((row) => feedbackLate(row.deadline, row.reportedOn, today, suspended(row))).length,
      measuresAwaiting: mine.filter((row) => row.reportedOn === null).length,
      measuresDue: due,
      onTimeRate: due > 0 ? onTime / due : null,
    };
  });
}

/** A month written YYYY-MM, as its first and last day. */
function monthPeriod(month: string): Period {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw badUserInput(`'month' must be YYYY-MM, got '${month}'`, { field: 'month', reason: 'MONTH', input: month });
  const from = `${month}-01`;
  return { from, to: addDays(addMonths(from, 1), -1) };
}

/**
 * The month's notice (通报): the implementing departments whose measures of
 * the month's joint cases were fed back on time less than `threshold` of the
 * time (default the policy's NOTICE_ON_TIME_THRESHOLD), worst first.
 */
export async function implementationNotice(q: Queryable, month: string, threshold: number | null | undefined, today: string) {
  const period = monthPeriod(month);
  const limit = threshold ?? NOTICE_ON_TIME_THRESHOLD;
  if (!(Number.isFinite(limit) && limit > 0 && limit <= 1)) throw badUserInput(`'threshold' is a share more than 0 and at most 1, got ${limit}`, { field: 'threshold', reason: 'THRESHOLD' });
  const rows = await implementationStatistics(q, period, today);
  const below = departmentsBelowThreshold(rows, limit).sort((a, b) => (a.onTimeRate ?? 0) - (b.onTimeRate ?? 0));
  return { month, ...period, threshold: limit, issuedOn: today, departments: below, all: rows };
}

type Context = SubgraphContext<unknown>;

export const statisticsResolvers: ResolverMap = {
  Query: {
    creditStatistics: (_root: unknown, args: { from: string; to: string }, context: Context) =>
      creditStatistics(context.db, requirePeriod(args.from, args.to), todayInChina()),
    implementationStatistics: async (_root: unknown, args: { from: string; to: string }, context: Context) => {
      const period = requirePeriod(args.from, args.to);
      return { ...period, byDepartment: await implementationStatistics(context.db, period, todayInChina()) };
    },
    implementationNotice: (_root: unknown, args: { month: string; threshold?: number | null }, context: Context) =>
      implementationNotice(context.db, args.month, args.threshold, todayInChina()),
  },
};
