/**
 * Dates of record are calendar dates in China Standard Time: an entry that
 * ends "on 2026-11-24" ends at midnight in Beijing, not in UTC.
 */
const DATE_IN_CHINA = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date (YYYY-MM-DD) in China Standard Time. */
export function todayInChina(now: Date = new Date()): string {
  return DATE_IN_CHINA.format(now);
}
