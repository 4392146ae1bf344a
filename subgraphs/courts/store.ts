/**
 * The people's courts' database layer: the rows they store and the reads the
 * subgraph makes. Writers are used by the seed and by the department's own
 * data feeds; readers back the per-request loaders.
 */
import type { Queryable } from '../../lib/db';
import { batchWriter, tableSpec } from '../../lib/bulk';
import { rowsBySubject } from '../../lib/loaders';

export interface DishonestDebtorRow {
  subject_code: string;
  case_number: string;
  court: string;
  basis_document: string;
  obligation: string;
  performance_status: string;
  dishonest_conduct: string;
  listed_on: string;
  removed_on: string | null;
}

export interface ConsumptionRestrictionOrderRow {
  /** The restricted subject: an entity (USCC) or a natural person (resident identity number). */
  subject_code: string;
  case_number: string;
  court: string;
  /** Name and resident identity number of the person bound: both present or both null. */
  restricted_person_name: string | null;
  restricted_person_id: string | null;
  restrictions: string[];
  issued_on: string;
  lifted_on: string | null;
}

export interface EnforcementCaseRow {
  subject_code: string;
  case_number: string;
  court: string;
  amount: number;
  filed_on: string;
  status: string;
  closed_on: string | null;
}

export const dishonestDebtors = tableSpec<DishonestDebtorRow>('dishonest_debtor', {
  subject_code: 'text',
  case_number: 'text',
  court: 'text',
  basis_document: 'text',
  obligation: 'text',
  performance_status: 'text',
  dishonest_conduct: 'text',
  listed_on: 'date',
  removed_on: 'date',
});

export const consumptionRestrictions = tableSpec<ConsumptionRestrictionOrderRow>('consumption_restriction_order', {
  subject_code: 'text',
  case_number: 'text',
  court: 'text',
  restricted_person_name: 'text',
  restricted_person_id: 'text',
  restrictions: 'text[]',
  issued_on: 'date',
  lifted_on: 'date',
});

export const enforcementCases = tableSpec<EnforcementCaseRow>('enforcement_case', {
  subject_code: 'text',
  case_number: 'text',
  court: 'text',
  amount: 'numeric',
  filed_on: 'date',
  status: 'text',
  closed_on: 'date',
});

export interface CourtRecords {
  dishonestDebtors: DishonestDebtorRow[];
  consumptionRestrictions: ConsumptionRestrictionOrderRow[];
  enforcementCases: EnforcementCaseRow[];
}

/** Writes a batch of courts records in one transaction. */
export const writeCourtRecords = batchWriter<CourtRecords>({ dishonestDebtors, consumptionRestrictions, enforcementCases });

/** Raw columns the `restrictedPerson` resolver masks on the way out. */
export interface RestrictedPersonColumns {
  restricted_person_name: string | null;
  restricted_person_id: string | null;
}

// Reads alias columns to the GraphQL field names; dates leave the database as ISO text.
export function createCourtLoaders(db: Queryable) {
  return {
    dishonestDebtors: rowsBySubject(
      db,
      `SELECT subject_code, 'dishonest_debtor/' || subject_code || '/' || case_number AS "recordId", case_number AS "caseNumber", court, basis_document AS "basisDocument", obligation,
              performance_status AS "performanceStatus", dishonest_conduct AS "dishonestConduct",
              listed_on::text AS "listedOn", removed_on::text AS "removedOn"
         FROM dishonest_debtor WHERE subject_code = ANY($1::text[]) ORDER BY listed_on DESC, id`,
    ),
    // A subject's orders are those restricting it and, for a natural person, those binding them as
    // legal representative of a restricted entity. Both matches come out of one statement, each
    // labelled with the code it matched, so the table stays one query per request. An order on a
    // person that binds that same person matches the first branch only.
    consumptionRestrictions: rowsBySubject<RestrictedPersonColumns>(
      db,
      `SELECT matched.subject_code, 'consumption_restriction_order/' || o.subject_code || '/' || o.case_number AS "recordId",
              o.subject_code AS "restrictedSubjectCode", o.case_number AS "caseNumber", o.court,
              o.restricted_person_name, o.restricted_person_id, o.restrictions,
              o.issued_on::text AS "issuedOn", o.lifted_on::text AS "liftedOn"
         FROM (SELECT id, subject_code FROM consumption_restriction_order
                WHERE subject_code = ANY($1::text[])
               UNION ALL
               SELECT id, restricted_person_id FROM consumption_restriction_order
                WHERE restricted_person_id = ANY($1::text[]) AND restricted_person_id <> subject_code) AS matched
         JOIN consumption_restriction_order o ON o.id = matched.id
        ORDER BY o.issued_on DESC, o.id`,
    ),
    enforcementCases: rowsBySubject(
      db,
      `SELECT subject_code, case_number AS "caseNumber", court, amount::float8 AS amount, filed_on::text AS "filedOn",
              status, closed_on::text AS "closedOn"
         FROM enforcement_case WHERE subject_code = ANY($1::text[]) ORDER BY filed_on DESC, id`,
    ),
  };
}

export type CourtLoaders = ReturnType<typeof createCourtLoaders>;
