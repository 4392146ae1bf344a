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
): Promise<ListEntryView[]> {
  const params: unknown[] = [kind, today, limit];
  let keyset = '';
  if (after) {
    params.push(after.since, after.id);
    keyset = 'AND (since, id) < ($4::date, $5::bigint)';
  }
  return q.query<ListEntryView & { subject_code: string }>(
    `SELECT id::text AS id, ${LIST_ENTRY_FIELDS}
       FROM list_entry
      WHERE kind = $1 AND since <= $2::date AND (until IS NULL OR until > $2::date) AND withdrawal IS NULL ${keyset}
      ORDER BY list_entry.since DESC, list_entry.id DESC
      LIMIT $3`,
    params,
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
