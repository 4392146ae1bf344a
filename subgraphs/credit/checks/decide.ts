/**
 * The verdict of a credit check, as a pure function of what the departments
 * answered, the credit office's own records (objections, repairs,
 * commitments, lists) and the measures catalogue in force.
 *
 * Rules (DESIGN.md "Decisions the graph must get right"):
 * - every applied measure names its trigger record, initiating department,
 *   basis and end date;
 * - repaired and revoked records trigger nothing; disputed records stay
 *   visible but suspend the punishment measures they trigger;
 * - creditworthy triggers only reward a subject with no adverse record in force;
 * - fail closed: when a department did not answer, the verdict is
 *   INCONCLUSIVE unless nothing that department could hold would change it;
 *   it is never CLEAR.
 */
import { validateSubjectCode } from '../../../lib/identifiers';
import { measuresFor, type Measure } from '../catalogue';
import { recordKey, TRIGGERS, type Department, type MeasureEffect, type Scenario, type Trigger } from '../vocabulary';
import { cleanForThreeYears, EVIDENCE_DEPARTMENTS, findTriggers, type Evidence, type TriggerHit } from './evidence';

export type Verdict = 'CLEAR' | 'INCENTIVE' | 'RESTRICTED' | 'PROHIBITED' | 'INCONCLUSIVE';

export interface AppliedMeasure {
  measure: Measure;
  trigger: Trigger;
  initiatingDepartment: Department;
  recordId: string;
  recordSubjectCode: string;
  /** When the measure ends: the record's end, capped by the measure's period; null while the record is in force. */
  until: string | null;
  /** The triggering record is disputed: the punishment is suspended until the objection is resolved. */
  suspended: boolean;
  /** Who carries it: person-level measures on an organisation fall on its legal representative. */
  appliesTo: 'SUBJECT' | 'LEGAL_REPRESENTATIVE';
}

export interface CheckInput {
  code: string;
  scenario: Scenario;
  evidence: Evidence;
  today: string;
  /** Measures of the catalogue version in force. */
  measures: readonly Measure[];
  /** recordKey()s with an open objection. */
  disputed: ReadonlySet<string>;
  /** recordKey()s that trigger nothing any more (objection upheld, repair approved). */
  inactive: ReadonlySet<string>;
  /** Breached credit commitments of the subject. */
  breachedCommitments: readonly { id: string; since: string }[];
  /** For a natural person: black-list entries in force of the entities they represent. */
  representedBlacklisted: readonly { code: string; department: Department; sourceRecord: string }[];
}

export interface Decision {
  verdict: Verdict;
  measures: AppliedMeasure[];
  missingSources: Department[];
}

const SEVERITY: Record<MeasureEffect, number> = { FACILITATE: 0, RESTRICT: 1, PROHIBIT: 2 };

export function decide(input: CheckInput): Decision {
  const { evidence, today } = input;
  const missingSources = (Object.keys(EVIDENCE_DEPARTMENTS) as (keyof Evidence)[])
    .filter((field) => evidence[field] === null)
    .map((field) => EVIDENCE_DEPARTMENTS[field]);

  const hits = findTriggers(input.code, evidence, today);
  for (const commitment of input.breachedCommitments) {
    hits.push({ trigger: 'COMMITMENT_BREACH', department: 'CREDIT_OFFICE', recordId: `credit_commitment/${commitment.id}`, recordSubjectCode: input.code, until: null });
  }
  for (const entry of input.representedBlacklisted) {
    hits.push({ trigger: 'REPRESENTS_BLACKLISTED_ENTITY', department: entry.department, recordId: entry.sourceRecord, recordSubjectCode: entry.code, until: null });
  }
  const live = hits.filter((hit) => !input.inactive.has(recordKey({ department: hit.department, recordId: hit.recordId })));
  const adverse = live.filter((hit) => TRIGGERS[hit.trigger].polarity === 'ADVERSE');
  const creditworthy = adverse.length > 0 ? [] : live.filter((hit) => TRIGGERS[hit.trigger].polarity === 'CREDITWORTHY');
  if (adverse.length === 0 && cleanForThreeYears(evidence, today)) {
    creditworthy.push({ trigger: 'NO_ADVERSE_RECORD_3_YEARS', department: 'CREDIT_OFFICE', recordId: `no_adverse_record/${input.code}/${today}`, recordSubjectCode: input.code, until: null });
  }

  const validated = validateSubjectCode(input.code);
  const isPerson = validated.valid && validated.kind === 'NATURAL_PERSON';
  const applied: AppliedMeasure[] = [];
  for (const hit of [...adverse, ...creditworthy]) {
    const disputed = input.disputed.has(recordKey({ department: hit.department, recordId: hit.recordId }));
    for (const measure of measuresFor(input, input.scenario, new Set([hit.trigger]))) {
      applied.push({
        measure,
        trigger: hit.trigger,
        initiatingDepartment: hit.department,
        recordId: hit.recordId,
        recordSubjectCode: hit.recordSubjectCode,
        until: measureEnd(hit.until, measure.periodMonths, today),
        suspended: disputed && measure.kind === 'PUNISHMENT',
        appliesTo: measure.personLevel && !isPerson ? 'LEGAL_REPRESENTATIVE' : 'SUBJECT',
      });
    }
  }

  const active = applied.filter((m) => !m.suspended);
  // A bar on the legal representative (no post as director, no high consumption) binds the person, not the
  // organisation's application: for the organisation's verdict it restricts at most.
  const severity = (m: AppliedMeasure) => (m.appliesTo === 'LEGAL_REPRESENTATIVE' ? Math.min(SEVERITY[m.measure.effect], SEVERITY.RESTRICT) : SEVERITY[m.measure.effect]);
  const worst = Math.max(-1, ...active.filter((m) => m.measure.kind === 'PUNISHMENT').map(severity));
  let verdict: Verdict =
    worst >= SEVERITY.PROHIBIT ? 'PROHIBITED' : worst >= SEVERITY.RESTRICT ? 'RESTRICTED' : active.some((m) => m.measure.kind === 'INCENTIVE') ? 'INCENTIVE' : 'CLEAR';
  if (missingSources.some((department) => couldChange(verdict, department, input))) verdict = 'INCONCLUSIVE';
  return { verdict, measures: applied, missingSources };
}

/**
 * Whether records the department did not send could change the verdict: a
 * punishment more severe than the verdict's, in this scenario, triggered by a
 * kind of record that department keeps. A CLEAR or INCENTIVE verdict can
 * always change (an adverse record ends incentives), so it never stands with
 * a department missing.
 */
function couldChange(verdict: Verdict, department: Department, input: CheckInput): boolean {
  if (verdict === 'CLEAR' || verdict === 'INCENTIVE') return true;
  const current = verdict === 'PROHIBITED' ? SEVERITY.PROHIBIT : SEVERITY.RESTRICT;
  return input.measures.some(
    (measure) =>
      measure.kind === 'PUNISHMENT' &&
      SEVERITY[measure.effect] > current &&
      measure.scenarios.includes(input.scenario) &&
      measure.triggers.some((trigger) => (TRIGGERS[trigger].departments as readonly Department[]).includes(department)),
  );
}

/** A measure with a period runs from today for that many months, and never past its record's own end. */
function measureEnd(recordEnd: string | null, periodMonths: number | null, today: string): string | null {
  if (periodMonths === null) return recordEnd;
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + periodMonths);
  const periodEnd = date.toISOString().slice(0, 10);
  return recordEnd !== null && recordEnd < periodEnd ? recordEnd : periodEnd;
}
