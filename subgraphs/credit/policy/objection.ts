/**
 * Objections (异议): the providing department verifies a disputed record
 * within 20 days of filing; while it verifies, the record is marked disputed
 * and the punishments it triggers are suspended.
 *
 * Source: 柴桑 (二十一) (objections: dispute mark 作出存在异议的标注, verification);
 * DESIGN.md «The credit platform's rules» ("the providing department must
 * verify within 20 days, punishment measures are suspended while it verifies").
 */
import { addDays } from './calendar';

export const OBJECTION_VERIFICATION_DAYS = 20;

/** The last day (China date) the department may verify an objection filed on `filedOn`. */
export const verifyBy = (filedOn: string): string => addDays(filedOn, OBJECTION_VERIFICATION_DAYS);

/** Still open after its verification day. */
export const isOverdue = (objection: { status: string; verifyBy: string }, today: string): boolean =>
  objection.status === 'OPEN' && objection.verifyBy < today;

/**
 * Whether an open objection suspends the record's punishments: not when the
 * department already verified the record and rejected an objection to it.
 * Another objection may still be filed and verified (new evidence), but it
 * does not suspend the record again: else each one would buy another 20 days,
 * with no end, and the verification would decide nothing.
 * Source: 柴桑 (二十一) (the providing department verifies; the record stands or is corrected).
 */
export const suspendsPunishments = (earlierOutcomes: readonly string[]): boolean => !earlierOutcomes.includes('REJECTED');
