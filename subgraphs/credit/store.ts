/**
 * The credit office's database layer: list entries published by the
 * departments' determinations, and the reads behind `Subject.lists` and the
 * public `listEntries` pages.
 */
import type { Database, Queryable } from '../../lib/db';
import { createCheckDecisionLoader } from './checks/resolvers';
import { batchWriter, tableSpec } from '../../lib/bulk';
import { rowsBySubject } from '../../lib/loaders';
import { createCreditGradeLoader } from './supervision';

export type { ListKind } from './policy';
import type { ListKind } from './policy';

export interface ListEntryRow {
  subject_code: string;
  kind: ListKind;
  reason: string;
  department: string;
  source_record: string;
  since: string;
  until: string | null;
}

export const listEntries = tableSpec<ListEntryRow>('list_entry', {
  subject_code: 'text',
  kind: 'text',
  reason: 'text',
  department: 'text',
  source_record: 'text',
  since: 'date',
  until: 'date',
});

export interface CreditRecords {
  listEntries: ListEntryRow[];
}

/** Writes a batch of list entries in one transaction. */
export const writeCreditRecords = batchWriter<CreditRecords>({ listEntries });

/**
 * The columns a list entry is read with. `id` and `since` come out as text, so
 * an ORDER BY must name the table's columns (`list_entry.id`): a bare `id`
 * would sort the text output column, '9' after '10', and disagree with the
 * bigint keyset comparison that pages on it.
 */
const LIST_ENTRY_FIELDS = `subject_code, subject_code AS code, kind, reason, department, source_record AS "sourceRecord",
  since::text AS since, until::text AS until, withdrawal, withdrawal_reference AS "withdrawalReference"`;

export interface ListEntryView {
  id: string;
  code: string;
  kind: ListKind;
  reason: string;
  department: string;
  sourceRecord: string;
  since: string;
  until: string | null;
  /** Withdrawn from public disclosure by a decision (disclosure.ts): REVOKED, CORRECTED, REPAIRED. */
  withdrawal?: string | null;
  withdrawalReference?: string | null;
}

export interface ListPosition {
  since: string;
  id: string;
}

/** Which entries a list page shows besides its kind: the determining department, and when they took effect (inclusive). */
export interface ListFilter {
  department: string | null;
  sinceFrom: string | null;
  sinceTo: string | null;
}

/**
 * One page of the entries of a kind in force on `today`, newest first. Keyset
 * paging on (since, id) keeps pages stable while entries are added.
 */
export async function listEntriesInForce(
  q: Queryable,
  kind: ListKind,
  today: string,
  limit: number,
  after: ListPosition | null,
  filter: ListFilter = { department: null, sinceFrom: null, sinceTo: null },
): Promise<ListEntryView[]> {
  return q.query<ListEntryView & { subject_code: string }>(
    `SELECT id::text AS id, ${LIST_ENTRY_FIELDS}
       FROM list_entry
      WHERE kind = $1 AND since <= $2::date AND (until IS NULL OR until > $2::date) AND withdrawal IS NULL
        AND ($4::date IS NULL OR (since, id) < ($4::date, $5::bigint))
        AND ($6::text IS NULL OR department = $6::text)
        AND ($7::date IS NULL OR since >= $7::date)
        AND ($8::date IS NULL OR since <= $8::date)
      ORDER BY list_entry.since DESC, list_entry.id DESC
      LIMIT $3`,
    [kind, today, limit, after?.since ?? null, after?.id ?? null, filter.department, filter.sinceFrom, filter.sinceTo],
  );
}

export function createCreditLoaders(db: Database) {
  return {
    // Decides every check the gateway hands back in one request as one batch.
    checkDecisions: createCheckDecisionLoader(db),
    // Subject.creditGrade of every subject in one request: one statement.
    creditGrade: createCreditGradeLoader(db),
    lists: rowsBySubject<ListEntryView>(
      db,
      `SELECT id::text AS id, ${LIST_ENTRY_FIELDS} FROM list_entry WHERE subject_code = ANY($1::text[])
        ORDER BY list_entry.since DESC, list_entry.id DESC`,
    ),
  };
}

export type CreditLoaders = ReturnType<typeof createCreditLoaders>;
