/**
 * Double publicity (双公示, 甘州 五(三)): the administrative licences and penalties a department
 * has published, newest publication first, with whether each was published within 7 working days
 * of its decision (lib/publication-timeliness.ts). Only what the rules publish today is listed
 * (lib/disclosure.ts DISCLOSED_SQL), whoever asks: this is the public listing. The credit office's
 * decisions apply as in the department's profiles (lib/record-status.ts): a record withdrawn
 * (revoked, corrected, repaired) is not listed, a disputed one carries its mark. Each department
 * that publishes decisions (market: licences and penalties; environment: penalties) serves its
 * own `<department>DoublePublicity` field over its own tables with this one function.
 */
import type { Queryable } from './db';
import { badUserInput } from './errors';
import { isCalendarDate, todayInChina } from './clock';
import { DISCLOSED_SQL } from './disclosure';
import { addWorkingDays } from './calendar';
import { requirePeriod } from './period';
import { PUBLICATION_WORKING_DAYS, workingDaysBetweenSql, workingDaysLateSql } from './publication-timeliness';

export const MAX_PUBLICITY_PAGE = 100;

type DecisionKind = 'LICENCE' | 'PENALTY';

/** How each kind of decision is read: the disclosure rule, and the columns of its title and basis. */
const KINDS: Record<DecisionKind, { rule: keyof typeof DISCLOSED_SQL; title: string; basis: string }> = {
  LICENCE: { rule: 'licence', title: 'licence_name', basis: 'NULL::text' },
  PENALTY: { rule: 'penalty', title: 'violation', basis: 'basis' },
};

/** A department's tables of decisions by kind; a kind it has no table for it does not decide. */
export type DecisionTables = Partial<Record<DecisionKind, string>>;

const TABLE = /^[a-z_][a-z0-9_]*$/;

interface DecisionRow {
  id: string;
  subject_code: string;
  decisionNumber: string;
  title: string;
  content: string;
  basis: string | null;
  authority: string;
  decidedOn: string;
  publishedOn: string;
  onTime: boolean;
  dispute_since: string | null;
  dispute_verify_by: string | null;
}

function encodeCursor(row: { publishedOn: string; id: string }): string {
  return Buffer.from(`${row.publishedOn}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { publishedOn: string; id: string } {
  const match = /^(\d{4}-\d{2}-\d{2})\|(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || !isCalendarDate(match[1]!)) throw badUserInput(`'after' is not a cursor returned by doublePublicity: ${cursor}`, { reason: 'CURSOR', input: cursor });
  return { publishedOn: match[1]!, id: match[2]! };
}

function optionalDate(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!isCalendarDate(value)) throw badUserInput(`'${field}' must be an ISO-8601 date (YYYY-MM-DD), got '${value}'`, { field, reason: 'DATE', input: value });
  return value;
}

export interface PublicityArgs {
  kind: DecisionKind;
  authority?: string | null;
  from?: string | null;
  to?: string | null;
  first: number;
  after?: string | null;
}

export async function publishedDecisions(db: Queryable, tables: DecisionTables, args: PublicityArgs, today = todayInChina()) {
  const table = tables[args.kind];
  if (!table) throw badUserInput(`this department publishes no ${args.kind === 'LICENCE' ? 'licences' : 'penalties'}`, { reason: 'KIND', input: args.kind });
  if (!TABLE.test(table)) throw new Error(`invalid table name: ${table}`);
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PUBLICITY_PAGE) {
    throw badUserInput(`'first' must be between 1 and ${MAX_PUBLICITY_PAGE}, got ${args.first}`, { reason: 'PAGE_SIZE' });
  }
  const from = optionalDate('from', args.from);
  const to = optionalDate('to', args.to);
  if (from && to && from > to) throw badUserInput(`'from' (${from}) is after 'to' (${to})`, { field: 'from', reason: 'PERIOD' });
  const authority = args.authority?.trim() || null;
  const after = args.after ? decodeCursor(args.after) : null;
  const source = KINDS[args.kind];
  // A decision's record id is `<table>/<decision number>` (the form the department's profile publishes).
  const rows = await db.query<DecisionRow>(
    `SELECT id::text AS id, ${table}.subject_code, decision_number AS "decisionNumber", ${source.title} AS title, content, ${source.basis} AS basis,
            authority, decided_on::text AS "decidedOn", published_on::text AS "publishedOn",
            ${workingDaysBetweenSql('decided_on', 'published_on')} < ${PUBLICATION_WORKING_DAYS} AS "onTime",
            status.disputed_since::text AS dispute_since, status.dispute_verify_by::text AS dispute_verify_by
       FROM ${table}
       LEFT JOIN record_status status ON status.record_id = '${table}/' || decision_number
      WHERE ${DISCLOSED_SQL[source.rule]('$1::date')}
        AND status.withdrawn_on IS NULL
        AND ($2::text IS NULL OR strpos(authority, $2::text) > 0)
        AND ($3::date IS NULL OR decided_on >= $3::date)
        AND ($4::date IS NULL OR decided_on <= $4::date)
        AND ($5::date IS NULL OR (published_on, id) < ($5::date, $6::bigint))
      ORDER BY published_on DESC, id DESC
      LIMIT $7`,
    [today, authority, from, to, after?.publishedOn ?? null, after?.id ?? null, args.first + 1],
  );
  const nodes = rows.slice(0, args.first).map(({ dispute_since, dispute_verify_by, ...row }) => ({
    ...row,
    kind: args.kind,
    subject: { code: row.subject_code },
    dispute: dispute_since && dispute_verify_by ? { since: dispute_since, verifyBy: dispute_verify_by } : null,
  }));
  const last = nodes[nodes.length - 1];
  return { nodes, endCursor: last ? encodeCursor(last) : null, hasNextPage: rows.length > args.first };
}

/** The resolver of a department's `<department>DoublePublicity` root field over its decision tables. */
export function doublePublicityResolver(tables: DecisionTables) {
  return (_root: unknown, args: PublicityArgs, context: { db: Queryable }) => publishedDecisions(context.db, tables, args);
}

// ---------------------------------------------------------------- late publications

export interface LatePublicationArgs {
  kind: DecisionKind;
  authority?: string | null;
  from: string;
  to: string;
  first: number;
  after?: string | null;
}

interface LateRow {
  id: string;
  subject_code: string;
  decisionNumber: string;
  title: string;
  authority: string;
  decidedOn: string;
  publishedOn: string | null;
  workingDaysLate: number;
}

function encodeLateCursor(row: { decidedOn: string; id: string }): string {
  return Buffer.from(`late|${row.decidedOn}|${row.id}`).toString('base64url');
}

function decodeLateCursor(cursor: string): { decidedOn: string; id: string } {
  const match = /^late\|(\d{4}-\d{2}-\d{2})\|(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || !isCalendarDate(match[1]!)) throw badUserInput(`'after' is not a cursor returned by latePublications: ${cursor}`, { reason: 'CURSOR', input: cursor });
  return { decidedOn: match[1]!, id: match[2]! };
}

/**
 * Double publicity's late list (甘州 二(三); 柴桑 (十六)): the decisions of
 * `kind` decided in the period (at most 5 years) that were published after
 * the 7th working day, or are still unpublished past it today — which
 * decision, which authority, decided, the deadline, published, and how many
 * working days late (public holidays and make-up working days counted,
 * lib/calendar.ts). Newest decision first, optionally one authority's (name
 * contains `authority`). For supervising the departments (statistics).
 */
export async function latePublications(db: Queryable, tables: DecisionTables, args: LatePublicationArgs, today = todayInChina()) {
  const table = tables[args.kind];
  if (!table) throw badUserInput(`this department publishes no ${args.kind === 'LICENCE' ? 'licences' : 'penalties'}`, { reason: 'KIND', input: args.kind });
  if (!TABLE.test(table)) throw new Error(`invalid table name: ${table}`);
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PUBLICITY_PAGE) {
    throw badUserInput(`'first' must be between 1 and ${MAX_PUBLICITY_PAGE}, got ${args.first}`, { reason: 'PAGE_SIZE' });
  }
  const period = requirePeriod(args.from, args.to);
  const authority = args.authority?.trim() || null;
  const after = args.after ? decodeLateCursor(args.after) : null;
  const late = workingDaysLateSql('decided_on', 'COALESCE(published_on, $3::date)');
  const rows = await db.query<LateRow>(
    `SELECT * FROM (
       SELECT id::text AS id, subject_code, decision_number AS "decisionNumber", ${KINDS[args.kind].title} AS title, authority,
              decided_on::text AS "decidedOn", published_on::text AS "publishedOn", ${late} AS "workingDaysLate", id AS row_id, decided_on
         FROM ${table}
        WHERE decided_on BETWEEN $1::date AND $2::date
          AND ($4::text IS NULL OR strpos(authority, $4::text) > 0)
          AND ($5::date IS NULL OR (decided_on, id) < ($5::date, $6::bigint))) AS decisions
      WHERE "workingDaysLate" > 0
      ORDER BY decided_on DESC, row_id DESC
      LIMIT $7`,
    [period.from, period.to, today, authority, after?.decidedOn ?? null, after?.id ?? null, args.first + 1],
  );
  const nodes = rows.slice(0, args.first).map((row) => ({
    kind: args.kind,
    subject: { code: row.subject_code },
    decisionNumber: row.decisionNumber,
    title: row.title,
    authority: row.authority,
    decidedOn: row.decidedOn,
    deadline: addWorkingDays(row.decidedOn, PUBLICATION_WORKING_DAYS),
    publishedOn: row.publishedOn,
    workingDaysLate: row.workingDaysLate,
    id: row.id,
  }));
  const last = nodes[nodes.length - 1];
  return { nodes, endCursor: last ? encodeLateCursor(last) : null, hasNextPage: rows.length > args.first };
}

/** The resolver of a department's `<department>LatePublications` root field over its decision tables. */
export function latePublicationsResolver(tables: DecisionTables) {
  return (_root: unknown, args: LatePublicationArgs, context: { db: Queryable }) => latePublications(context.db, tables, args);
}
