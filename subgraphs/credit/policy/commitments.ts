/**
 * Credit commitments (信用承诺): a subject applying for a service commits to
 * what it could not yet prove, for that application and by a deadline. One
 * that obtained 容缺受理 — accepted with missing documents, the incentive a
 * credit check granted — and is not fulfilled by its deadline is breached,
 * without anyone having to report it: the scheduled job finds it the day
 * after the deadline (its breach dates from that day, whenever the job runs).
 *
 * Source: 凌源 一(一), 二(一) (信用承诺: 容缺受理 on a commitment, breach goes
 * on the black list); 国发〔2016〕33号 (“绿色通道”和“容缺受理”); the catalogue's
 * I_ACCEPT_WITH_MISSING_DOCUMENTS (“申请人在约定期限内补齐”).
 */
import { addDays } from './calendar';
import { datedStepRefusal } from './rectification';

/**
 * The longest a commitment may run (补齐 within an agreed period, 国发〔2016〕33号):
 * its deadline at most this many months after it was made. Not stated by the
 * seeds: to be confirmed by the credit office.
 */
export const MAX_COMMITMENT_MONTHS = 12;

/**
 * A commitment's dates: made neither in the future nor before the check whose
 * 容缺受理 it backs (`checkedOn`: a commitment dated before it would be breached
 * retroactively), its deadline not before it was made and within MAX_COMMITMENT_MONTHS.
 */
export const commitmentDatesRefusal = (commitment: { checkedOn: string | null; madeOn: string; deadline: string | null }, today: string) =>
  datedStepRefusal({ recordSince: commitment.checkedOn, start: commitment.madeOn, deadline: commitment.deadline }, today, MAX_COMMITMENT_MONTHS);

/**
 * Whether a commitment is breached by its dates, whatever happened in which
 * order: it obtained 容缺受理, it was not breached already, and it was not
 * fulfilled by its deadline (a fulfilment after the deadline does not undo
 * the breach the day after the deadline began). `fulfilledOn` null: not yet.
 */
export function breachedByDates(commitment: { status: string; deadline: string | null; obtainedMissingDocuments: boolean; fulfilledOn: string | null }, today: string): boolean {
  if (commitment.status === 'BREACHED' || !commitment.obtainedMissingDocuments || commitment.deadline === null) return false;
  const breachDay = automaticBreachDate(commitment.deadline);
  return breachDay <= today && (commitment.fulfilledOn === null || commitment.fulfilledOn >= breachDay);
}

/**
 * The first day a department may report a commitment with a deadline breached: the day after the
 * deadline (凌源 一(一), 二(一): 容缺受理 gives the subject until then to supply what it committed to).
 * Before that the subject has broken nothing, and a report would black-list it at once (found by a
 * black-box review: reported 29 days early). A commitment without a deadline can be broken any day.
 */
export function earliestBreachReport(commitment: { deadline: string | null }): string | null {
  return commitment.deadline === null ? null : automaticBreachDate(commitment.deadline);
}

/** The catalogue measure a commitment's 容缺受理 is: a check that applied it is what the commitment obtained. */
export const MISSING_DOCUMENTS_MEASURE = 'I_ACCEPT_WITH_MISSING_DOCUMENTS';

/** The day a commitment not fulfilled by `deadline` is breached: the day after. */
export const automaticBreachDate = (deadline: string): string => addDays(deadline, 1);
