/**
 * Dates of record are calendar dates in China Standard Time: an entry that
 * ends "on 2026-11-24" ends at midnight in Beijing, not in UTC.
 */
const DATE_IN_CHINA = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date (YYYY-MM-DD) in China Standard Time. */
export function todayInChina(now: Date = new Date()): string {
  return DATE_IN_CHINA.format(now);
}

const TIME_IN_CHINA = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/**
 * An instant (ISO-8601, as the graph answers times) as a time in China Standard Time,
 * `YYYY-MM-DD HH:MM:SS`: the one way the website and the credit reports write a time.
 */
export function timeInChina(instant: string | Date): string {
  const parts = Object.fromEntries(TIME_IN_CHINA.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The day in China (YYYY-MM-DD) of an instant the graph answers: a filing at 02:14 Beijing time is that day, not the UTC day before. */
export function dayInChina(instant: string | Date): string {
  return timeInChina(instant).slice(0, 10);
}

/** Whether `value` is a calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
