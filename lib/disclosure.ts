/**
 * What a caller without the `records` scope (PUBLIC, trading platforms,
 * banks, developers) sees of a department's records: what the rules publish,
 * and nothing that has left publication. One rule per kind of record, shared
 * by every department that holds that kind:
 *
 *   penalty          published and within its publication period:
 *                    publishedOn <= today < publicationEndsOn (no end: open)
 *   licence          published, and still valid: validUntil null or >= today
 *   list entry       in force: listedOn <= today, removedOn null or > today
 *                    (abnormal operations, serious illegal and dishonest list)
 *   dishonest debtor not removed: removedOn null or > today
 *
 * Dates are ISO calendar dates in China (lib/clock.ts), compared as text.
 *
 * Applied in the resolvers to the rows the per-request DataLoader already
 * read, not in SQL: each table stays one statement per request whoever asks,
 * and the same rows serve both the caller's view and the credit office's
 * evidence for a check (which must see the full record, so a verdict does
 * not depend on the role that asked for it; lib/profile-resolvers.ts).
 */
import type { ForwardedIdentity } from './auth/identity-header';
import { todayInChina } from './clock';

type Day = string | null | undefined;

const RULES = {
  penalty: (row: { publishedOn: Day; publicationEndsOn: Day }, today: string) =>
    !!row.publishedOn && row.publishedOn <= today && (!row.publicationEndsOn || row.publicationEndsOn > today),
  licence: (row: { publishedOn: Day; validUntil: Day }, today: string) =>
    !!row.publishedOn && row.publishedOn <= today && (!row.validUntil || row.validUntil >= today),
  listEntry: (row: { listedOn: Day; removedOn: Day }, today: string) =>
    !!row.listedOn && row.listedOn <= today && (!row.removedOn || row.removedOn > today),
  dishonestDebtor: (row: { removedOn: Day }, today: string) => !row.removedOn || row.removedOn > today,
} as const;

export type DisclosureRule = keyof typeof RULES;
type RowOf<K extends DisclosureRule> = Parameters<(typeof RULES)[K]>[0];

/** Whether the caller may see a department's records in full (published or not, in force or not). */
export function seesAllRecords(caller: Pick<ForwardedIdentity, 'scopes'>): boolean {
  return caller.scopes.includes('records');
}

/** Whether one record is publicly disclosed today under its kind's rule. */
export function isDisclosed<K extends DisclosureRule>(rule: K, row: RowOf<K>, today: string = todayInChina()): boolean {
  return (RULES[rule] as (row: RowOf<K>, today: string) => boolean)(row, today);
}

/** The rows this caller may see: all of them with `records`, else those the rule publishes today. */
export function disclosedTo<K extends DisclosureRule, R extends RowOf<K>>(
  caller: Pick<ForwardedIdentity, 'scopes'>,
  rule: K,
  rows: readonly R[],
  today: string = todayInChina(),
): R[] {
  if (seesAllRecords(caller)) return [...rows];
  return rows.filter((row) => isDisclosed(rule, row, today));
}

/**
 * The same rules as SQL conditions over a department's table (columns published_on,
 * publication_ends_on / valid_until), for pages that filter and page in the database (the
 * double-publicity listing). `today` is the SQL expression of today's China date, e.g. `$1::date`.
 * test/subgraphs/market-publicity.test.ts checks each against isDisclosed.
 */
export const DISCLOSED_SQL = {
  penalty: (today: string) => `(published_on IS NOT NULL AND published_on <= ${today} AND (publication_ends_on IS NULL OR publication_ends_on > ${today}))`,
  licence: (today: string) => `(published_on IS NOT NULL AND published_on <= ${today} AND (valid_until IS NULL OR valid_until >= ${today}))`,
} as const satisfies Partial<Record<DisclosureRule, (today: string) => string>>;
