/**
 * The list rules: which department records put a subject on which list, as
 * which trigger, and for how long. The lists are the credit office's
 * determinations; a check applies every entry in force (checks/decide.ts),
 * `publishListEntry` accepts only what these rules say, and the seed builds
 * its entries with the same functions.
 *
 * Source: DESIGN.md «The credit platform's rules» — red list: tax rating A,
 * environmental GREEN (credit models, 诚信典型), "keeps contracts" units
 * (守合同重信用企业, publicised by market supervision); black list: dishonest
 * judgment debtors, major tax violation parties, the serious illegal and
 * dishonest list, serious environmental violators (rating BLACK, serious
 * penalties), breach of a credit commitment, serious penalties in the
 * black-list areas (policy/penalties.ts); key attention: dishonest conduct
 * below that threshold (abnormal operations, unpaid tax arrears,
 * environmental RED, tax rating D, administrative penalties below the
 * black-list threshold). These rules are the one source of which department
 * records are which trigger: the check finds the triggers in a subject's
 * records through them (checks/evidence.ts), so a record the rules put on a
 * list and its list entry are the same trigger. «Decisions»: "a red, black or key-attention list entry
 * in force is a determination that every check applies (with its department
 * as initiator and its record as trigger); an ended entry applies nothing;
 * publishing one is checked against the list rules"; "Every punishment has
 * an exit (period, repair, objection)".
 */
import type { Department } from '../vocabulary';
import { addDays, addYears } from './calendar';
import { isBlackListPenalty } from './penalties';
import type { Trigger } from './triggers';

export type ListKind = 'RED' | 'BLACK' | 'KEY_ATTENTION';

export interface ListRule {
  kind: ListKind;
  department: Department;
  /** The department's table, the first part of the record id (`<table>/<natural key>`). */
  table: string;
  /** The trigger an entry of this rule is in a check. */
  trigger: Trigger;
  /** Which records of the table qualify, and how long their entry runs. */
  runs: string;
}

/** Years a breached commitment keeps its subject on the black list unless repaired or revoked first. */
export const COMMITMENT_BREACH_LIST_YEARS = 3;

export const LIST_RULES: readonly ListRule[] = [
  { kind: 'BLACK', department: 'COURTS', table: 'dishonest_debtor', trigger: 'DISHONEST_JUDGMENT_DEBTOR', runs: 'from listing until the court removes the debtor' },
  { kind: 'BLACK', department: 'TAX', table: 'major_tax_violation', trigger: 'MAJOR_TAX_VIOLATION', runs: 'from publication until removed' },
  { kind: 'BLACK', department: 'MARKET', table: 'serious_violation_entry', trigger: 'SERIOUS_VIOLATION_LIST', runs: 'from listing until removed' },
  { kind: 'BLACK', department: 'MARKET', table: 'administrative_penalty', trigger: 'SERIOUS_PENALTY', runs: 'a published serious penalty in a black-list area, for its publication period' },
  { kind: 'BLACK', department: 'ENVIRONMENT', table: 'environmental_penalty', trigger: 'SERIOUS_PENALTY', runs: 'a published serious penalty, for its publication period' },
  { kind: 'BLACK', department: 'ENVIRONMENT', table: 'environmental_credit_rating', trigger: 'ENVIRONMENTAL_RATING_BLACK', runs: 'a BLACK rating, until the next rating' },
  { kind: 'BLACK', department: 'CREDIT_OFFICE', table: 'credit_commitment', trigger: 'COMMITMENT_BREACH', runs: `a breached commitment, ${COMMITMENT_BREACH_LIST_YEARS} years from the breach` },
  { kind: 'KEY_ATTENTION', department: 'CREDIT_OFFICE', table: 'rectification_order', trigger: 'RECTIFICATION_OVERDUE', runs: 'a rectification order open after its deadline, from the day after it until the subject rectifies' },
  { kind: 'KEY_ATTENTION', department: 'MARKET', table: 'abnormal_operations_entry', trigger: 'ABNORMAL_OPERATIONS', runs: 'from listing until removed' },
  { kind: 'KEY_ATTENTION', department: 'TAX', table: 'tax_arrears_notice', trigger: 'TAX_ARREARS', runs: 'from the notice until its last tax is paid' },
  { kind: 'KEY_ATTENTION', department: 'ENVIRONMENT', table: 'environmental_credit_rating', trigger: 'ENVIRONMENTAL_RATING_RED', runs: 'a RED rating, until the next rating' },
  { kind: 'RED', department: 'TAX', table: 'tax_credit_rating', trigger: 'TAX_RATING_A', runs: 'an A rating, until the next rating' },
  { kind: 'RED', department: 'ENVIRONMENT', table: 'environmental_credit_rating', trigger: 'ENVIRONMENTAL_RATING_GREEN', runs: 'a GREEN rating, until the next rating' },
  // Below the black-list threshold, and punished by the key-attention measures: 纳税信用D级 (《纳税信用管理办法》), and
  // every published penalty that does not black-list (DESIGN.md «rules»: "dishonest conduct below the black-list threshold").
  { kind: 'KEY_ATTENTION', department: 'TAX', table: 'tax_credit_rating', trigger: 'TAX_RATING_D', runs: 'a D rating, until the next rating' },
  { kind: 'KEY_ATTENTION', department: 'MARKET', table: 'administrative_penalty', trigger: 'ADMINISTRATIVE_PENALTY', runs: 'a published penalty below the black-list threshold (not serious, or serious outside the black-list areas), for its publication period' },
  { kind: 'KEY_ATTENTION', department: 'ENVIRONMENT', table: 'environmental_penalty', trigger: 'ADMINISTRATIVE_PENALTY', runs: 'a published penalty that is not serious, for its publication period' },
  // 守合同重信用企业: market supervision publicises the recognition (DESIGN.md «rules»: red list, "keeps contracts" units).
  { kind: 'RED', department: 'MARKET', table: 'contract_honouring_recognition', trigger: 'CONTRACT_HONOURING', runs: 'a contract-honouring recognition (守合同重信用), from its publicity until it expires or is revoked' },
];

/** The table of a record id `<table>/<natural key>`. */
export const recordTable = (recordId: string): string => recordId.slice(0, Math.max(0, recordId.indexOf('/')));

/** The rule an entry of `kind` by `department` on `recordId` follows, or null when no rule puts such a record on that list (or on none: `kind` null). */
export function listRuleFor(kind: ListKind | null, department: Department, recordId: string): ListRule | null {
  const table = recordTable(recordId);
  return LIST_RULES.find((rule) => rule.kind === kind && rule.department === department && rule.table === table) ?? null;
}

/** The record tables a department may put on a list of `kind` (for refusals that say what would be accepted). */
export const listableTables = (kind: ListKind, department: Department): string[] =>
  LIST_RULES.filter((rule) => rule.kind === kind && rule.department === department).map((rule) => rule.table);

/** Whether a record or entry ending on `end` (null: not ended) still counts on `today`: one ending today no longer does. */
export const notEnded = (end: string | null, today: string): boolean => end === null || end > today;

/** Whether an entry is in force on `today`: begun, and not ended. */
export const entryInForce = (entry: { since: string; until: string | null }, today: string): boolean => entry.since <= today && notEnded(entry.until, today);

/** The list a rating of `level` puts its subject on, by the department that rates. */
export function ratingListKind(department: Department, level: string): ListKind | null {
  if (department === 'TAX') return level === 'A' ? 'RED' : level === 'D' ? 'KEY_ATTENTION' : null;
  if (department === 'ENVIRONMENT') return level === 'GREEN' ? 'RED' : level === 'BLACK' ? 'BLACK' : level === 'RED' ? 'KEY_ATTENTION' : null;
  return null;
}

/**
 * The end of each rating's entry: a rating stands from its assessment until
 * the subject's next rating supersedes it; the latest has no end yet.
 * `ratings` are one subject's.
 */
export function ratingEnds<R extends { year: number; assessedOn: string }>(ratings: readonly R[]): Map<R, string | null> {
  const ordered = [...ratings].sort((a, b) => a.year - b.year);
  return new Map(ordered.map((rating, i) => [rating, ordered[i + 1]?.assessedOn ?? null]));
}

/** The list a published penalty puts its subject on: the black list for a black-list penalty, key attention for any other; none before it is published. */
export function penaltyListKind(department: Department, penalty: { serious: boolean; area?: string | null; publishedOn: string | null }): ListKind | null {
  if (penalty.publishedOn === null) return null;
  return isBlackListPenalty(department, penalty) ? 'BLACK' : 'KEY_ATTENTION';
}

/**
 * The end of a contract-honouring recognition's entry: the day after its
 * last valid day, or the day it was revoked if that is sooner.
 */
export function recognitionEnd(recognition: { validUntil: string | null; revokedOn: string | null }): string | null {
  const expires = recognition.validUntil === null ? null : addDays(recognition.validUntil, 1);
  if (recognition.revokedOn === null) return expires;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — `null < x` is false, so no expiry gives the revocation; equal dates are one date.
  return expires !== null && expires < recognition.revokedOn ? expires : recognition.revokedOn;
}

/** The black-list period of a breached commitment: from the breach, for COMMITMENT_BREACH_LIST_YEARS. */
export const commitmentBreachPeriod = (breachedOn: string): { since: string; until: string } => ({
  since: breachedOn,
  until: addYears(breachedOn, COMMITMENT_BREACH_LIST_YEARS),
});

/** The later of two end dates, where null means "not ended". */
export function laterEnd(a: string | null, b: string | null): string | null {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — `x > null` is false, so b null gives null; equal dates are one date.
  if (a === null || b === null) return null;
  // Stryker disable next-line EqualityOperator: equal dates are one date
  return a > b ? a : b;
}

/** One determination the rules derive from a subject's records: what its list entry is. */
export interface Determination {
  kind: ListKind;
  department: Department;
  sourceRecord: string;
  trigger: Trigger;
  since: string;
  until: string | null;
}

/** A subject's department records, as the credit office's evidence has them (checks/evidence.ts). */
export interface ListableRecords {
  market?: {
    penalties: readonly { recordId: string; area: string; serious: boolean; publishedOn: string | null; publicationEndsOn: string | null }[];
    abnormalOperations: readonly { recordId: string; listedOn: string; removedOn: string | null }[];
    seriousViolations: readonly { recordId: string; listedOn: string; removedOn: string | null }[];
    contractHonouring?: readonly { recordId: string; recognisedOn: string; validUntil: string | null; revokedOn: string | null }[];
  } | null;
  tax?: {
    creditRatings: readonly { recordId: string; year: number; level: string; assessedOn: string }[];
    majorViolations: readonly { recordId: string; publishedOn: string; removedOn: string | null }[];
    arrears: readonly { recordId: string; announcedOn: string; settledOn: string | null }[];
  } | null;
  courts?: { dishonestDebtors: readonly { recordId: string; listedOn: string; removedOn: string | null }[] } | null;
  environment?: {
    creditRatings: readonly { recordId: string; year: number; level: string; assessedOn: string }[];
    penalties: readonly { recordId: string; serious: boolean; publishedOn: string | null; publicationEndsOn: string | null }[];
  } | null;
}

/**
 * Every list entry the rules derive from one subject's records, current and
 * ended. Records of one id (an arrears notice listing several taxes) make one
 * entry, from the first notice until the last tax is paid.
 */
export function listDeterminations(records: ListableRecords): Determination[] {
  const out: Determination[] = [];
  const add = (kind: ListKind | null, department: Department, sourceRecord: string, since: string, until: string | null) => {
    const rule = listRuleFor(kind, department, sourceRecord);
    if (rule) out.push({ kind: rule.kind, department, sourceRecord, trigger: rule.trigger, since, until });
  };
  const { market, tax, courts, environment } = records;
  for (const r of courts?.dishonestDebtors ?? []) add('BLACK', 'COURTS', r.recordId, r.listedOn, r.removedOn);
  if (tax) {
    for (const [rating, until] of ratingEnds(tax.creditRatings)) add(ratingListKind('TAX', rating.level), 'TAX', rating.recordId, rating.assessedOn, until);
    for (const r of tax.majorViolations) add('BLACK', 'TAX', r.recordId, r.publishedOn, r.removedOn);
    const notices = new Map<string, { since: string; until: string | null }>();
    for (const r of tax.arrears) {
      const seen = notices.get(r.recordId);
      // Stryker disable next-line EqualityOperator: equal dates are one date
      notices.set(r.recordId, seen ? { since: seen.since < r.announcedOn ? seen.since : r.announcedOn, until: laterEnd(seen.until, r.settledOn) } : { since: r.announcedOn, until: r.settledOn });
    }
    for (const [recordId, { since, until }] of notices) add('KEY_ATTENTION', 'TAX', recordId, since, until);
  }
  if (market) {
    for (const r of market.seriousViolations) add('BLACK', 'MARKET', r.recordId, r.listedOn, r.removedOn);
    // Stryker disable next-line ConditionalExpression: equivalent — penaltyListKind lists no unpublished penalty; the test narrows the type
    for (const r of market.penalties) if (r.publishedOn !== null) add(penaltyListKind('MARKET', r), 'MARKET', r.recordId, r.publishedOn, r.publicationEndsOn);
    for (const r of market.abnormalOperations) add('KEY_ATTENTION', 'MARKET', r.recordId, r.listedOn, r.removedOn);
    for (const r of market.contractHonouring ?? []) add('RED', 'MARKET', r.recordId, r.recognisedOn, recognitionEnd(r));
  }
  if (environment) {
    for (const [rating, until] of ratingEnds(environment.creditRatings)) {
      add(ratingListKind('ENVIRONMENT', rating.level), 'ENVIRONMENT', rating.recordId, rating.assessedOn, until);
    }
    // Stryker disable next-line ConditionalExpression: equivalent — as for market penalties
    for (const r of environment.penalties) if (r.publishedOn !== null) add(penaltyListKind('ENVIRONMENT', r), 'ENVIRONMENT', r.recordId, r.publishedOn, r.publicationEndsOn);
  }
  return out;
}

/** The determinations of a subject's records in force on `today` (policy/lists.ts: begun, not ended). */
export const determinationsInForce = (records: ListableRecords, today: string): Determination[] =>
  listDeterminations(records).filter((determination) => entryInForce(determination, today));

/** Why an entry may not take effect on `since`, or null when it may: not in the future, not before its record's determination. */
export type EntryStartRefusal = 'SINCE_IN_FUTURE' | 'SINCE_BEFORE_RECORD';

/**
 * An entry stands on its record: it takes effect on or after the day the
 * department determined it (a listing, a publication, an assessment, a
 * breach) and never later than today — a department publishes what it has
 * determined, so an entry cannot pre-date its record (a subject would have
 * been "on the list" before anything put it there) nor be published in
 * advance of a determination. Source: DESIGN.md «Decisions» ("publishing one
 * is checked against the list rules"; "Lists and checks agree").
 */
export function entryStartRefusal(determination: { since: string }, since: string, today: string): EntryStartRefusal | null {
  if (since > today) return 'SINCE_IN_FUTURE';
  if (since < determination.since) return 'SINCE_BEFORE_RECORD';
  return null;
}

/**
 * Why an entry may not end on `until`, or null: an end in the past would rewrite what the list said
 * (and what checks decided) on the days since — an entry ends today or later; a determination that
 * was wrong from the start is withdrawn by an upheld objection instead.
 */
export const endRefusal = (until: string, today: string): 'RETROACTIVE_END' | null => (until < today ? 'RETROACTIVE_END' : null);

/**
 * The trigger a list entry in force is in a check: its rule's trigger. An
 * entry stored before the rules were enforced on publication, whose record
 * table no rule names, counts as its department's first rule for that list
 * (a black-list entry of the courts is a dishonest debtor's): a determination
 * in force is never ignored. An entry no rule of its department and kind
 * covers (e.g. a RED entry of the courts) triggers nothing.
 */
export function entryTrigger(entry: { kind: ListKind; department: Department; sourceRecord: string }): Trigger | null {
  const rule = listRuleFor(entry.kind, entry.department, entry.sourceRecord) ?? LIST_RULES.find((r) => r.kind === entry.kind && r.department === entry.department);
  return rule?.trigger ?? null;
}
