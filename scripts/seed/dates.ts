/**
 * Calendar dates as day numbers (days since 1970-01-01, UTC). Record dates
 * have no time of day, and whole-day arithmetic on integers cannot drift over
 * daylight saving or time zones; they become 'YYYY-MM-DD' only in the rows.
 */
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

/** Same month and day `years` later (29 February falls to 1 March). */
export function addYears(day: Day, years: number): Day {
  const date = new Date(day * MS_PER_DAY);
  return Date.UTC(date.getUTCFullYear() + years, date.getUTCMonth(), date.getUTCDate()) / MS_PER_DAY;
}

export function addMonths(day: Day, months: number): Day {
  const date = new Date(day * MS_PER_DAY);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate()) / MS_PER_DAY;
}

/** Adds working days (Monday to Friday; public holidays are not modelled). */
export function addWorkingDays(day: Day, workingDays: number): Day {
  let result = day;
  let left = workingDays;
  while (left > 0) {
    result += 1;
    const weekday = new Date(result * MS_PER_DAY).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return result;
}
