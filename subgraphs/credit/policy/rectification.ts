/**
 * Rectification within a deadline and interviews (凌源 三(五): 谁认定、谁约谈):
 * the department that determined a subject's dishonest conduct orders it to
 * rectify by a deadline; a subject that has not rectified in time is
 * interviewed by that department (a reminder or a warning interview) and is
 * put under key attention — the RECTIFICATION_OVERDUE trigger, a
 * key-attention entry of the credit office on `rectification_order/<id>`
 * (policy/lists.ts) — from the day after the deadline until it rectifies.
 */
import { addDays, addMonths } from './calendar';
import { endRefusal, entryStartRefusal, type EntryStartRefusal } from './lists';

/**
 * The longest rectification period an order may set: 限期整改 is a period the
 * subject can meet, not an open end (a deadline of 9999-12-31 would keep an
 * overdue order from ever being overdue). The seeds state no figure: to be
 * confirmed by the credit office.
 */
export const MAX_RECTIFICATION_MONTHS = 12;

/**
 * How many days back a dated step (an order, a commitment) may be recorded: a clerk records
 * yesterday's order or last week's commitment, not last year's — a step dated further back would
 * fall due, and list its subject, retroactively (the list rules: an entry never starts before it is
 * published). The seeds state no figure: to be confirmed by the credit office.
 */
export const MAX_BACKDATED_DAYS = 7;

/**
 * Why a dated step cannot be taken: the list rules' start refusals, a start more than
 * MAX_BACKDATED_DAYS back, a deadline before the start, already passed, or beyond its bound.
 */
export type DateRefusal = EntryStartRefusal | 'SINCE_TOO_EARLY' | 'DEADLINE_BEFORE_START' | 'DEADLINE_PASSED' | 'DEADLINE_TOO_FAR';

/**
 * A step dated `start` (an order, a commitment) that stands on a determination
 * of `recordSince` (the record, the check) with a deadline: the start neither
 * before the determination nor in the future (the list rules' entryStartRefusal:
 * a backdated order would make a subject overdue and listed retroactively), the
 * deadline not before the start and at most `maxMonths` after it. Null when the
 * dates hold.
 */
export function datedStepRefusal(
  dates: { recordSince: string | null; start: string; deadline: string | null },
  today: string,
  maxMonths: number,
): { reason: DateRefusal; field: 'start' | 'deadline' } | null {
  const start = entryStartRefusal({ since: dates.recordSince ?? dates.start }, dates.start, today);
  if (start) return { reason: start, field: 'start' };
  if (dates.start < addDays(today, -MAX_BACKDATED_DAYS)) return { reason: 'SINCE_TOO_EARLY', field: 'start' };
  if (dates.deadline === null) return null;
  if (dates.deadline < dates.start) return { reason: 'DEADLINE_BEFORE_START', field: 'deadline' };
  // A deadline already passed would make the step overdue (listed, breached) the moment it is recorded.
  if (dates.deadline < today) return { reason: 'DEADLINE_PASSED', field: 'deadline' };
  if (dates.deadline > addMonths(dates.start, maxMonths)) return { reason: 'DEADLINE_TOO_FAR', field: 'deadline' };
  return null;
}

/** An order's dates (凌源 三(五)): not before the record it stands on, not in the future, a deadline within MAX_RECTIFICATION_MONTHS. */
export const rectificationDatesRefusal = (order: { recordSince: string | null; orderedOn: string; deadline: string }, today: string) =>
  datedStepRefusal({ recordSince: order.recordSince, start: order.orderedOn, deadline: order.deadline }, today, MAX_RECTIFICATION_MONTHS);

/** The day an order still open after `deadline` is overdue: the day after. */
export const rectificationOverdueSince = (deadline: string): string => addDays(deadline, 1);

/**
 * The day an overdue order's key-attention entry begins when the job makes it on `today`: the day
 * after the deadline, or today if the job runs later — an entry never starts before it is published
 * (the list rules' entryStartRefusal: not retroactive).
 */
export const rectificationEntrySince = (deadline: string, today: string): string => {
  const overdue = rectificationOverdueSince(deadline);
  return overdue > today ? overdue : today;
};

/** Whether an order is overdue on `today`: not rectified, and its deadline day has passed. */
export const rectificationOverdue = (order: { status: string; deadline: string }, today: string): boolean =>
  order.status === 'ORDERED' && order.deadline < today;

/**
 * Why an interview of `heldOn` cannot be recorded on an order, or null: it is
 * held with a subject that has not rectified in time — after the deadline,
 * while the order is open (or before it was rectified) — and not in the future.
 */
export function interviewRefusal(order: { status: string; deadline: string; rectifiedOn: string | null }, heldOn: string, today: string): string | null {
  if (heldOn > today) return `an interview held on ${heldOn} is in the future`;
  if (heldOn <= order.deadline) return `the deadline (${order.deadline}) had not passed on ${heldOn}: an interview is held with a subject that has not rectified in time`;
  if (order.rectifiedOn !== null && order.rectifiedOn <= heldOn) return `the subject rectified on ${order.rectifiedOn}, before the interview of ${heldOn}`;
  return null;
}

/**
 * Why an order cannot be confirmed rectified on `rectifiedOn`, or null: not in the future, not
 * before the order, not before the latest interview (held with a subject that had not rectified),
 * not before its key-attention entry began (`entrySince`: the list said key attention from then).
 * Confirmed on a past day, the entry still ends today (`rectificationEntryEnd`).
 */
export function rectifiedOnRefusal(order: { orderedOn: string; latestInterview: string | null; entrySince: string | null }, rectifiedOn: string, today: string): string | null {
  if (rectifiedOn > today) return `'rectifiedOn' ${rectifiedOn} is in the future`;
  if (rectifiedOn < order.orderedOn) return `'rectifiedOn' ${rectifiedOn} is before the order (${order.orderedOn})`;
  if (order.latestInterview !== null && rectifiedOn < order.latestInterview) return `'rectifiedOn' ${rectifiedOn} is before the interview of ${order.latestInterview}, held with a subject that had not rectified`;
  if (order.entrySince !== null && rectifiedOn < order.entrySince) return `'rectifiedOn' ${rectifiedOn} is before the key-attention entry was published (${order.entrySince})`;
  return null;
}

/** The day an overdue order's entry ends when it is confirmed rectified on `rectifiedOn`: that day, never in the past (the list rules' endRefusal, RETROACTIVE_END). */
export const rectificationEntryEnd = (rectifiedOn: string, today: string): string => (endRefusal(rectifiedOn, today) ? today : rectifiedOn);
