/**
 * The verdict of a credit check, as a pure function of what the departments
 * answered, the credit office's own records (list entries, objections,
 * repairs) and the measures catalogue in force. The rules it applies live in
 * the credit policy (subgraphs/credit/policy/, docs/policy.md):
 * - triggers: the departments' records in force, and every list entry in
 *   force as the trigger its list rule names (its department initiating, its
 *   record the trigger); an entry and the department record it stands on are
 *   one trigger, so one measure set;
 * - a natural person who represents a black-listed entity carries that
 *   entity's person-level measures, and those of REPRESENTS_BLACKLISTED_ENTITY:
 *   the entity is black-listed by its BLACK entries in force and by every
 *   department record of it the list rules black-list (one determination
 *   when both, as for the entity itself), its department initiating; an
 *   organisation whose legal representative is black-listed in person has
 *   the person's person-level measures fall on its legal representative;
 * - repaired and revoked records trigger nothing; disputed records stay
 *   visible but suspend the punishment measures they trigger;
 * - creditworthy triggers only reward a known subject that still trades
 *   (not deregistered or revoked) with no adverse record in force
 *   (policy/incentives.ts), and only on an INCENTIVE verdict;
 * - each measure once, with every trigger that applies it;
 * - fail closed: when a department did not answer (for the subject, or for
 *   an entity a checked person represents), the verdict is INCONCLUSIVE
 *   unless nothing that department could hold would change it; it is never
 *   CLEAR, grants no incentive, and never says the subject is unregistered.
 */
import { isNaturalPerson } from '../../../lib/identifiers';
import { measuresFor, type Measure } from '../catalogue';
import { recordKey, type Department, type Scenario, type Trigger } from '../vocabulary';
import {
  addMonths,
  cleanWindowStart,
  determinationsInForce,
  entryInForce,
  notEnded,
  entryTrigger,
  heldBy,
  incentivesGranted,
  isAdverse,
  mayBeRewarded,
  registrationKnown,
  SEVERITY,
  verdictOf,
  type ListKind,
  type Verdict,
} from '../policy';
import { cleanForThreeYears, EVIDENCE_DEPARTMENTS, findTriggers, hasDepartmentRecord, type Evidence, type TriggerHit } from './evidence';

export type { Verdict };

/** One record that applies a measure, as the check names it. */
export interface MeasureTrigger {
  trigger: Trigger;
  initiatingDepartment: Department;
  recordId: string;
  recordSubjectCode: string;
  /** When the measure ends for this record: the record's end, capped by the measure's period; null while the record is in force. */
  until: string | null;
  /** The record is disputed: the punishment is suspended for it until the objection is resolved. */
  suspended: boolean;
}

export interface AppliedMeasure extends MeasureTrigger {
  measure: Measure;
  /** Who carries it: person-level measures on an organisation fall on its legal representative. */
  appliesTo: 'SUBJECT' | 'LEGAL_REPRESENTATIVE';
  /** Every record that applies it, the one named above (the first in force) first. */
  triggers: MeasureTrigger[];
}

/** A list entry as the check reads it. */
export interface CheckListEntry {
  code: string;
  kind: ListKind;
  department: Department;
  sourceRecord: string;
  since: string;
  until: string | null;
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
  /**
   * recordKey()s withdrawn as wrong (objection upheld): unlike a repaired
   * record, a withdrawn one is not part of the subject's history, so it does
   * not count in the three clean years. Absent: every inactive record is
   * taken as withdrawn.
   */
  withdrawn?: ReadonlySet<string>;
  /** The subject's list entries; those in force on `today` apply. */
  listEntries: readonly CheckListEntry[];
  /**
   * The subjects the check answers for besides its own, with their records and list entries: for a natural
   * person the entities they represent, for an organisation its legal representative; what black-lists them applies.
   */
  related: readonly RelatedSubject[];
  /** The credit office itself holds records of the subject (commitments, objections, repairs, list entries). */
  knownToCreditOffice: boolean;
}

/** An entity a checked person is the legal representative of, or the legal representative of a checked organisation. */
export interface RelatedSubject {
  code: string;
  /** What the departments hold on it (null: the department did not answer for it). */
  evidence: Evidence;
  /** Its list entries, current and ended. */
  listEntries: readonly CheckListEntry[];
}

export interface Decision {
  verdict: Verdict;
  measures: AppliedMeasure[];
  missingSources: Department[];
  /**
   * Some department or the credit office knows the subject (true); nobody does
   * and every department answered (false); nobody that answered does and a
   * department did not answer (null: unknown). Only a known subject is rewarded.
   */
  registered: boolean | null;
}

interface Hit extends TriggerHit {
  /** Applies only the person-level measures of its trigger (what black-lists a represented entity or a legal representative). */
  personLevelOnly?: true;
}

const keyOf = (hit: { department: Department; recordId: string }) => recordKey({ department: hit.department, recordId: hit.recordId });

/**
 * What black-lists a subject today: its BLACK list entries in force and every
 * department record of it that the list rules black-list, one determination
 * for an entry and the record it stands on.
 */
function blackListDeterminations(entity: RelatedSubject, today: string): Hit[] {
  const found: Hit[] = [];
  const seen = new Set<string>();
  const add = (hit: Hit) => {
    // Stryker disable next-line ConditionalExpression: equivalent — an entry and its record are the same trigger, department and record, which decide() lists once per measure anyway
    if (seen.has(keyOf(hit))) return;
    seen.add(keyOf(hit));
    found.push(hit);
  };
  for (const d of determinationsInForce(entity.evidence, today)) {
    if (d.kind === 'BLACK') add({ trigger: d.trigger, department: d.department, recordId: d.sourceRecord, recordSubjectCode: entity.code, until: d.until });
  }
  for (const entry of entity.listEntries) {
    const trigger = entry.kind === 'BLACK' && entryInForce(entry, today) ? entryTrigger(entry) : null;
    if (trigger !== null) add({ trigger, department: entry.department, recordId: entry.sourceRecord, recordSubjectCode: entity.code, until: entry.until });
  }
  return found;
}

/**
 * The triggers of a check: department records in force, list entries in force,
 * and what black-lists a related subject. A person carries the person-level
 * measures of the entities they represent, with REPRESENTS_BLACKLISTED_ENTITY.
 * An organisation whose legal representative is black-listed in person (a
 * dishonest judgment debtor) has those person-level measures fall on its
 * legal representative (appliesTo LEGAL_REPRESENTATIVE): the organisation is
 * restricted at most (policy/verdict.ts), and rewarded with nothing — a green
 * channel for a company run by a dishonest debtor is no defensible answer (the
 * seeds extend measures to the legal representative, DESIGN.md «rules»;
 * 国发〔2016〕33号 bars such persons from the post; found by a black-box review).
 */
function triggersOf(input: CheckInput, isPerson: boolean): Hit[] {
  const hits: Hit[] = findTriggers(input.code, input.evidence, input.today);
  const seen = new Set(hits.map(keyOf));
  for (const entry of input.listEntries) {
    if (!entryInForce(entry, input.today)) continue;
    const trigger = entryTrigger(entry);
    const key = keyOf({ department: entry.department, recordId: entry.sourceRecord });
    // The entry and the department record it stands on are one determination: one measure set.
    if (trigger === null || seen.has(key)) continue;
    seen.add(key);
    hits.push({ trigger, department: entry.department, recordId: entry.sourceRecord, recordSubjectCode: entry.code, until: entry.until });
  }
  for (const related of input.related) {
    for (const determination of blackListDeterminations(related, input.today)) {
      if (isPerson) hits.push({ ...determination, trigger: 'REPRESENTS_BLACKLISTED_ENTITY' });
      hits.push({ ...determination, personLevelOnly: true });
    }
  }
  return hits;
}

/** The departments that did not answer: for the subject, or for a related subject (an entity the person represents, the organisation's legal representative). */
function missingDepartments(input: CheckInput): Department[] {
  const sources = [input.evidence, ...input.related.map((related) => related.evidence)];
  return (Object.keys(EVIDENCE_DEPARTMENTS) as (keyof Evidence)[])
    .filter((field) => sources.some((evidence) => evidence[field] === null))
    .map((field) => EVIDENCE_DEPARTMENTS[field]);
}

export function decide(input: CheckInput): Decision {
  const { evidence, today } = input;
  const isPerson = isNaturalPerson(input.code);
  const missingSources = missingDepartments(input);
  const everyDepartmentAnswered = (Object.keys(EVIDENCE_DEPARTMENTS) as (keyof Evidence)[]).every((field) => evidence[field] !== null);
  const registered = registrationKnown(input.knownToCreditOffice || hasDepartmentRecord(evidence), everyDepartmentAnswered);

  const live = triggersOf(input, isPerson).filter((hit) => !input.inactive.has(keyOf(hit)));
  const adverse = live.filter((hit) => isAdverse(hit.trigger));
  // No incentive without a record, for a subject that no longer trades, or while an adverse record is in force.
  const rewarded = mayBeRewarded({ registered, registrationStatus: evidence.market?.registration?.status ?? null, adverseInForce: adverse.length > 0 });
  // Stryker disable next-line MethodExpression,ArrayDeclaration: equivalent — a rewarded subject has no adverse hit, so the filter keeps every one; an unrewarded one gets no creditworthy hit (a junk one would trigger no measure)
  const creditworthy = rewarded ? live.filter((hit) => !isAdverse(hit.trigger)) : [];
  // The credit office's own adverse determinations (a commitment breach) count in the three years too, unless
  // withdrawn as wrong: a repair ends the punishment, not the history (a repaired department record counts too).
  const withdrawn = input.withdrawn ?? input.inactive;
  const listedWithinWindow = input.listEntries.some(
    (entry) => entry.kind !== 'RED' && entry.since <= today && notEnded(entry.until, cleanWindowStart(today)) && !withdrawn.has(keyOf({ department: entry.department, recordId: entry.sourceRecord })),
  );
  if (rewarded && !listedWithinWindow && cleanForThreeYears(evidence, today)) {
    creditworthy.push({ trigger: 'NO_ADVERSE_RECORD_3_YEARS', department: 'CREDIT_OFFICE', recordId: `no_adverse_record/${input.code}/${today}`, recordSubjectCode: input.code, until: null });
  }

  // Each measure once, with every record that applies it.
  const byCode = new Map<string, { measure: Measure; triggers: MeasureTrigger[] }>();
  for (const hit of [...adverse, ...creditworthy]) {
    const disputed = input.disputed.has(keyOf(hit));
    for (const measure of measuresFor(input, input.scenario, new Set([hit.trigger]))) {
      if (hit.personLevelOnly && !measure.personLevel) continue;
      const applied = byCode.get(measure.code) ?? { measure, triggers: [] };
      byCode.set(measure.code, applied);
      if (applied.triggers.some((t) => t.trigger === hit.trigger && t.initiatingDepartment === hit.department && t.recordId === hit.recordId)) continue;
      applied.triggers.push({
        trigger: hit.trigger,
        initiatingDepartment: hit.department,
        recordId: hit.recordId,
        recordSubjectCode: hit.recordSubjectCode,
        until: measureEnd(hit.until, measure.periodMonths, today),
        suspended: disputed && measure.kind === 'PUNISHMENT',
      });
    }
  }
  const measures = [...byCode.values()].map(({ measure, triggers }) => appliedMeasure(measure, triggers, isPerson));
  // Punishments and incentives are never listed together (incentives only without an adverse record; the catalogue
  // gives a punishment adverse triggers only, an incentive creditworthy ones): in practice the kinds always match.
  measures.sort((a, b) => {
    // Stryker disable next-line all: unreachable — the kinds always match (above); punishments would come first
    if (a.measure.kind !== b.measure.kind) return a.measure.kind === 'PUNISHMENT' ? -1 : 1;
    // Stryker disable next-line EqualityOperator: equivalent — measure codes are distinct (one entry per code)
    return a.measure.code < b.measure.code ? -1 : 1;
  });

  let verdict: Verdict = verdictOf(
    measures.map((m) => ({ kind: m.measure.kind, effect: m.measure.effect, suspended: m.suspended, onLegalRepresentative: m.appliesTo === 'LEGAL_REPRESENTATIVE' })),
  );
  if (missingSources.some((department) => couldChange(verdict, department, input))) verdict = 'INCONCLUSIVE';
  // Only a verdict that stands grants incentives: an INCONCLUSIVE check lists none.
  const listed = incentivesGranted(verdict) ? measures : measures.filter((m) => m.measure.kind !== 'INCENTIVE');
  return { verdict, measures: listed, missingSources, registered };
}

/**
 * One applied measure from the records that apply it: suspended only when
 * every one of them is disputed; it ends when the last record in force ends
 * (null while one is open-ended); the first record in force is the one named.
 */
export function appliedMeasure(measure: Measure, triggers: MeasureTrigger[], isPerson: boolean): AppliedMeasure {
  const ordered = [...triggers.filter((t) => !t.suspended), ...triggers.filter((t) => t.suspended)];
  const counted = ordered[0]!.suspended ? ordered : ordered.filter((t) => !t.suspended);
  // Stryker disable next-line EqualityOperator: equal dates are one date
  const later = (a: string, b: string) => (a > b ? a : b);
  const until = counted.some((t) => t.until === null) ? null : counted.map((t) => t.until!).reduce(later);
  return {
    ...ordered[0]!,
    until,
    suspended: ordered[0]!.suspended,
    measure,
    appliesTo: measure.personLevel && !isPerson ? 'LEGAL_REPRESENTATIVE' : 'SUBJECT',
    triggers: ordered,
  };
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
      // Stryker disable next-line ConditionalExpression: equivalent — an incentive facilitates (the catalogue refuses any other effect), severity 0, never above the RESTRICT a verdict here has
      measure.kind === 'PUNISHMENT' &&
      SEVERITY[measure.effect] > current &&
      measure.scenarios.includes(input.scenario) &&
      measure.triggers.some((trigger) => heldBy(trigger, department)),
  );
}

/** A measure with a period runs from today for that many months, and never past its record's own end. */
function measureEnd(recordEnd: string | null, periodMonths: number | null, today: string): string | null {
  if (periodMonths === null) return recordEnd;
  const periodEnd = addMonths(today, periodMonths);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — `null < x` is false, so no record end gives the period's; equal dates are one date.
  return recordEnd !== null && recordEnd < periodEnd ? recordEnd : periodEnd;
}
