/**
 * Rectification within a deadline and interviews (凌源 三(五): 谁认定、谁约谈):
 * the department that determined a subject's dishonest conduct orders it to
 * rectify by a deadline; a subject that has not rectified in time is
 * interviewed by that department (a reminder or a warning interview) and is
 * put under key attention — the RECTIFICATION_OVERDUE trigger, a
 * key-attention entry of the credit office on `rectification_order/<id>`
 * (policy/lists.ts) — from the day after the deadline until it rectifies.
 */
import { addDays } from './calendar';

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
