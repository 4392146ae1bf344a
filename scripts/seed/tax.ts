/** Tax rows: annual credit ratings, published major tax violation cases, arrears notices. */
import type { TaxArrearsNoticeRow, TaxRecords } from '../../subgraphs/tax/store';
import { addWorkingDays, addYears, dayOf, isoDate, yearOf, type Day } from './dates';
import type { SeedPlan, SubjectPlan, TaxLevel } from './plan';
import { authorities, BuildContext, dayInYear, decisionNumber, iso, isoOrNull, period, ratingPublishedOn } from './records';
import { TAX_TYPES, TAX_VIOLATIONS, type Division } from './vocabulary';

const YEAR = 365;

/**
 * Score range of each level, in hundredths (numeric(5,2)): A is 90 and over,
 * B 70 to under 90, C 40 to under 70, D under 40. M (a new taxpayer, or one
 * without business income) is not scored.
 */
const SCORES: Record<TaxLevel, [number, number] | null> = {
  A: [9000, 10000],
  B: [7000, 8999],
  M: null,
  C: [4000, 6999],
  D: [1000, 3999],
};

/** Cases are investigated and published by the city bureau's inspection office, not the district bureau. */
const inspectionBureau = (d: Division) => `国家税务总局${d.city}税务局稽查局`;

export function createTaxBuilder(plan: SeedPlan): (subjects: readonly SubjectPlan[]) => TaxRecords {
  const context = new BuildContext(plan, 'tax');
  return (subjects) => {
    const records: TaxRecords = { creditRatings: [], majorViolations: [], arrears: [] };
    for (const subject of subjects) buildSubject(context, subject, records);
    return records;
  };
}

function buildSubject(context: BuildContext, subject: SubjectPlan, records: TaxRecords): void {
  const { random, plan } = context;
  const { code, division, tax } = subject;
  const window = context.window(subject);
  const authority = authorities.tax(division);

  tax.ratings?.forEach((level, i) => {
    if (level === null) return;
    const year = plan.taxYears[i]!;
    const range = SCORES[level];
    records.creditRatings.push({
      subject_code: code,
      year,
      level,
      score: range === null ? null : random.int(range[0], range[1]) / 100,
      assessed_on: iso(ratingPublishedOn(year, 4, division)),
      tax_authority: authority,
    });
  });

  if (tax.majorViolation !== 'NONE') {
    const violation = random.pick(TAX_VIOLATIONS);
    const year = plan.taxYears[tax.violationYear] ?? plan.taxYears[plan.taxYears.length - 1]!;
    // Decided in the planned year (the year the rating fell to D), leaving time to publish, and for a removed case to be removed.
    const room = tax.majorViolation === 'PAST' ? 90 : 30;
    const decided = dayInYear(random, year, { earliest: window.earliest, latest: Math.max(window.earliest, window.latest - room) });
    const published = Math.min(addWorkingDays(decided, random.int(5, 20)), context.latest);
    // Publication runs three years; a case is removed earlier once the tax, late fees and fines are paid in full.
    const removed =
      tax.majorViolation === 'CURRENT' ? null : random.int(Math.min(published + 30, context.latest), Math.min(addYears(published, 3), context.latest));
    const amount = random.int(200_000_00, 30_000_000_00) / 100;
    records.majorViolations.push({
      subject_code: code,
      case_number: decisionNumber(division, '税稽罚', yearOf(decided), context.nextSerial()),
      nature: violation.nature,
      amount,
      facts: `经检查，该纳税人${violation.facts}，涉案金额${amount.toFixed(2)}元`,
      tax_authority: inspectionBureau(division),
      decided_on: iso(decided),
      published_on: iso(published),
      removed_on: isoOrNull(removed),
    });
  }

  if (tax.arrears !== 'NONE') {
    const notice = period(random, window, tax.arrears, 60, 2 * YEAR);
    const announced = announcementDay(notice.start, window.earliest, notice.end ?? context.reference);
    // One line per tax type in arrears; each is settled on its own once paid.
    const types = pickSome(context, TAX_TYPES, random.chance(0.35) ? 2 : 1);
    const noticeNumber = decisionNumber(division, '税欠公', yearOf(announced), quarterOf(announced));
    for (const taxType of types) {
      const settled = notice.end === null ? null : random.int(Math.max(announced + 1, notice.end - 30), notice.end);
      const line: TaxArrearsNoticeRow = {
        subject_code: code,
        notice_number: noticeNumber,
        tax_type: taxType,
        amount: random.int(5_000_00, 2_000_000_00) / 100,
        tax_authority: authority,
        announced_on: iso(announced),
        settled_on: isoOrNull(settled),
      };
      records.arrears.push(line);
    }
  }
}

/**
 * Arrears are announced once a quarter in one list naming every taxpayer in
 * arrears, so the notice number is the quarter's: on the 15th of the
 * quarter's first month. A notice goes in the last list before `day`, or the
 * next one when the subject was too young then; the day itself when neither
 * fits between `earliest` and `before` (both lists are rare exceptions).
 */
function announcementDay(day: Day, earliest: Day, before: Day): Day {
  const year = yearOf(day);
  const lists = [-1, 0, 1, 2, 3, 4].map((q) => dayOf(year, 3 * q + 1, 15));
  const last = lists.filter((list) => list <= day).pop()!;
  if (last >= earliest) return last;
  const next = lists.find((list) => list > day)!;
  return next < before ? next : day;
}

function quarterOf(day: Day): number {
  return Math.floor((Number(isoDate(day).slice(5, 7)) - 1) / 3) + 1;
}

/** `count` distinct items, in list order. */
function pickSome<T>(context: BuildContext, items: readonly T[], count: number): T[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(context.random.int(0, items.length - 1));
  return [...chosen].sort((a, b) => a - b).map((i) => items[i]!);
}
