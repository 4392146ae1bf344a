/**
 * What the credit office discloses of its lists and workflow decisions
 * (DESIGN.md «Decisions»: "Disclosure follows decisions"):
 *
 * - a list entry whose record is disputed carries the dispute mark while the
 *   objection is verified (柴桑 (二十一): "作出存在异议的标注");
 * - an entry withdrawn by a decision (revoked or corrected after an upheld
 *   objection, repaired) is never shown to callers without `records`, not even
 *   as a past entry; callers with `records` see it with its withdrawal;
 * - an approved repair publishes a repair notice (柴桑 (二十): "修复说明予以
 *   公示") — who, which record, when, which rectification — for the policy's
 *   period (policy/repair.ts repairNoticeUntil);
 * - natural persons' identity numbers in a list entry's code and record, and
 *   in a notice, are masked for callers without `personal` (lib/personal-data.ts).
 */
import type { Queryable } from '../../lib/db';
import type { ForwardedIdentity } from '../../lib/auth/identity-header';
import type { ResolverMap, SubgraphContext } from '../../lib/subgraph';
import { seesAllRecords } from '../../lib/disclosure';
import { personalTextFor } from '../../lib/personal-data';
import { todayInChina } from '../../lib/clock';
import { requireSubjectCode } from '../../lib/errors';
import { rowsBySubject } from '../../lib/loaders';
import { recordKey, type Department } from './vocabulary';
import { addDays, entryInForce, REPAIR_NOTICE_WORKING_DAYS, repairNoticeUntil } from './policy';
import { decodeIdCursor, encodeIdCursor, perRequest, requirePageSize } from './workflows/common';
import { disputes, type Dispute } from './workflows/status';
import DataLoader from 'dataloader';

interface EntryLike {
  department: string;
  sourceRecord: string;
  code: string;
  until: string | null;
  withdrawal?: string | null;
  withdrawalReference?: string | null;
}

/**
 * The entries this caller may see: with `records` every one, withdrawn and ended included; otherwise those in
 * force (disclosure windows, lib/disclosure.ts: a list entry is published while in force; found by a black-box
 * review: PUBLIC read a debtor entry ended in 2020 while the court no longer published the debtor).
 */
export function visibleEntries<E extends EntryLike & { since: string }>(caller: Pick<ForwardedIdentity, 'scopes'>, entries: readonly E[], today: string = todayInChina()): E[] {
  return seesAllRecords(caller) ? [...entries] : entries.filter((entry) => !entry.withdrawal && entryInForce(entry, today));
}

/** The dispute (if any) of each record, one statement per request: the checks' own answer (workflows/status.ts). */
const disputesLoader = perRequest(
  (db) =>
    new DataLoader<string, Dispute | null>(async (keys) => {
      const refs = keys.map((key) => {
        const at = key.indexOf(':');
        return { department: key.slice(0, at) as Department, recordId: key.slice(at + 1) };
      });
      const byKey = await disputes(db, refs);
      return keys.map((key) => byKey.get(key) ?? null);
    }),
);

// ---------------------------------------------------------------- repair notices

export interface RepairNotice {
  id: string;
  subjectCode: string;
  department: Department;
  recordId: string;
  recordKind: string;
  repairedOn: string;
  rectification: string[];
  publishedUntil: string;
}

const NOTICE_FIELDS = `repair_application.id::text AS id, subject_code AS "subjectCode", department, record_id AS "recordId", record_kind AS "recordKind",
  (decided_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "repairedOn", rectification`;

/**
 * Notices in publication on `today`: repairs approved within the notice
 * period. The SQL bound is generous (calendar days ≥ working days); the
 * policy's own end decides.
 */
const IN_PUBLICATION = `status = 'APPROVED' AND (decided_at AT TIME ZONE 'Asia/Shanghai')::date >= $1::date`;
const noticeWindowStart = (today: string) => addDays(today, -2 * REPAIR_NOTICE_WORKING_DAYS - 7);

function published(rows: Omit<RepairNotice, 'publishedUntil'>[], today: string): RepairNotice[] {
  return rows.map((row) => ({ ...row, publishedUntil: repairNoticeUntil(row.repairedOn) })).filter((notice) => notice.publishedUntil >= today);
}

export async function repairNoticesPage(q: Queryable, today: string, limit: number, after: string | null): Promise<RepairNotice[]> {
  const rows = await q.query<Omit<RepairNotice, 'publishedUntil'>>(
    `SELECT ${NOTICE_FIELDS} FROM repair_application WHERE ${IN_PUBLICATION} ${after ? 'AND repair_application.id < $3::bigint' : ''}
      ORDER BY repair_application.id DESC LIMIT $2`,
    after ? [noticeWindowStart(today), limit, after] : [noticeWindowStart(today), limit],
  );
  return published(rows, today);
}

const noticesOfSubject = perRequest((db) =>
  rowsBySubject<Omit<RepairNotice, 'publishedUntil'>>(
    db,
    `SELECT subject_code, ${NOTICE_FIELDS} FROM repair_application
      WHERE subject_code = ANY($1::text[]) AND status = 'APPROVED' ORDER BY repair_application.id DESC`,
  ),
);

type Context = SubgraphContext<unknown>;

/** A subject's repair notices in publication today (the page's and the credit report's). */
export async function publishedRepairNotices(context: Context, code: string): Promise<RepairNotice[]> {
  return published(await noticesOfSubject(context).load(requireSubjectCode(code)), todayInChina());
}
const masked = (context: Context, text: string) => personalTextFor(context.caller, text);

export const disclosureResolvers: ResolverMap = {
  Query: {
    repairNotices: async (_root: unknown, args: { first: number; after?: string | null }, context: Context) => {
      const first = requirePageSize(args.first);
      const after = args.after ? decodeIdCursor('notice', args.after, 'repairNotices') : null;
      const today = todayInChina();
      const rows = await repairNoticesPage(context.db, today, first + 1, after);
      const nodes = rows.slice(0, first);
      const last = nodes[nodes.length - 1];
      return { nodes, endCursor: last ? encodeIdCursor('notice', last.id) : null, hasNextPage: rows.length > first };
    },
  },
  Subject: {
    repairNotices: (subject: { code: string }, _args: unknown, context: Context) => publishedRepairNotices(context, subject.code),
  },
  ListEntry: {
    code: (entry: EntryLike, _args: unknown, context: Context) => masked(context, entry.code),
    sourceRecord: (entry: EntryLike, _args: unknown, context: Context) => masked(context, entry.sourceRecord),
    dispute: (entry: EntryLike, _args: unknown, context: Context) =>
      entry.withdrawal ? null : disputesLoader(context).load(recordKey({ department: entry.department as Department, recordId: entry.sourceRecord })),
    withdrawal: (entry: EntryLike) =>
      entry.withdrawal ? { reason: entry.withdrawal, on: entry.until, reference: entry.withdrawalReference ?? '' } : null,
  },
  RepairNotice: {
    subjectCode: (notice: RepairNotice, _args: unknown, context: Context) => masked(context, notice.subjectCode),
    recordId: (notice: RepairNotice, _args: unknown, context: Context) => masked(context, notice.recordId),
  },
};
