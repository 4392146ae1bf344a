/**
 * What the departments answered for the subject of a check (the fields the
 * verdict @requires), and the triggers found in it. A department that did
 * not answer is null here; one that holds nothing is an empty profile.
 */
import type { Department, Trigger } from '../vocabulary';

export interface MarketEvidence {
  registration: { establishedOn: string; legalRepresentative: { name: string; residentId: string } } | null;
  penalties: { recordId: string; area: string; serious: boolean; decidedOn: string; publishedOn: string | null; publicationEndsOn: string | null }[];
  abnormalOperations: { recordId: string; listedOn: string; removedOn: string | null }[];
  seriousViolations: { recordId: string; listedOn: string; removedOn: string | null }[];
  representedEntities: { code: string }[];
}

export interface TaxEvidence {
  creditRatings: { recordId: string; year: number; level: string; assessedOn: string }[];
  majorViolations: { recordId: string; publishedOn: string; removedOn: string | null }[];
  arrears: { recordId: string; announcedOn: string; settledOn: string | null }[];
}

export interface CourtEvidence {
  dishonestDebtors: { recordId: string; listedOn: string; removedOn: string | null }[];
  consumptionRestrictions: { recordId: string; restrictedSubjectCode: string; issuedOn: string; liftedOn: string | null }[];
}

export interface EnvironmentEvidence {
  creditRatings: { recordId: string; year: number; level: string; assessedOn: string }[];
  penalties: { recordId: string; serious: boolean; decidedOn: string; publishedOn: string | null; publicationEndsOn: string | null }[];
}

export interface Evidence {
  market: MarketEvidence | null;
  tax: TaxEvidence | null;
  courts: CourtEvidence | null;
  environment: EnvironmentEvidence | null;
}

/** The selection the verdict @requires, kept next to the types it fills (schema/credit.graphql repeats it). */
export const EVIDENCE_SELECTION = `market { registration { establishedOn legalRepresentative { name residentId } } penalties { recordId area serious decidedOn publishedOn publicationEndsOn } abnormalOperations { recordId listedOn removedOn } seriousViolations { recordId listedOn removedOn } representedEntities { code } } tax { creditRatings { recordId year level assessedOn } majorViolations { recordId publishedOn removedOn } arrears { recordId announcedOn settledOn } } courts { dishonestDebtors { recordId listedOn removedOn } consumptionRestrictions { recordId restrictedSubjectCode issuedOn liftedOn } } environment { creditRatings { recordId year level assessedOn } penalties { recordId serious decidedOn publishedOn publicationEndsOn } }`;

export const EVIDENCE_DEPARTMENTS = { market: 'MARKET', tax: 'TAX', courts: 'COURTS', environment: 'ENVIRONMENT' } as const satisfies Record<
  keyof Evidence,
  Department
>;

/** One record that triggers measures. */
export interface TriggerHit {
  trigger: Trigger;
  department: Department;
  recordId: string;
  /** The subject the record is about (the checked subject, or the entity a person represents). */
  recordSubjectCode: string;
  /** The day the record stops being in force, when known (end of publication); null: until the department removes it. */
  until: string | null;
}

/** Penalty areas whose serious penalties put a subject on the black list (DESIGN.md: food/drug, environment, construction, work safety, fire). */
const BLACK_LIST_AREAS = new Set(['FOOD_AND_DRUG', 'SPECIAL_EQUIPMENT', 'CONSTRUCTION', 'WORK_SAFETY', 'FIRE_SAFETY']);

const inForce = (end: string | null, today: string) => end === null || end > today;

/** Adverse and creditworthy records in force today, from the departments that answered. */
export function findTriggers(code: string, evidence: Evidence, today: string): TriggerHit[] {
  const hits: TriggerHit[] = [];
  const hit = (trigger: Trigger, department: Department, recordId: string, until: string | null, recordSubjectCode = code) =>
    hits.push({ trigger, department, recordId, recordSubjectCode, until });

  const { market, tax, courts, environment } = evidence;
  if (courts) {
    for (const r of courts.dishonestDebtors) if (inForce(r.removedOn, today)) hit('DISHONEST_JUDGMENT_DEBTOR', 'COURTS', r.recordId, null);
    for (const r of courts.consumptionRestrictions) {
      if (inForce(r.liftedOn, today)) hit('CONSUMPTION_RESTRICTION', 'COURTS', r.recordId, null, r.restrictedSubjectCode);
    }
  }
  if (tax) {
    for (const r of tax.majorViolations) if (inForce(r.removedOn, today)) hit('MAJOR_TAX_VIOLATION', 'TAX', r.recordId, null);
    for (const r of tax.arrears) if (inForce(r.settledOn, today)) hit('TAX_ARREARS', 'TAX', r.recordId, null);
    const latest = latestRating(tax.creditRatings);
    if (latest?.level === 'D') hit('TAX_RATING_D', 'TAX', latest.recordId, null);
    if (latest?.level === 'A') hit('TAX_RATING_A', 'TAX', latest.recordId, null);
  }
  if (market) {
    for (const r of market.seriousViolations) if (inForce(r.removedOn, today)) hit('SERIOUS_VIOLATION_LIST', 'MARKET', r.recordId, null);
    for (const r of market.abnormalOperations) if (inForce(r.removedOn, today)) hit('ABNORMAL_OPERATIONS', 'MARKET', r.recordId, null);
    for (const r of market.penalties) {
      if (r.publishedOn === null || !inForce(r.publicationEndsOn, today)) continue;
      hit(r.serious && BLACK_LIST_AREAS.has(r.area) ? 'SERIOUS_PENALTY' : 'ADMINISTRATIVE_PENALTY', 'MARKET', r.recordId, r.publicationEndsOn);
    }
  }
  if (environment) {
    for (const r of environment.penalties) {
      if (r.publishedOn === null || !inForce(r.publicationEndsOn, today)) continue;
      // Every serious environmental penalty is in a black-list area (environment).
      hit(r.serious ? 'SERIOUS_PENALTY' : 'ADMINISTRATIVE_PENALTY', 'ENVIRONMENT', r.recordId, r.publicationEndsOn);
    }
    const latest = latestRating(environment.creditRatings);
    if (latest?.level === 'BLACK') hit('ENVIRONMENTAL_RATING_BLACK', 'ENVIRONMENT', latest.recordId, null);
    if (latest?.level === 'RED') hit('ENVIRONMENTAL_RATING_RED', 'ENVIRONMENT', latest.recordId, null);
    if (latest?.level === 'GREEN') hit('ENVIRONMENTAL_RATING_GREEN', 'ENVIRONMENT', latest.recordId, null);
  }
  return hits;
}

function latestRating<R extends { year: number }>(ratings: readonly R[]): R | undefined {
  let latest: R | undefined;
  for (const rating of ratings) if (!latest || rating.year > latest.year) latest = rating;
  return latest;
}

/**
 * "No adverse record for three consecutive years": every department answered,
 * and none holds an adverse record that was in force at any time in the last
 * three years (an organisation must also have existed that long).
 */
export function cleanForThreeYears(evidence: Evidence, today: string): boolean {
  const { market, tax, courts, environment } = evidence;
  if (!market || !tax || !courts || !environment) return false;
  const threeYearsAgo = `${Number(today.slice(0, 4)) - 3}${today.slice(4)}`;
  const recent = (end: string | null) => end === null || end > threeYearsAgo;
  if (market.registration && market.registration.establishedOn > threeYearsAgo) return false;
  const adverseEnds: (string | null)[] = [
    ...courts.dishonestDebtors.map((r) => r.removedOn),
    ...courts.consumptionRestrictions.map((r) => r.liftedOn),
    ...tax.majorViolations.map((r) => r.removedOn),
    ...tax.arrears.map((r) => r.settledOn),
    ...market.seriousViolations.map((r) => r.removedOn),
    ...market.abnormalOperations.map((r) => r.removedOn),
    ...market.penalties.map((r) => (r.publishedOn === null ? r.decidedOn : r.publicationEndsOn)),
    ...environment.penalties.map((r) => (r.publishedOn === null ? r.decidedOn : r.publicationEndsOn)),
  ];
  if (adverseEnds.some(recent)) return false;
  const badRating = (ratings: { level: string; assessedOn: string }[], levels: string[]) =>
    ratings.some((r) => levels.includes(r.level) && r.assessedOn > threeYearsAgo);
  return !badRating(tax.creditRatings, ['C', 'D']) && !badRating(environment.creditRatings, ['YELLOW', 'RED', 'BLACK']);
}
