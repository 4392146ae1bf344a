/**
 * What a new version of the measures catalogue may change.
 *
 * Source: 国发〔2016〕33号 (the joint punishment measures are set by law and
 * the departments' memoranda; the catalogue lists them, it does not make
 * them); DESIGN.md «Decisions the graph must get right» (a BLACK entry in
 * force triggers the black-list measures; never a false CLEAR). A version may
 * add measures and strengthen them. It may not drop a mandatory (法定) measure
 * or weaken it, nor leave a record that punished in a scenario punishing less
 * there, or not at all: a catalogue that lists no measure for a dishonest
 * judgment debtor would make every black-listed debtor CLEAR (found by a
 * black-box review). A measure repealed by law leaves the catalogue by a
 * reviewed migration, not through the API. A version that corrects the one
 * in force (a measure published there in error: `corrects`) may punish less
 * than it, never less than the version before it — so no chain of versions
 * ever punishes less than the catalogue the migrations laid.
 */
import { SEVERITY } from './verdict';
import type { MeasureEffect, MeasureKind, Scenario, Trigger } from '../vocabulary';

/** The part of a measure this rule reads. */
export interface CatalogueMeasure {
  code: string;
  kind: MeasureKind;
  mandatory: boolean;
  effect: MeasureEffect;
  personLevel: boolean;
  triggers: readonly Trigger[];
  scenarios: readonly Scenario[];
}

/** The harshest punishment per trigger, scenario and who carries it (the subject, or the persons responsible). */
function punishmentCoverage(measures: readonly CatalogueMeasure[]): Map<string, number> {
  const coverage = new Map<string, number>();
  for (const measure of measures) {
    // Stryker disable next-line ConditionalExpression: an incentive facilitates (severity 0), which no coverage falls below; the guard says what is counted
    if (measure.kind !== 'PUNISHMENT') continue;
    for (const trigger of measure.triggers) {
      for (const scenario of measure.scenarios) {
        const key = `${trigger} ${scenario} ${measure.personLevel ? 'person-level' : 'subject'}`;
        coverage.set(key, Math.max(coverage.get(key) ?? 0, SEVERITY[measure.effect]));
      }
    }
  }
  return coverage;
}

const EFFECT_OF = new Map(Object.entries(SEVERITY).map(([effect, severity]) => [severity, effect]));
const includesAll = <T>(values: readonly T[], required: readonly T[]) => required.every((value) => values.includes(value));

/** Every way `proposed` would punish less than `inForce`, each a sentence; empty when it may be published. */
export function catalogueWeakenings(inForce: readonly CatalogueMeasure[], proposed: readonly CatalogueMeasure[]): string[] {
  const problems: string[] = [];
  const byCode = new Map(proposed.map((measure) => [measure.code, measure]));
  for (const measure of inForce.filter((m) => m.mandatory)) {
    const next = byCode.get(measure.code);
    if (!next) problems.push(`mandatory measure ${measure.code} is missing: a measure the law mandates is not the catalogue's to drop`);
    else if (!next.mandatory || next.kind !== measure.kind || SEVERITY[next.effect] < SEVERITY[measure.effect] || !includesAll(next.triggers, measure.triggers) || !includesAll(next.scenarios, measure.scenarios)) {
      problems.push(`mandatory measure ${measure.code} is weakened: it stays mandatory, ${measure.effect} or harsher, for at least ${measure.triggers.join(', ')} in ${measure.scenarios.join(', ')}`);
    }
  }
  const after = punishmentCoverage(proposed);
  for (const [key, severity] of punishmentCoverage(inForce)) {
    const now = after.get(key) ?? 0;
    if (now < severity) {
      const [trigger, scenario, carrier] = key.split(' ');
      problems.push(`${trigger} in ${scenario} (${carrier}) would be punished ${now === 0 ? 'not at all' : `with ${EFFECT_OF.get(now)} only`}; the version in force has ${EFFECT_OF.get(severity)}`);
    }
  }
  return problems;
}

/**
 * The version a new one may not punish less than (null: none yet): the one in force, or for a
 * correction of it the one before; undefined when `corrects` names a version that cannot be
 * corrected now (not the one in force, or the first).
 */
export function weakeningFloor(latest: number | null, corrects: number | null): number | null | undefined {
  if (corrects === null) return latest;
  return corrects === latest && corrects > 1 ? corrects - 1 : undefined;
}
