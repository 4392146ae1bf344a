/**
 * The one calendar of the graph: China calendar dates written YYYY-MM-DD
 * (lib/clock.ts), day, month and year arithmetic, and working days. It lives
 * in lib/ because the departments count with it too (lib/period.ts,
 * lib/publication-timeliness.ts) and a department never imports the credit
 * office's code; the credit policy re-exports it (subgraphs/credit/policy/calendar.ts).
 * Every period of the seeds is counted here: repair minimums (months), the
 * objection deadline (days), the three-year window and publication periods
 * (years), the double-publicity deadline (working days).
 *
 * Month arithmetic clamps to the end of the month: Nov 30 + 3 months is the
 * last day of February, never a day of March (a period "of three months" from
 * Nov 30 is over before March begins); Feb 29 + 1 year is Feb 28.
 *
 * Working days are Monday to Friday. Public holidays and the weekend days
 * China works instead (调休) are not modelled: the graph holds no holiday
 * calendar (lib/publication-timeliness.ts counts the same days in SQL).
 */
import { isCalendarDate } from './clock';

const MS_PER_DAY = 86_400_000;

function parse(date: string): Date {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date YYYY-MM-DD: ${date}`);
  return new Date(`${date}T00:00:00Z`);
}

const format = (d: Date): string => d.toISOString().slice(0, 10);

/** `date` moved by `days` calendar days (negative: earlier). */
export function addDays(date: string, days: number): string {
  const d = parse(date);
  d.setUTCDate(d.getUTCDate() + days);
  return format(d);
}

/** Calendar months later (negative: earlier); a day the target month lacks becomes its last day. */
export function addMonths(date: string, months: number): string {
  const d = parse(date);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return format(target);
}

/** Calendar years later (negative: earlier), as 12 months: Feb 29 falls to Feb 28. */
export const addYears = (date: string, years: number): string => addMonths(date, 12 * years);

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / MS_PER_DAY);
}

/** Monday to Friday. */
export function isWorkingDay(date: string): boolean {
  const weekday = parse(date).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The `workingDays`-th working day after `date` (0: `date` itself). */
export function addWorkingDays(date: string, workingDays: number): string {
  if (!Number.isInteger(workingDays) || workingDays < 0) throw new RangeError(`working days must be a whole number >= 0, got ${workingDays}`);
  let result = date;
  for (let left = workingDays; left > 0; ) {
    result = addDays(result, 1);
    if (isWorkingDay(result)) left -= 1;
  }
  return result;
}

/** Working days strictly after `start` and strictly before `end`; 0 when `end` is not after `start`. */
export function workingDaysBetween(start: string, end: string): number {
  let count = 0;
  for (let day = addDays(start, 1); day < end; day = addDays(day, 1)) if (isWorkingDay(day)) count += 1;
  return count;
}
