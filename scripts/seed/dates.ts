/**
 * Calendar dates as day numbers (days since 1970-01-01, UTC). Record dates
 * have no time of day, and whole-day arithmetic on integers cannot drift over
 * daylight saving or time zones; they become 'YYYY-MM-DD' only in the rows.
 * Periods (years, working days) are the one calendar's (lib/calendar.ts).
 */
import * as calendar from '../../lib/calendar';

const MS_PER_DAY = 86_400_000;

export type Day = number;

export function toDay(iso: string): Day {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`not an ISO date (YYYY-MM-DD): ${iso}`);
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY;
  if (isoDate(day) !== iso) throw new Error(`not a calendar date: ${iso}`);
  return day;
}

export function isoDate(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function dayOf(year: number, month: number, date: number): Day {
  return Date.UTC(year, month - 1, date) / MS_PER_DAY;
}

export function yearOf(day: Day): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** `years` later on the one calendar (Feb 29 falls to Feb 28). */
export const addYears = (day: Day, years: number): Day => toDay(calendar.addYears(isoDate(day), years));

/** The `workingDays`-th working day after `day` (the one calendar's working days). */
export const addWorkingDays = (day: Day, workingDays: number): Day => toDay(calendar.addWorkingDays(isoDate(day), workingDays));
