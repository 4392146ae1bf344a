/**
 * The "initiate" step of the seed: each department publishes its
 * determinations to the credit office, which keeps them as list entries.
 * An entry names the department and the record it stands on, and runs from
 * the determination until the department removes the record (or a newer
 * rating supersedes it), so the lists and the departments' records never
 * disagree about what is in force.
 *
 * Which records reach which list, and for how long, is the credit policy's
 * list rules (subgraphs/credit/policy/lists.ts): the seed asks the same
 * functions `publishListEntry` checks against, so a seeded entry is one the
 * credit office would accept.
 */
import type { ListEntryRow } from '../../subgraphs/credit/store';
import type { CourtRecords } from '../../subgraphs/courts/store';
import type { EnvironmentRecords } from '../../subgraphs/environment/store';
import type { MarketRecords } from '../../subgraphs/market/store';
import type { TaxRecords } from '../../subgraphs/tax/store';
import { laterEnd, listRuleFor, penaltyListKind, ratingEnds, ratingListKind, type ListKind } from '../../subgraphs/credit/policy/lists';

type Entry = ListEntryRow;

export function marketListEntries(records: MarketRecords): Entry[] {
  const entries: Entry[] = [];
  for (const row of records.seriousViolations) {
    entries.push({
      subject_code: row.subject_code,
      kind: 'BLACK',
      reason: `列入严重违法失信名单：${row.reason}`,
      department: 'MARKET',
      source_record: `serious_violation_entry/${row.subject_code}/${row.listed_on}`,
      since: row.listed_on,
      until: row.removed_on,
    });
  }
  for (const row of records.penalties) {
    const kind = penaltyListKind('MARKET', { serious: row.serious, area: row.area, publishedOn: row.published_on });
    if (row.published_on === null || kind === null) continue;
    entries.push({
      subject_code: row.subject_code,
      kind,
      reason: kind === 'BLACK' ? `严重违法行为受到较重行政处罚：${row.violation}（${row.decision_number}）` : `受到行政处罚：${row.violation}（${row.decision_number}）`,
      department: 'MARKET',
      source_record: `administrative_penalty/${row.decision_number}`,
      since: row.published_on,
      until: row.publication_ends_on,
    });
  }
  for (const row of records.abnormalOperations) {
    entries.push({
      subject_code: row.subject_code,
      kind: 'KEY_ATTENTION',
      reason: `列入经营异常名录：${row.reason}`,
      department: 'MARKET',
      source_record: `abnormal_operations_entry/${row.subject_code}/${row.listed_on}`,
      since: row.listed_on,
      until: row.removed_on,
    });
  }
  return entries;
}

export function taxListEntries(records: TaxRecords): Entry[] {
  const labels: Partial<Record<ListKind, string>> = { RED: 'A级', KEY_ATTENTION: 'D级' };
  const entries: Entry[] = ratingEntries(records.creditRatings, 'TAX', 'tax_credit_rating', (year, kind) => `${year}年度纳税信用${labels[kind]}纳税人`);
  for (const row of records.majorViolations) {
    entries.push({
      subject_code: row.subject_code,
      kind: 'BLACK',
      reason: `重大税收违法失信主体（${row.case_number}）`,
      department: 'TAX',
      source_record: `major_tax_violation/${row.subject_code}/${row.case_number}`,
      since: row.published_on,
      until: row.removed_on,
    });
  }
  // One notice lists several taxes; the subject is of concern from the notice until the last of them is paid.
  const notices = new Map<string, { row: TaxRecords['arrears'][number]; settled: string | null }>();
  for (const row of records.arrears) {
    const key = `${row.subject_code}/${row.notice_number}`;
    const seen = notices.get(key);
    const settled = seen === undefined ? row.settled_on : laterEnd(seen.settled, row.settled_on);
    notices.set(key, { row: seen?.row ?? row, settled });
  }
  for (const [key, { row, settled }] of notices) {
    entries.push({
      subject_code: row.subject_code,
      kind: 'KEY_ATTENTION',
      reason: `欠税公告（${row.notice_number}）`,
      department: 'TAX',
      source_record: `tax_arrears_notice/${key}`,
      since: row.announced_on,
      until: settled,
    });
  }
  return entries;
}

export function courtListEntries(records: CourtRecords): Entry[] {
  return records.dishonestDebtors.map((row) => ({
    subject_code: row.subject_code,
    kind: 'BLACK',
    reason: `失信被执行人：${row.dishonest_conduct}（${row.case_number}）`,
    department: 'COURTS',
    source_record: `dishonest_debtor/${row.subject_code}/${row.case_number}`,
    since: row.listed_on,
    until: row.removed_on,
  }));
}

export function environmentListEntries(records: EnvironmentRecords): Entry[] {
  const labels: Record<ListKind, string> = { RED: '环保诚信企业（绿牌）', BLACK: '环保严重失信企业（黑牌）', KEY_ATTENTION: '环保不良企业（红牌）' };
  const entries = ratingEntries(records.creditRatings, 'ENVIRONMENT', 'environmental_credit_rating', (year, kind) => `${year}年度企业环境信用评价为${labels[kind]}`);
  for (const row of records.penalties) {
    const kind = penaltyListKind('ENVIRONMENT', { serious: row.serious, publishedOn: row.published_on });
    if (row.published_on === null || kind === null) continue;
    entries.push({
      subject_code: row.subject_code,
      kind,
      reason: kind === 'BLACK' ? `严重环境违法行为：${row.violation}（${row.decision_number}）` : `环境违法行为受到行政处罚：${row.violation}（${row.decision_number}）`,
      department: 'ENVIRONMENT',
      source_record: `environmental_penalty/${row.decision_number}`,
      since: row.published_on,
      until: row.publication_ends_on,
    });
  }
  return entries;
}

interface RatingRow {
  subject_code: string;
  year: number;
  level: string;
  assessed_on: string;
}

/**
 * The entries of a department's ratings: each rating the policy lists
 * (ratingListKind), from its assessment until the subject's next rating
 * supersedes it (ratingEnds).
 */
function ratingEntries(
  rows: readonly RatingRow[],
  department: 'TAX' | 'ENVIRONMENT',
  table: string,
  reason: (year: number, kind: ListKind) => string,
): Entry[] {
  const bySubject = new Map<string, RatingRow[]>();
  for (const row of rows) {
    const list = bySubject.get(row.subject_code);
    if (list) list.push(row);
    else bySubject.set(row.subject_code, [row]);
  }
  const entries: Entry[] = [];
  for (const ratings of bySubject.values()) {
    const ends = ratingEnds(ratings.map((row) => ({ row, year: row.year, assessedOn: row.assessed_on })));
    for (const [{ row }, until] of ends) {
      const kind = ratingListKind(department, row.level);
      const sourceRecord = `${table}/${row.subject_code}/${row.year}`;
      if (kind === null || listRuleFor(kind, department, sourceRecord) === null) continue;
      entries.push({ subject_code: row.subject_code, kind, reason: reason(row.year, kind), department, source_record: sourceRecord, since: row.assessed_on, until });
    }
  }
  return entries;
}
