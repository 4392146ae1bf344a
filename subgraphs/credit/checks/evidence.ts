/**
 * What the departments answered for the subject of a check (the fields the
 * verdict @requires), and the triggers found in it. A department that did
 * not answer is null here; one that holds nothing is an empty profile.
 */
import type { Department, Trigger } from '../vocabulary';
import { BAD_ENVIRONMENT_LEVELS, BAD_TAX_LEVELS, cleanForThreeYears as cleanRecordForThreeYears, determinationsInForce, notEnded } from '../policy';

export interface MarketEvidence {
  registration: { establishedOn: string; status: string; legalRepresentative: { name: string; residentId: string } } | null;
  penalties: { recordId: string; area: string; serious: boolean; decidedOn: string; publishedOn: string | null; publicationEndsOn: string | null }[];
  abnormalOperations: { recordId: string; listedOn: string; removedOn: string | null }[];
  seriousViolations: { recordId: string; listedOn: string; removedOn: string | null }[];
  contractHonouring: { recordId: string; recognisedOn: string; validUntil: string; revokedOn: string | null }[];
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
  market: `registration { establishedOn status legalRepresentative { name residentId } } penalties { recordId area serious decidedOn publishedOn publicationEndsOn } abnormalOperations { recordId listedOn removedOn } seriousViolations { recordId listedOn removedOn } contractHonouring { recordId recognisedOn validUntil revokedOn } representedEntities { code }`,
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

/**
 * Adverse and creditworthy records in force today, from the departments that
 * answered. Which record is which trigger is the list rules' (policy/lists.ts):
 * every record they put on a list is the trigger of its rule while its entry
 * would be in force, so a record and its list entry are always the same
 * trigger. A consumption restriction order is a measure of the court on the
 * subject or on the person it names, not a list: it is found here directly.
 */
export function findTriggers(code: string, evidence: Evidence, today: string): TriggerHit[] {
  const hits: TriggerHit[] = determinationsInForce(evidence, today).map((determination) => ({
    trigger: determination.trigger,
    department: determination.department,
    recordId: determination.sourceRecord,
    recordSubjectCode: code,
    until: determination.until,
  }));
  // Stryker disable next-line ArrayDeclaration: equivalent — without the courts' answer, a junk row has no liftedOn, so notEnded(undefined) is false and nothing is found
  for (const r of evidence.courts?.consumptionRestrictions ?? []) {
    if (notEnded(r.liftedOn, today)) hits.push({ trigger: 'CONSUMPTION_RESTRICTION', department: 'COURTS', recordId: r.recordId, recordSubjectCode: r.restrictedSubjectCode, until: null });
  }
  return hits;
}

/**
 * Whether someone knows the subject: a registration, or any record in a
 * department that answered. (The credit office's own records are added by
 * the engine.) No incentive without a record (DESIGN.md «Decisions»).
 */
export function hasDepartmentRecord(evidence: Evidence): boolean {
  const { market, tax, courts, environment } = evidence;
  const lists: (readonly unknown[] | null | undefined)[] = [
    market?.penalties, market?.abnormalOperations, market?.seriousViolations, market?.contractHonouring, market?.representedEntities,
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
