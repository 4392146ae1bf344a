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
 * Working days are Monday to Friday, less the public holidays and plus the
 * weekend days worked instead (调休, make-up working days) of the State
 * Council's yearly notice (国务院办公厅关于<year>年部分节假日安排的通知). The
 * dates are the npm package `holiday-calendar` (data/CN/<year>.json, MIT,
 * maintained from the notices; checked against the 2025 and 2026 notices in
 * test/policy/calendar.test.ts): `npm update holiday-calendar` when the next
 * year's notice is out (each November). A year the package does not hold yet
 * counts Monday to Friday (`holidayCalendarCovers` says which years it holds).
 * lib/publication-timeliness.ts counts the same days in SQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isCalendarDate } from './clock';

interface HolidayCalendarYear {
  year: number;
  dates: { date: string; type: 'public_holiday' | 'transfer_workday' | string }[];
}

/** The State Council's calendars the package holds: holidays and make-up working days, by year. */
function readChineseCalendars(): { years: Set<number>; holidays: Set<string>; makeUpWorkingDays: Set<string> } {
  const dir = path.join(path.dirname(require.resolve('holiday-calendar/package.json')), 'data', 'CN');
  const years = new Set<number>();
  const holidays = new Set<string>();
  const makeUpWorkingDays = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((name) => /^\d{4}\.json$/.test(name))) {
    const calendar = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as HolidayCalendarYear;
    years.add(calendar.year);
    for (const { date, type } of calendar.dates) {
      if (type === 'public_holiday') holidays.add(date);
      else if (type === 'transfer_workday') makeUpWorkingDays.add(date);
    }
  }
  return { years, holidays, makeUpWorkingDays };
}

const CHINESE_CALENDARS = readChineseCalendars();

/** Whether the holiday calendar holds `date`'s year (else its working days are Monday to Friday). */
export const holidayCalendarCovers = (date: string): boolean => CHINESE_CALENDARS.years.has(Number(date.slice(0, 4)));

/** A public holiday of the State Council's notice (weekends within a holiday included). */
export const isPublicHoliday = (date: string): boolean => CHINESE_CALENDARS.holidays.has(date);

/** A weekend day worked instead of a holiday (调休上班). */
export const isMakeUpWorkingDay = (date: string): boolean => CHINESE_CALENDARS.makeUpWorkingDays.has(date);

/** Public holidays that fall Monday to Friday, sorted: the days the weekday count must lose (for SQL). */
export const WEEKDAY_HOLIDAYS: readonly string[] = [...CHINESE_CALENDARS.holidays].filter((date) => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}).sort();

/** Make-up working days, sorted: the weekend days the weekday count must gain (for SQL). */
export const MAKE_UP_WORKING_DAYS: readonly string[] = [...CHINESE_CALENDARS.makeUpWorkingDays].sort();

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

/** Monday to Friday unless a public holiday, and a make-up working day on a weekend. */
export function isWorkingDay(date: string): boolean {
  const weekday = parse(date).getUTCDay();
  if (isMakeUpWorkingDay(date)) return true;
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(date);
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
