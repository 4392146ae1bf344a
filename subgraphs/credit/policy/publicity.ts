/**
 * Double publicity (双公示): an administrative licence or penalty is published
 * within 7 working days of its decision. The rule is defined once in
 * lib/publication-timeliness.ts, because the departments that publish such
 * decisions count their own timeliness with it (a department subgraph never
 * imports the credit office's code); the policy re-exports it and adds the
 * deadline as a date, on the policy calendar.
 *
 * Source: 甘州 二(三); 柴桑 (十六) (double publicity within 7 working days).
 */
import { PUBLICATION_WORKING_DAYS, workingDaysBetweenSql, workingDaysLateSql } from '../../../lib/publication-timeliness';
import { addWorkingDays, workingDaysBetween } from './calendar';

export { PUBLICATION_WORKING_DAYS, workingDaysBetweenSql, workingDaysLateSql };

/** The last day a decision of `decidedOn` may be published: the 7th working day after it. */
export const publicationDeadline = (decidedOn: string): string => addWorkingDays(decidedOn, PUBLICATION_WORKING_DAYS);

/** Published on `publishedOn`, a decision of `decidedOn` is late: the 7th working day after the decision passed before it. */
export const publishedLate = (decidedOn: string, publishedOn: string): boolean => workingDaysBetween(decidedOn, publishedOn) >= PUBLICATION_WORKING_DAYS;

/**
 * How many working days late a decision of `decidedOn` published on
 * `publishedOn` (or unpublished as of that day) is: 1 through the first
 * working day after the deadline, 2 through the second, …; 0 when on time.
 * The late-publication lists (lib/double-publicity.ts) count the same in SQL.
 */
export const workingDaysLate = (decidedOn: string, publishedOn: string): number =>
  Math.max(0, workingDaysBetween(decidedOn, publishedOn) - (PUBLICATION_WORKING_DAYS - 1));
