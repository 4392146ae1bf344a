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
import { DEPARTMENTS, type Department, type Scenario } from './vocabulary';

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

type Context = SubgraphContext<unknown>;

export const statisticsResolvers: ResolverMap = {
  Query: {
    creditStatistics: (_root: unknown, args: { from: string; to: string }, context: Context) =>
      creditStatistics(context.db, requirePeriod(args.from, args.to), todayInChina()),
  },
};
