/**
 * What the departments answered for the subject of a check (the fields the
 * verdict @requires), and the triggers found in it. A department that did
 * not answer is null here; one that holds nothing is an empty profile.
 */
import type { Department, Trigger } from '../vocabulary';
import { BAD_ENVIRONMENT_LEVELS, BAD_TAX_LEVELS, cleanForThreeYears as cleanRecordForThreeYears, notEnded, penaltyTrigger } from '../policy';

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

/** Each department's part of the selection the verdict @requires, kept next to the types it fills (schema/credit.graphql repeats it). */
export const EVIDENCE_FIELDS = {
  market: `registration { establishedOn legalRepresentative { name residentId } } penalties { recordId area serious decidedOn publishedOn publicationEndsOn } abnormalOperations { recordId listedOn removedOn } seriousViolations { recordId listedOn removedOn } representedEntities { code }`,
  tax: `creditRatings { recordId year level assessedOn } majorViolations { recordId publishedOn removedOn } arrears { recordId announcedOn settledOn }`,
  courts: `dishonestDebtors { recordId listedOn removedOn } consumptionRestrictions { recordId restrictedSubjectCode issuedOn liftedOn }`,
  environment: `creditRatings { recordId year level assessedOn } penalties { recordId serious decidedOn publishedOn publicationEndsOn }`,
} as const satisfies Record<keyof Evidence, string>;

export const EVIDENCE_SELECTION = (Object.keys(EVIDENCE_FIELDS) as (keyof Evidence)[]).map((field) => `${field} { ${EVIDENCE_FIELDS[field]} }`).join(' ');

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

const inForce = notEnded;

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
      hit(penaltyTrigger('MARKET', r), 'MARKET', r.recordId, r.publicationEndsOn);
    }
  }
  if (environment) {
    for (const r of environment.penalties) {
      if (r.publishedOn === null || !inForce(r.publicationEndsOn, today)) continue;
      hit(penaltyTrigger('ENVIRONMENT', r), 'ENVIRONMENT', r.recordId, r.publicationEndsOn);
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
 * Whether someone knows the subject: a registration, or any record in a
 * department that answered. (The credit office's own records are added by
 * the engine.) No incentive without a record (DESIGN.md «Decisions»).
 */
export function hasDepartmentRecord(evidence: Evidence): boolean {
  const { market, tax, courts, environment } = evidence;
  const lists: (readonly unknown[] | null | undefined)[] = [
    market?.penalties, market?.abnormalOperations, market?.seriousViolations, market?.representedEntities,
    tax?.creditRatings, tax?.majorViolations, tax?.arrears,
    courts?.dishonestDebtors, courts?.consumptionRestrictions,
    environment?.creditRatings, environment?.penalties,
  ];
  return !!market?.registration || lists.some((rows) => (rows?.length ?? 0) > 0);
}

/**
 * "No adverse record for three consecutive years" (policy/three-years.ts)
 * on the evidence: every department answered, the subject is registered for
 * three years, and none holds an adverse record that was in force at any
 * time in the last three years, nor a bad rating assessed in them.
 */
export function cleanForThreeYears(evidence: Evidence, today: string): boolean {
  const { market, tax, courts, environment } = evidence;
  if (!market || !tax || !courts || !environment) return false;
  const publicationEnd = (r: { decidedOn: string; publishedOn: string | null; publicationEndsOn: string | null }) =>
    r.publishedOn === null ? r.decidedOn : r.publicationEndsOn;
  return cleanRecordForThreeYears(
    {
      establishedOn: market.registration?.establishedOn ?? null,
      adverseEnds: [
        ...courts.dishonestDebtors.map((r) => r.removedOn),
        ...courts.consumptionRestrictions.map((r) => r.liftedOn),
        ...tax.majorViolations.map((r) => r.removedOn),
        ...tax.arrears.map((r) => r.settledOn),
        ...market.seriousViolations.map((r) => r.removedOn),
        ...market.abnormalOperations.map((r) => r.removedOn),
        ...market.penalties.map(publicationEnd),
        ...environment.penalties.map(publicationEnd),
      ],
      badRatingsAssessedOn: [
        ...tax.creditRatings.filter((r) => BAD_TAX_LEVELS.has(r.level)).map((r) => r.assessedOn),
        ...environment.creditRatings.filter((r) => BAD_ENVIRONMENT_LEVELS.has(r.level)).map((r) => r.assessedOn),
      ],
    },
    today,
  );
}
