/**
 * How applied measures make a verdict.
 *
 * Source: DESIGN.md «Decisions the graph must get right»: fail closed (never
 * CLEAR while a department that could change it did not answer); disputed
 * records stay visible but suspend their punishments; every measure names its
 * trigger; «The credit platform's rules»: "Measures extend to the legal
 * representative and directly responsible persons of a punished entity";
 * 国发〔2016〕33号 (incentives for the trustworthy only).
 */
import type { MeasureEffect, MeasureKind } from '../vocabulary';

export type Verdict = 'CLEAR' | 'INCENTIVE' | 'RESTRICTED' | 'PROHIBITED' | 'INCONCLUSIVE';

export const SEVERITY: Readonly<Record<MeasureEffect, number>> = { FACILITATE: 0, RESTRICT: 1, PROHIBIT: 2 };

export interface VerdictMeasure {
  kind: MeasureKind;
  effect: MeasureEffect;
  /** Suspended while its triggering records are disputed. */
  suspended: boolean;
  /** Falls on the checked organisation's legal representative, not on the organisation. */
  onLegalRepresentative: boolean;
}

/**
 * A bar on the legal representative (no post as director, no high
 * consumption) binds the person, not the organisation's application: for the
 * organisation's verdict it restricts at most.
 */
export const severityOf = (m: VerdictMeasure): number =>
  m.onLegalRepresentative ? Math.min(SEVERITY[m.effect], SEVERITY.RESTRICT) : SEVERITY[m.effect];

/** The verdict the measures in force make: the worst punishment; else INCENTIVE when an incentive applies; else CLEAR. */
export function verdictOf(measures: readonly VerdictMeasure[]): Exclude<Verdict, 'INCONCLUSIVE'> {
  const active = measures.filter((m) => !m.suspended);
  // An incentive facilitates (severity 0): only punishments reach RESTRICT.
  const worst = Math.max(-1, ...active.map(severityOf));
  if (worst >= SEVERITY.PROHIBIT) return 'PROHIBITED';
  if (worst >= SEVERITY.RESTRICT) return 'RESTRICTED';
  // Every punishment restricts at least (a catalogue punishment prohibits or restricts): what is left in force are incentives.
  return active.length > 0 ? 'INCENTIVE' : 'CLEAR';
}

/**
 * Whether a verdict grants the incentives the check found: only INCENTIVE.
 * An INCONCLUSIVE verdict decides nothing — a department that did not answer
 * may hold the record that ends every incentive — so it grants none, and the
 * check lists none.
 */
export const incentivesGranted = (verdict: Verdict): boolean => verdict === 'INCENTIVE';

/**
 * Rank of a verdict from best to worst for the subject. INCONCLUSIVE grants
 * nothing (no clearance, no incentive) but punishes nothing either: it lies
 * between CLEAR and RESTRICTED.
 */
export const VERDICT_RANK: Readonly<Record<Verdict, number>> = { INCENTIVE: 0, CLEAR: 1, INCONCLUSIVE: 2, RESTRICTED: 3, PROHIBITED: 4 };
