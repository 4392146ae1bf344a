/**
 * "Double publicity" (双公示): an administrative licence or penalty must be
 * published within 7 working days of its decision. The departments that
 * publish such decisions (market: licences and penalties; environment:
 * penalties) report how their decisions of a period fared, each over its own
 * table, with this one function.
 *
 * Working days are those of the one calendar (lib/calendar.ts): Monday to
 * Friday less the State Council's public holidays, plus its make-up working
 * days (调休). A decision of Monday 29 September 2025 must be published by
 * Wednesday 15 October: 1 to 8 October are holidays, Saturday 11 October is
 * worked.
 *
 * The deadline is the 7th working day after the decision day: a decision of
 * Monday 2 June 2025 must be published by Wednesday 11 June; published on
 * Thursday 12 June it is late. A decision of Wednesday 4 June has its deadline
 * on Friday 13 June, and a publication on Saturday 14 June is late too.
 */
import type { Queryable } from './db';
import { requirePeriod, type Period } from './period';
import { todayInChina } from './clock';
import { MAKE_UP_WORKING_DAYS, WEEKDAY_HOLIDAYS } from './calendar';

export const PUBLICATION_WORKING_DAYS = 7;

export interface PublicationCounts {
  /** Decisions made in the period. */
  decided: number;
  /** Of those, published (at any time). */
  published: number;
  /** Published after the deadline. */
  publishedLate: number;
  /** Not published (yet). */
  unpublished: number;
  /** Not published and the deadline has passed (today is after it). */
  unpublishedOverdue: number;
}

/** A monday long before any record: day numbers from it make weekdays arithmetic. */
const MONDAY = `DATE '1900-01-01'`;

/** Weekdays in [epoch, day) for a day number `x` (days since MONDAY): five per full week, plus at most five of the rest. */
const weekdaysBefore = (x: string) => `(5 * ((${x}) / 7) + least((${x}) % 7, 5))`;

/** A date array literal of the calendar's days (generated from the package's data, never from input). */
const dateArray = (dates: readonly string[]) => `'{${dates.join(',')}}'::date[]`;

/** SQL: how many of `dates` fall strictly after `start` and strictly before `end`. */
const daysWithin = (dates: readonly string[], start: string, end: string) =>
  `(SELECT count(*) FROM unnest(${dateArray(dates)}) AS calendar_day(calendar_date) WHERE calendar_day.calendar_date > (${start}) AND calendar_day.calendar_date < (${end}))::int`;

/**
 * SQL: the number of working days strictly after `start` and strictly before
 * `end` (both date expressions); zero or less when `end` is not after `start`:
 * the weekdays between, less the public holidays on weekdays, plus the
 * make-up working days. Publishing on `end` is late exactly when this reaches
 * 7 (the 7th working day after `start` has passed before `end`).
 */
export function workingDaysBetweenSql(start: string, end: string): string {
  return `(${weekdaysBefore(`(${end}) - ${MONDAY}`)} - ${weekdaysBefore(`(${start}) + 1 - ${MONDAY}`)}` +
    ` - ${daysWithin(WEEKDAY_HOLIDAYS, start, end)} + ${daysWithin(MAKE_UP_WORKING_DAYS, start, end)})`;
}

/**
 * SQL: how many working days past the deadline a decision of `start`
 * published (or still unpublished) on `end` is: 1 up to the first working day
 * after the deadline, 2 up to the second, …; 0 or less when on time.
 */
export function workingDaysLateSql(start: string, end: string): string {
  return `(${workingDaysBetweenSql(start, end)} - ${PUBLICATION_WORKING_DAYS - 1})`;
}

const TABLE = /^[a-z_][a-z0-9_]*$/;

/**
 * How the decisions of `table` (columns decided_on date, published_on date
 * or null) decided in `period` (inclusive) were published, by `today` (China
 * date). One statement.
 */
export async function publicationTimeliness(q: Queryable, table: string, period: Period, today: string): Promise<PublicationCounts> {
  if (!TABLE.test(table)) throw new Error(`invalid table name: ${table}`);
  const late = `${workingDaysBetweenSql('decided_on', 'published_on')} >= ${PUBLICATION_WORKING_DAYS}`;
  const overdue = `${workingDaysBetweenSql('decided_on', '$3::date')} >= ${PUBLICATION_WORKING_DAYS}`;
  const [row] = await q.query<PublicationCounts>(
    `SELECT count(*)::int AS decided,
            count(published_on)::int AS published,
            (count(*) FILTER (WHERE published_on IS NOT NULL AND ${late}))::int AS "publishedLate",
            (count(*) FILTER (WHERE published_on IS NULL))::int AS unpublished,
            (count(*) FILTER (WHERE published_on IS NULL AND ${overdue}))::int AS "unpublishedOverdue"
       FROM ${table}
      WHERE decided_on BETWEEN $1::date AND $2::date`,
    [period.from, period.to, today],
  );
  return row ?? { decided: 0, published: 0, publishedLate: 0, unpublished: 0, unpublishedOverdue: 0 };
}

export interface PublicationTimeliness extends Period {
  licences: PublicationCounts | null;
  penalties: PublicationCounts;
}

/**
 * The resolver of a department's `<department>PublicationTimeliness(from, to)`
 * root field over its tables of licence and penalty decisions.
 */
export function publicationTimelinessResolver(tables: { licences?: string; penalties: string }) {
  return async (_root: unknown, args: { from: string; to: string }, context: { db: Queryable }): Promise<PublicationTimeliness> => {
    const period = requirePeriod(args.from, args.to);
    const today = todayInChina();
    const [licences, penalties] = await Promise.all([
      tables.licences ? publicationTimeliness(context.db, tables.licences, period, today) : null,
      publicationTimeliness(context.db, tables.penalties, period, today),
    ]);
    return { ...period, licences, penalties };
  };
}
