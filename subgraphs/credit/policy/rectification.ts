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
import { entryStartRefusal, type EntryStartRefusal } from './lists';

/**
 * The longest rectification period an order may set: 限期整改 is a period the
 * subject can meet, not an open end (a deadline of 9999-12-31 would keep an
 * overdue order from ever being overdue). The seeds state no figure: to be
 * confirmed by the credit office.
 */
export const MAX_RECTIFICATION_MONTHS = 12;

/** Why a dated step cannot be taken: the list rules' start refusals, and a deadline before the start or beyond its bound. */
export type DateRefusal = EntryStartRefusal | 'DEADLINE_BEFORE_START' | 'DEADLINE_TOO_FAR';

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
  if (dates.deadline === null) return null;
  if (dates.deadline < dates.start) return { reason: 'DEADLINE_BEFORE_START', field: 'deadline' };
  if (dates.deadline > addMonths(dates.start, maxMonths)) return { reason: 'DEADLINE_TOO_FAR', field: 'deadline' };
  return null;
}

/** An order's dates (凌源 三(五)): not before the record it stands on, not in the future, a deadline within MAX_RECTIFICATION_MONTHS. */
export const rectificationDatesRefusal = (order: { recordSince: string | null; orderedOn: string; deadline: string }, today: string) =>
  datedStepRefusal({ recordSince: order.recordSince, start: order.orderedOn, deadline: order.deadline }, today, MAX_RECTIFICATION_MONTHS);

/** The day an order still open after `deadline` puts its subject under key attention: the day after. */
export const rectificationOverdueSince = (deadline: string): string => addDays(deadline, 1);

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
