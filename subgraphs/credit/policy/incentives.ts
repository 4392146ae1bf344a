/**
 * Who may be rewarded at all (守信联合激励): incentives go to a subject
 * somebody knows, that still exists to be trusted, with nothing adverse in
 * force, and only on a verdict that stands.
 *
 * Source: DESIGN.md «Decisions»: "No incentive without a record: a subject
 * no department knows gets no green channel"; "Fail closed: a verdict is
 * never 'clear' when a department whose data could change it did not
 * answer"; 国发〔2016〕33号 (incentives for the trustworthy: 诚信典型 and
 * subjects without adverse records); 《市场主体登记管理条例》 (a deregistered
 * subject — 注销 — has ceased to exist; one whose business licence was
 * revoked — 吊销 — may no longer trade).
 */

/** Registration statuses under which a subject may no longer trade: licence revoked (吊销), deregistered (注销). */
export const CLOSED_REGISTRATION_STATUSES: readonly string[] = ['REVOKED', 'DEREGISTERED'];

/**
 * Whether anyone knows the subject: true when a department or the credit
 * office holds a registration or any record of it; false only when every
 * department answered and none does; null (unknown) when nobody that
 * answered knows it and a department did not answer — the check then says
 * neither "registered" nor "not registered".
 */
export function registrationKnown(knownSomewhere: boolean, everyDepartmentAnswered: boolean): boolean | null {
  if (knownSomewhere) return true;
  return everyDepartmentAnswered ? false : null;
}

export interface RewardFacts {
  /** registrationKnown(): unknown counts as not known. */
  registered: boolean | null;
  /** The market registration's status; null when market supervision holds no registration (a person, a subject registered elsewhere). */
  registrationStatus: string | null;
  /** An adverse record or determination is in force (disputed ones included: a dispute suspends punishments, it earns nothing). */
  adverseInForce: boolean;
}

/** Whether incentives can apply: a known subject, not deregistered or revoked, with nothing adverse in force. */
export function mayBeRewarded(facts: RewardFacts): boolean {
  if (facts.registered !== true || facts.adverseInForce) return false;
  // No registration at market supervision (null: a person, a subject registered elsewhere) is no closed one.
  return !CLOSED_REGISTRATION_STATUSES.some((closed) => closed === facts.registrationStatus);
}
