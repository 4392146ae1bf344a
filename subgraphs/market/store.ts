/**
 * Market supervision's database layer: the rows it stores and the reads the
 * subgraph makes. Writers are used by the seed and by the department's own
 * data feeds; readers back the per-request loaders.
 */
import type { Queryable } from '../../lib/db';
import { batchWriter, tableSpec } from '../../lib/bulk';
import { rowBySubject, rowsBySubject } from '../../lib/loaders';

export interface RegistrationRow {
  subject_code: string;
  name: string;
  entity_type: string;
  legal_rep_name: string;
  legal_rep_id: string;
  registered_capital: number | null;
  established_on: string;
  status: string;
  address: string;
  business_scope: string;
  registration_authority: string;
}

export interface LicenceRow {
  subject_code: string;
  decision_number: string;
  licence_name: string;
  content: string;
  authority: string;
  decided_on: string;
  valid_from: string;
  valid_until: string | null;
  published_on: string | null;
}

export interface PenaltyRow {
  subject_code: string;
  decision_number: string;
  violation: string;
  content: string;
  basis: string;
  authority: string;
  area: string;
  serious: boolean;
  amount: number | null;
  decided_on: string;
  published_on: string | null;
  publication_ends_on: string | null;
}

export interface AbnormalOperationsRow {
  subject_code: string;
  reason: string;
  authority: string;
  listed_on: string;
  removed_on: string | null;
  removal_reason: string | null;
}

export interface SeriousViolationRow {
  subject_code: string;
  reason: string;
  authority: string;
  listed_on: string;
  removed_on: string | null;
}

export interface ContractHonouringRow {
  subject_code: string;
  year: number;
  authority: string;
  recognised_on: string;
  valid_until: string;
  revoked_on: string | null;
}

export interface SpotCheckRow {
  subject_code: string;
  matter: string;
  authority: string;
  checked_on: string;
  outcome: string;
}

export const registrations = tableSpec<RegistrationRow>('registration', {
  subject_code: 'text',
  name: 'text',
  entity_type: 'text',
  legal_rep_name: 'text',
  legal_rep_id: 'text',
  registered_capital: 'numeric',
  established_on: 'date',
  status: 'text',
  address: 'text',
  business_scope: 'text',
  registration_authority: 'text',
});

export const licences = tableSpec<LicenceRow>('administrative_licence', {
  subject_code: 'text',
  decision_number: 'text',
  licence_name: 'text',
  content: 'text',
  authority: 'text',
  decided_on: 'date',
  valid_from: 'date',
  valid_until: 'date',
  published_on: 'date',
});

export const penalties = tableSpec<PenaltyRow>('administrative_penalty', {
  subject_code: 'text',
  decision_number: 'text',
  violation: 'text',
  content: 'text',
  basis: 'text',
  authority: 'text',
  area: 'text',
  serious: 'boolean',
  amount: 'numeric',
  decided_on: 'date',
  published_on: 'date',
  publication_ends_on: 'date',
});

export const abnormalOperations = tableSpec<AbnormalOperationsRow>('abnormal_operations_entry', {
  subject_code: 'text',
  reason: 'text',
  authority: 'text',
  listed_on: 'date',
  removed_on: 'date',
  removal_reason: 'text',
});

export const seriousViolations = tableSpec<SeriousViolationRow>('serious_violation_entry', {
  subject_code: 'text',
  reason: 'text',
  authority: 'text',
  listed_on: 'date',
  removed_on: 'date',
});

export const spotChecks = tableSpec<SpotCheckRow>('spot_check_result', {
  subject_code: 'text',
  matter: 'text',
  authority: 'text',
  checked_on: 'date',
  outcome: 'text',
});

export const contractHonouringRecognitions = tableSpec<ContractHonouringRow>('contract_honouring_recognition', {
  subject_code: 'text',
  year: 'integer',
  authority: 'text',
  recognised_on: 'date',
  valid_until: 'date',
  revoked_on: 'date',
});

/** Writes contract-honouring recognitions (守合同重信用企业) in one transaction: market supervision's publicity feed. */
export const writeContractHonouringRecognitions = batchWriter<{ recognitions: ContractHonouringRow[] }>({ recognitions: contractHonouringRecognitions });

export interface MarketRecords {
  registrations: RegistrationRow[];
  licences: LicenceRow[];
  penalties: PenaltyRow[];
  abnormalOperations: AbnormalOperationsRow[];
  seriousViolations: SeriousViolationRow[];
  spotChecks: SpotCheckRow[];
}

/** Writes a batch of market records in one transaction. */
export const writeMarketRecords = batchWriter<MarketRecords>({ registrations, licences, penalties, abnormalOperations, seriousViolations, spotChecks });

// Reads alias columns to the GraphQL field names; dates leave the database as ISO text.
export function createMarketLoaders(db: Queryable) {
  return {
    registration: rowBySubject<{ name: string; legal_rep_name: string; legal_rep_id: string }>(
      db,
      `SELECT subject_code, name, entity_type AS "entityType", legal_rep_name, legal_rep_id,
              registered_capital::float8 AS "registeredCapital", established_on::text AS "establishedOn", status, address,
              business_scope AS "businessScope", registration_authority AS "registrationAuthority"
         FROM registration WHERE subject_code = ANY($1::text[])`,
    ),
    licences: rowsBySubject(
      db,
      `SELECT subject_code, decision_number AS "decisionNumber", licence_name AS "licenceName", content, authority,
              decided_on::text AS "decidedOn", valid_from::text AS "validFrom", valid_until::text AS "validUntil",
              published_on::text AS "publishedOn"
         FROM administrative_licence WHERE subject_code = ANY($1::text[]) ORDER BY decided_on DESC, id`,
    ),
    penalties: rowsBySubject(
      db,
      `SELECT subject_code, 'administrative_penalty/' || decision_number AS "recordId", decision_number AS "decisionNumber", violation, content, basis, authority, area, serious,
              amount::float8 AS amount, decided_on::text AS "decidedOn", published_on::text AS "publishedOn",
              publication_ends_on::text AS "publicationEndsOn"
         FROM administrative_penalty WHERE subject_code = ANY($1::text[]) ORDER BY decided_on DESC, id`,
    ),
    abnormalOperations: rowsBySubject(
      db,
      `SELECT subject_code, 'abnormal_operations_entry/' || subject_code || '/' || listed_on::text AS "recordId", reason, authority,
              listed_on::text AS "listedOn", removed_on::text AS "removedOn", removal_reason AS "removalReason"
         FROM abnormal_operations_entry WHERE subject_code = ANY($1::text[]) ORDER BY listed_on DESC, id`,
    ),
    seriousViolations: rowsBySubject(
      db,
      `SELECT subject_code, 'serious_violation_entry/' || subject_code || '/' || listed_on::text AS "recordId", reason, authority,
              listed_on::text AS "listedOn", removed_on::text AS "removedOn"
         FROM serious_violation_entry WHERE subject_code = ANY($1::text[]) ORDER BY listed_on DESC, id`,
    ),
    contractHonouring: rowsBySubject(
      db,
      `SELECT subject_code, 'contract_honouring_recognition/' || subject_code || '/' || year AS "recordId", year, authority,
              recognised_on::text AS "recognisedOn", valid_until::text AS "validUntil", revoked_on::text AS "revokedOn"
         FROM contract_honouring_recognition WHERE subject_code = ANY($1::text[]) ORDER BY year DESC, id`,
    ),
    // Keyed by the person: the entities whose registered legal representative they are.
    representedEntities: rowsBySubject(
      db,
      `SELECT legal_rep_id AS subject_code, subject_code AS code, name, status
         FROM registration WHERE legal_rep_id = ANY($1::text[]) ORDER BY subject_code`,
    ),
    spotChecks: rowsBySubject(
      db,
      `SELECT subject_code, matter, authority, checked_on::text AS "checkedOn", outcome
         FROM spot_check_result WHERE subject_code = ANY($1::text[]) ORDER BY checked_on DESC, id`,
    ),
  };
}

export type MarketLoaders = ReturnType<typeof createMarketLoaders>;
