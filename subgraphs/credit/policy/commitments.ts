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

/** The catalogue measure a commitment's 容缺受理 is: a check that applied it is what the commitment obtained. */
export const MISSING_DOCUMENTS_MEASURE = 'I_ACCEPT_WITH_MISSING_DOCUMENTS';

/** The day a commitment not fulfilled by `deadline` is breached: the day after. */
export const automaticBreachDate = (deadline: string): string => addDays(deadline, 1);

/** Whether the job breaches the commitment on `today`: still kept, it obtained 容缺受理, and its deadline has passed. */
export function breachedByDeadline(commitment: { status: string; deadline: string | null; obtainedMissingDocuments: boolean }, today: string): boolean {
  return commitment.status === 'KEPT' && commitment.obtainedMissingDocuments && commitment.deadline !== null && automaticBreachDate(commitment.deadline) <= today;
}
