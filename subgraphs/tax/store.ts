/**
 * The tax authority's database layer: the rows it stores and the reads the
 * subgraph makes. Writers are used by the seed and by the department's own
 * data feeds; readers back the per-request loaders.
 */
import type { Queryable } from '../../lib/db';
import { batchWriter, tableSpec } from '../../lib/bulk';
import { rowsBySubject } from '../../lib/loaders';

export interface TaxCreditRatingRow {
  subject_code: string;
  year: number;
  level: string;
  score: number | null;
  assessed_on: string;
  tax_authority: string;
}

export interface MajorTaxViolationRow {
  subject_code: string;
  case_number: string;
  nature: string;
  amount: number;
  facts: string;
  tax_authority: string;
  decided_on: string;
  published_on: string;
  removed_on: string | null;
}

export interface TaxArrearsNoticeRow {
  subject_code: string;
  notice_number: string;
  tax_type: string;
  amount: number;
  tax_authority: string;
  announced_on: string;
  settled_on: string | null;
}

export const creditRatings = tableSpec<TaxCreditRatingRow>('tax_credit_rating', {
  subject_code: 'text',
  year: 'integer',
  level: 'text',
  score: 'numeric',
  assessed_on: 'date',
  tax_authority: 'text',
});

export const majorViolations = tableSpec<MajorTaxViolationRow>('major_tax_violation', {
  subject_code: 'text',
  case_number: 'text',
  nature: 'text',
  amount: 'numeric',
  facts: 'text',
  tax_authority: 'text',
  decided_on: 'date',
  published_on: 'date',
  removed_on: 'date',
});

export const arrears = tableSpec<TaxArrearsNoticeRow>('tax_arrears_notice', {
  subject_code: 'text',
  notice_number: 'text',
  tax_type: 'text',
  amount: 'numeric',
  tax_authority: 'text',
  announced_on: 'date',
  settled_on: 'date',
});

export interface TaxRecords {
  creditRatings: TaxCreditRatingRow[];
  majorViolations: MajorTaxViolationRow[];
  arrears: TaxArrearsNoticeRow[];
}

/** Writes a batch of tax records in one transaction. */
export const writeTaxRecords = batchWriter<TaxRecords>({ creditRatings, majorViolations, arrears });

// Reads alias columns to the GraphQL field names; dates leave the database as ISO text.
export function createTaxLoaders(db: Queryable) {
  return {
    creditRatings: rowsBySubject(
      db,
      `SELECT subject_code, 'tax_credit_rating/' || subject_code || '/' || year AS "recordId", year, level, score::float8 AS score, assessed_on::text AS "assessedOn",
              tax_authority AS "taxAuthority"
         FROM tax_credit_rating WHERE subject_code = ANY($1::text[]) ORDER BY year DESC`,
    ),
    majorViolations: rowsBySubject(
      db,
      `SELECT subject_code, 'major_tax_violation/' || subject_code || '/' || case_number AS "recordId", case_number AS "caseNumber", nature, amount::float8 AS amount, facts,
              tax_authority AS "taxAuthority", decided_on::text AS "decidedOn", published_on::text AS "publishedOn",
              removed_on::text AS "removedOn"
         FROM major_tax_violation WHERE subject_code = ANY($1::text[]) ORDER BY decided_on DESC, id`,
    ),
    arrears: rowsBySubject(
      db,
      `SELECT subject_code, 'tax_arrears_notice/' || subject_code || '/' || notice_number AS "recordId", notice_number AS "noticeNumber", tax_type AS "taxType", amount::float8 AS amount,
              tax_authority AS "taxAuthority", announced_on::text AS "announcedOn", settled_on::text AS "settledOn"
         FROM tax_arrears_notice WHERE subject_code = ANY($1::text[]) ORDER BY announced_on DESC, id`,
    ),
  };
}

export type TaxLoaders = ReturnType<typeof createTaxLoaders>;
