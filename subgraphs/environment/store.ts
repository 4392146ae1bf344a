/**
 * The environment authority's database layer: the rows it stores and the
 * reads the subgraph makes. Writers are used by the seed and by the
 * department's own data feeds; readers back the per-request loaders.
 */
import type { Queryable } from '../../lib/db';
import { batchWriter, tableSpec } from '../../lib/bulk';
import { rowsBySubject } from '../../lib/loaders';

export interface EnvironmentalCreditRatingRow {
  subject_code: string;
  year: number;
  level: string;
  authority: string;
  assessed_on: string;
}

export interface EnvironmentalPenaltyRow {
  subject_code: string;
  decision_number: string;
  violation: string;
  content: string;
  basis: string;
  authority: string;
  serious: boolean;
  amount: number | null;
  decided_on: string;
  published_on: string | null;
  publication_ends_on: string | null;
}

export interface DischargePermitRow {
  subject_code: string;
  permit_number: string;
  industry: string;
  pollutants: string[];
  issued_on: string;
  valid_until: string;
  status: string;
}

export const creditRatings = tableSpec<EnvironmentalCreditRatingRow>('environmental_credit_rating', {
  subject_code: 'text',
  year: 'integer',
  level: 'text',
  authority: 'text',
  assessed_on: 'date',
});

export const penalties = tableSpec<EnvironmentalPenaltyRow>('environmental_penalty', {
  subject_code: 'text',
  decision_number: 'text',
  violation: 'text',
  content: 'text',
  basis: 'text',
  authority: 'text',
  serious: 'boolean',
  amount: 'numeric',
  decided_on: 'date',
  published_on: 'date',
  publication_ends_on: 'date',
});

export const dischargePermits = tableSpec<DischargePermitRow>('discharge_permit', {
  subject_code: 'text',
  permit_number: 'text',
  industry: 'text',
  pollutants: 'text[]',
  issued_on: 'date',
  valid_until: 'date',
  status: 'text',
});

export interface EnvironmentRecords {
  creditRatings: EnvironmentalCreditRatingRow[];
  penalties: EnvironmentalPenaltyRow[];
  dischargePermits: DischargePermitRow[];
}

/** Writes a batch of environment records in one transaction. */
export const writeEnvironmentRecords = batchWriter<EnvironmentRecords>({ creditRatings, penalties, dischargePermits });

// Reads alias columns to the GraphQL field names; dates leave the database as ISO text.
export function createEnvironmentLoaders(db: Queryable) {
  return {
    creditRatings: rowsBySubject(
      db,
      `SELECT subject_code, 'environmental_credit_rating/' || subject_code || '/' || year AS "recordId", year, level, authority, assessed_on::text AS "assessedOn"
         FROM environmental_credit_rating WHERE subject_code = ANY($1::text[]) ORDER BY year DESC`,
    ),
    penalties: rowsBySubject(
      db,
      `SELECT subject_code, 'environmental_penalty/' || decision_number AS "recordId", decision_number AS "decisionNumber", violation, content, basis, authority, serious,
              amount::float8 AS amount, decided_on::text AS "decidedOn", published_on::text AS "publishedOn",
              publication_ends_on::text AS "publicationEndsOn"
         FROM environmental_penalty WHERE subject_code = ANY($1::text[]) ORDER BY decided_on DESC, id`,
    ),
    dischargePermits: rowsBySubject(
      db,
      `SELECT subject_code, permit_number AS "permitNumber", industry, pollutants, issued_on::text AS "issuedOn",
              valid_until::text AS "validUntil", status
         FROM discharge_permit WHERE subject_code = ANY($1::text[]) ORDER BY issued_on DESC, id`,
    ),
  };
}

export type EnvironmentLoaders = ReturnType<typeof createEnvironmentLoaders>;
