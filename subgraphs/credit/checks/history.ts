/**
 * Check history (可查可核可溯): a recorded check read back by its checkId —
 * its inputs (code, scenario, who asked and why), the catalogue version, the
 * verdict, the measures as decided (each once, with its triggers, against the
 * catalogue version it was decided with) and the feedback on it — and a
 * subject's past checks.
 */
import DataLoader from 'dataloader';
import type { Queryable } from '../../../lib/db';
import { isNaturalPerson } from '../../../lib/identifiers';
import { badUserInput, requireSubjectCode } from '../../../lib/errors';
import type { ResolverMap, SubgraphContext } from '../../../lib/subgraph';
import { catalogueVersion } from '../catalogue';
import { feedbackFor, parseCheckId } from '../workflows/feedback';
import { perRequest } from '../workflows/common';
import type { Department, Trigger } from '../vocabulary';
import { appliedMeasure, type AppliedMeasure, type MeasureTrigger } from './decide';
import { checksById, type CheckRow } from './store';

export const MAX_HISTORY = 100;

interface AppliedMeasureRow {
  measure_code: string;
  trigger: Trigger;
  initiating_department: Department;
  record_id: string;
  record_subject_code: string;
  until: string | null;
  suspended: boolean;
}

/** The measures a decided check applied, as it applied them: one per code, its triggers in the order stored. */
export async function measuresOfCheck(q: Queryable, check: CheckRow): Promise<AppliedMeasure[]> {
  if (check.catalogueVersion === null) return [];
  const rows = await q.query<AppliedMeasureRow>(
    `SELECT measure_code, trigger, initiating_department, record_id, record_subject_code, until::text AS until, suspended
       FROM applied_measure WHERE check_id = $1::uuid ORDER BY id`,
    [check.checkId],
  );
  const catalogue = await catalogueVersion(q, check.catalogueVersion);
  const byCode = new Map<string, MeasureTrigger[]>();
  for (const row of rows) {
    const triggers = byCode.get(row.measure_code) ?? [];
    triggers.push({
      trigger: row.trigger,
      initiatingDepartment: row.initiating_department,
      recordId: row.record_id,
      recordSubjectCode: row.record_subject_code,
      until: row.until,
      suspended: row.suspended,
    });
    byCode.set(row.measure_code, triggers);
  }
  const isPerson = isNaturalPerson(check.code);
  return [...byCode].flatMap(([code, triggers]) => {
    const measure = catalogue.measures.find((m) => m.code === code);
    return measure ? [appliedMeasure(measure, triggers, isPerson)] : [];
  });
}

/** The latest `first` checks of each code, newest first, in one statement per batch. */
export async function checkHistories(q: Queryable, codes: readonly string[], first: number): Promise<Map<string, CheckRow[]>> {
  const rows = await q.query<{ checkId: string; code: string }>(
    `SELECT "checkId", code FROM (
       SELECT check_id::text AS "checkId", subject_code AS code, requested_at,
              row_number() OVER (PARTITION BY subject_code ORDER BY requested_at DESC, check_id) AS n
         FROM credit_check WHERE subject_code = ANY($1::text[])) AS ranked
      WHERE n <= $2 ORDER BY code, requested_at DESC, "checkId"`,
    [codes, first],
  );
  const byId = await checksById(q, rows.map((row) => row.checkId));
  const histories = new Map<string, CheckRow[]>(codes.map((code) => [code, []]));
  for (const row of rows) histories.get(row.code)!.push(byId.get(row.checkId)!);
  return histories;
}

/** `Subject.creditCheckHistory` of every subject of a request: one batch per page size asked for. */
const historiesOf = perRequest(
  (db) =>
    new DataLoader<string, CheckRow[], string>(async (keys) => {
      const byFirst = new Map<number, string[]>();
      for (const key of keys) {
        const [code, first] = key.split('|') as [string, string];
        byFirst.set(Number(first), [...(byFirst.get(Number(first)) ?? []), code]);
      }
      const answers = new Map<string, CheckRow[]>();
      for (const [first, codes] of byFirst) {
        for (const [code, history] of await checkHistories(db, codes, first)) answers.set(`${code}|${first}`, history);
      }
      return keys.map((key) => answers.get(key)!);
    }),
);

type Context = SubgraphContext<unknown>;

export const historyResolvers: ResolverMap = {
  Query: {
    creditCheckRecord: async (_root: unknown, args: { checkId: string }, context: Context) => {
      const checkId = parseCheckId(args.checkId);
      if (!checkId) return null;
      const check = (await checksById(context.db, [checkId])).get(checkId);
      if (!check) return null;
      // A caller reads back its own checks; the credit office (audit) reads anyone's.
      const own = context.caller.clientId !== null && check.requestedBy === context.caller.clientId;
      return own || context.caller.scopes.includes('audit') ? check : null;
    },
  },
  Subject: {
    creditCheckHistory: async (subject: { code: string }, args: { first: number }, context: Context) => {
      if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_HISTORY) {
        throw badUserInput(`'first' must be between 1 and ${MAX_HISTORY}, got ${args.first}`, { field: 'first' });
      }
      return historiesOf(context).load(`${requireSubjectCode(subject.code)}|${args.first}`);
    },
  },
  CreditCheckRecord: {
    measures: (check: CheckRow, _args: unknown, context: Context) => measuresOfCheck(context.db, check),
    feedback: (check: CheckRow, _args: unknown, context: Context) => feedbackFor(context.db, { checkId: check.checkId }),
  },
};
